package io.sluice.kafka.registry;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Protobuf schema from the registry built into descriptors: its {@code .proto} text parsed
 * ({@link ProtoText}), each import resolved — Google's well-known types from protobuf-java,
 * every other one through the schema's references in the registry (depth first, as Confluent's
 * deserializer does) — and linked by protobuf-java, which checks the file as {@code protoc}
 * would (unknown types, duplicate numbers). The result is kept as {@link Files}, which travel to
 * Spark's executors and build the same descriptors there.
 */
public final class RegistryProtobuf {
    public static final String PROTOBUF = "PROTOBUF";

    /** Google's well-known types, which registries do not keep as references. */
    private static final Map<String, Descriptors.FileDescriptor> WELL_KNOWN = Map.of(
            "google/protobuf/timestamp.proto",
                    com.google.protobuf.Timestamp.getDescriptor().getFile(),
            "google/protobuf/duration.proto",
                    com.google.protobuf.Duration.getDescriptor().getFile(),
            "google/protobuf/wrappers.proto",
                    com.google.protobuf.StringValue.getDescriptor().getFile(),
            "google/protobuf/empty.proto",
                    com.google.protobuf.Empty.getDescriptor().getFile(),
            "google/protobuf/struct.proto",
                    com.google.protobuf.Struct.getDescriptor().getFile(),
            "google/protobuf/any.proto", com.google.protobuf.Any.getDescriptor().getFile(),
            "google/protobuf/field_mask.proto",
                    com.google.protobuf.FieldMask.getDescriptor().getFile());

    private RegistryProtobuf() {}

    /**
     * A schema's files, dependencies first and the schema's own last, as serialized
     * descriptors: what an executor needs to build the descriptors again.
     */
    public record Files(List<byte[]> files) implements Serializable {
        public Files {
            files = List.copyOf(files);
        }

        /** The schema's own file, linked with its dependencies. */
        public Descriptors.FileDescriptor build() {
            Map<String, Descriptors.FileDescriptor> built = new LinkedHashMap<>(WELL_KNOWN);
            Descriptors.FileDescriptor last = null;
            for (byte[] bytes : files) {
                try {
                    FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
                    Descriptors.FileDescriptor[] dependencies = proto.getDependencyList().stream()
                            .map(built::get)
                            .toArray(Descriptors.FileDescriptor[]::new);
                    last = Descriptors.FileDescriptor.buildFrom(proto, dependencies);
                    built.put(proto.getName(), last);
                } catch (com.google.protobuf.InvalidProtocolBufferException
                        | Descriptors.DescriptorValidationException e) {
                    throw new IllegalStateException("cannot build a Protobuf descriptor built before", e);
                }
            }
            return last;
        }
    }

    /** The descriptors of {@code schema}, its references asked of the registry. */
    public static Files files(SchemaRegistryClient client, RegisteredSchema schema) {
        if (!schema.type().equals(PROTOBUF)) {
            throw new RegistryException(
                    schema.describe() + " in the schema registry at " + client.url() + " is " + schema.type()
                            + ", not Protobuf: set the format to match what the producers write",
                    0,
                    null);
        }
        Map<String, Descriptors.FileDescriptor> built = new LinkedHashMap<>(WELL_KNOWN);
        List<byte[]> files = new ArrayList<>();
        build(client, schema, schema.subject().isEmpty() ? "schema.proto" : schema.subject() + ".proto", built, files);
        return new Files(files);
    }

    private static Descriptors.FileDescriptor build(
            SchemaRegistryClient client,
            RegisteredSchema schema,
            String name,
            Map<String, Descriptors.FileDescriptor> built,
            List<byte[]> files) {
        FileDescriptorProto proto;
        try {
            proto = ProtoText.parse(name, schema.text());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    schema.describe() + " in the schema registry at " + client.url() + " " + e.getMessage(), 0, e);
        }
        List<Descriptors.FileDescriptor> dependencies = new ArrayList<>();
        for (String imported : proto.getDependencyList()) {
            Descriptors.FileDescriptor dependency = built.get(imported);
            if (dependency == null) {
                RegisteredSchema.Reference reference = schema.references().stream()
                        .filter(r -> r.name().equals(imported))
                        .findFirst()
                        .orElseThrow(() -> new RegistryException(
                                schema.describe() + " imports '" + imported + "', which is not one of its references"
                                        + " in the schema registry at " + client.url()
                                        + ": register it with a reference named '" + imported + "'",
                                0,
                                null));
                dependency = build(
                        client,
                        client.version(reference.subject(), String.valueOf(reference.version())),
                        imported,
                        built,
                        files);
            }
            dependencies.add(dependency);
        }
        try {
            Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(
                    proto, dependencies.toArray(Descriptors.FileDescriptor[]::new));
            built.put(name, file);
            files.add(proto.toByteArray());
            return file;
        } catch (Descriptors.DescriptorValidationException e) {
            throw new RegistryException(
                    schema.describe() + " in the schema registry at " + client.url()
                            + " is not a valid Protobuf schema: " + e.getMessage(),
                    0,
                    e);
        }
    }
}
