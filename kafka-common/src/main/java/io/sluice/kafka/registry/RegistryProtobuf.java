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

        /** Every file, linked with its dependencies, in order. */
        public List<Descriptors.FileDescriptor> buildAll() {
            Map<String, Descriptors.FileDescriptor> built = new LinkedHashMap<>(WELL_KNOWN);
            List<Descriptors.FileDescriptor> all = new ArrayList<>();
            for (byte[] bytes : files) {
                try {
                    FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
                    Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(
                            proto,
                            proto.getDependencyList().stream()
                                    .map(built::get)
                                    .toArray(Descriptors.FileDescriptor[]::new));
                    built.put(proto.getName(), file);
                    all.add(file);
                } catch (com.google.protobuf.InvalidProtocolBufferException
                        | Descriptors.DescriptorValidationException e) {
                    throw new IllegalStateException("cannot build a Protobuf descriptor", e);
                }
            }
            return all;
        }

        /** The schema's own file (the last), linked with its dependencies. */
        public Descriptors.FileDescriptor build() {
            List<Descriptors.FileDescriptor> all = buildAll();
            return all.get(all.size() - 1);
        }
    }

    /**
     * The files of a descriptor set ({@code protoc --include_imports --descriptor_set_out}), each
     * after the files it imports, the one defining the most messages last; Google's well-known
     * types come from protobuf-java when the set leaves them out.
     *
     * @throws IllegalArgumentException when the bytes are not a descriptor set, or a file's imports are missing
     */
    public static Files descriptorSet(byte[] bytes) {
        com.google.protobuf.DescriptorProtos.FileDescriptorSet set;
        try {
            set = com.google.protobuf.DescriptorProtos.FileDescriptorSet.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "is not a Protobuf descriptor set (" + e.getMessage()
                            + "): write one with protoc --include_imports --descriptor_set_out=FILE",
                    e);
        }
        Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
        set.getFileList().forEach(file -> byName.put(file.getName(), file));
        List<byte[]> ordered = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>(WELL_KNOWN.keySet());
        byName.keySet().forEach(name -> place(name, byName, placed, ordered));
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException("is an empty Protobuf descriptor set");
        }
        Files files = new Files(ordered);
        try {
            files.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("does not build: " + e.getCause().getMessage(), e);
        }
        return files;
    }

    private static void place(
            String name, Map<String, FileDescriptorProto> byName, java.util.Set<String> placed, List<byte[]> ordered) {
        if (placed.contains(name)) {
            return;
        }
        FileDescriptorProto file = byName.get(name);
        if (file == null) {
            throw new IllegalArgumentException(
                    "lacks '" + name + "', which a file of it imports: write it with" + " protoc --include_imports");
        }
        placed.add(name);
        file.getDependencyList().forEach(dependency -> place(dependency, byName, placed, ordered));
        ordered.add(file.toByteArray());
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
