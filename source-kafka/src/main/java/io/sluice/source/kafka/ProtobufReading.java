package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.google.protobuf.Descriptors;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.Suggestions;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryProtobuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A Protobuf key or value in Confluent's framing, its schemas settled at start: the reader
 * message ({@code value.protobuf.message}, or the first message of the subject's reader
 * version, which Confluent's serializer writes as index {@code [0]}) and, for every version the
 * subject had, which message each index names. Records of a known id are decoded on the
 * executors by {@link ProtoDecoder} with the reader's descriptor; an id unknown at start follows
 * {@code onNewSchema}, as Avro's does.
 */
final class ProtobufReading implements RegistryReading {
    /** The decoder's error field, last in the decoded struct; never a column. */
    static final String ERROR = "_sluice_protobuf_error";

    private final KafkaSourceOptions.RegistryOptions spec;
    private final NewSchemaPolicy onNewSchema;
    private final String origin;
    private final String subject;
    private final int version;
    private final StructType struct;
    private final List<Integer> ids;
    private final ProtoDecoder decoder;
    private final String message;

    private ProtobufReading(
            KafkaSourceOptions.RegistryOptions spec,
            NewSchemaPolicy onNewSchema,
            RegisteredSchema reader,
            String subject,
            StructType struct,
            List<Integer> ids,
            String message,
            ProtoDecoder decoder) {
        this.spec = spec;
        this.onNewSchema = onNewSchema;
        this.origin = reader.describe();
        this.subject = subject;
        this.version = reader.version();
        this.struct = struct;
        this.ids = List.copyOf(ids);
        this.message = message;
        this.decoder = decoder;
    }

    static ProtobufReading resolve(
            KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options, List<String> topics) {
        if (options.isSet(spec.protobufDescriptorFile())) {
            return fixed(spec, options);
        }
        SubjectLookup lookup = SubjectLookup.of(spec, options, topics);
        RegisteredSchema reader = lookup.reader();
        RegistryProtobuf.Files readerFiles = RegistryProtobuf.files(lookup.client(), reader);
        Descriptors.FileDescriptor file = readerFiles.build();
        Map<String, String> readerIndexes = ProtoDecoder.indexes(file);
        if (readerIndexes.isEmpty()) {
            throw new IllegalArgumentException(reader.describe() + " has no message to read");
        }
        String wanted = options.find(spec.protobufMessage()).orElse(readerIndexes.get("0"));
        String message = named(spec, wanted, readerIndexes.values(), reader.describe());
        StructType struct;
        try {
            struct = ProtoRows.struct(ProtoDecoder.find(file, message));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reader.describe() + ": " + e.getMessage(), e);
        }
        Map<Integer, Map<String, String>> names = new LinkedHashMap<>();
        for (RegisteredSchema writer : lookup.versions()) {
            if (writer.type().equals(RegistryProtobuf.PROTOBUF)) {
                names.put(
                        writer.id(),
                        writer.id() == reader.id()
                                ? readerIndexes
                                : ProtoDecoder.indexes(RegistryProtobuf.files(lookup.client(), writer)
                                        .build()));
            }
        }
        return new ProtobufReading(
                spec,
                options.get(spec.onNewSchema()),
                reader,
                lookup.subject(),
                struct,
                List.copyOf(names.keySet()),
                message,
                new ProtoDecoder(spec.part(), readerFiles, message, names, struct.size()));
    }

    /** Read with a descriptor set file instead of the registry: every framed record, whatever its id. */
    private static ProtobufReading fixed(KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options) {
        String path = options.get(spec.protobufDescriptorFile());
        String what = "option '" + spec.protobufDescriptorFile().name() + "' = '" + path + "'";
        RegistryProtobuf.Files files;
        try {
            files = RegistryProtobuf.descriptorSet(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + ": cannot read it (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + e.getMessage(), e);
        }
        List<Descriptors.FileDescriptor> all = files.buildAll();
        Map<String, Descriptors.FileDescriptor> messages = new LinkedHashMap<>();
        for (Descriptors.FileDescriptor file : all) {
            ProtoDecoder.indexes(file).values().forEach(name -> messages.put(name, file));
        }
        Optional<String> wanted = options.find(spec.protobufMessage());
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException(
                    what + " needs option '" + spec.protobufMessage().name()
                            + "': the message the " + spec.part() + " is read as (messages: "
                            + String.join(", ", messages.keySet()) + ")");
        }
        String message = named(spec, wanted.get(), messages.keySet(), path);
        Descriptors.FileDescriptor file = messages.get(message);
        StructType struct = ProtoRows.struct(ProtoDecoder.find(file, message));
        RegisteredSchema origin = new RegisteredSchema("", 0, 0, RegistryProtobuf.PROTOBUF, "", List.of());
        return new ProtobufReading(
                spec,
                NewSchemaPolicy.BAD_RECORD,
                origin,
                "",
                struct,
                List.of(),
                message,
                new ProtoDecoder(
                        spec.part(),
                        files,
                        message,
                        Map.of(ProtoDecoder.ANY_ID, ProtoDecoder.indexes(file)),
                        struct.size()));
    }

    /**
     * The message of {@code messages} (full names) that {@code wanted} names, fully or by its simple
     * name; an error with "did you mean" when none does.
     */
    private static String named(
            KafkaSourceOptions.RegistryOptions spec,
            String wanted,
            java.util.Collection<String> messages,
            String where) {
        return messages.stream()
                .filter(name -> name.equals(wanted) || name.endsWith("." + wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("option '"
                        + spec.protobufMessage().name() + "' = '"
                        + wanted + "': " + where + " has no such message"
                        + Suggestions.didYouMean(
                                wanted,
                                messages.stream()
                                        .map(name -> name.substring(name.lastIndexOf('.') + 1))
                                        .toList())));
    }

    /** Whether the reading has a fixed schema (every id decoded with it) rather than the registry's. */
    private boolean isFixed() {
        return subject.isEmpty();
    }

    @Override
    public Optional<StructType> fields() {
        return Optional.of(struct);
    }

    @Override
    public List<String> hidden() {
        return List.of(ERROR);
    }

    @Override
    public NewSchemaPolicy onNewSchema() {
        return onNewSchema;
    }

    @Override
    public Column decoded(Column raw, String timeZone) {
        Column decoded = udf(decoder, struct.add(ERROR, DataTypes.StringType)).apply(raw);
        Column known = isFixed() ? lit(true) : RegistryFrames.isOneOf(raw, ids);
        return when(RegistryFrames.framed(raw).and(known), decoded);
    }

    @Override
    public Column error(Column raw, Column decoded, boolean nullIsError) {
        Column failed = isFixed()
                ? decoded.getField(ERROR)
                : when(RegistryFrames.isOneOf(raw, ids), decoded.getField(ERROR))
                        .otherwise(RegistryFrames.unknown(spec, onNewSchema, raw, subject, version, ids));
        return RegistryFrames.error(
                spec.part(),
                raw,
                nullIsError,
                decoded.isNull().or(decoded.getField(ERROR).isNotNull()),
                failed);
    }

    @Override
    public String toString() {
        return spec.part() + " read as Protobuf message '" + message + "' of "
                + (isFixed() ? "option '" + spec.protobufDescriptorFile().name() + "'" : origin + ", ids " + ids);
    }
}
