package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.registry.RegisteredSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A JSON Schema key or value as the pipeline reads it, settled at start: JSON in Confluent's
 * framing, its columns the Spark types of the subject's reader version ({@link JsonSchemaTypes}),
 * decoded as JSON is ({@link SparkJson}, from_json's semantics) once the frame names an id the
 * subject had at start. The schema's types make the columns; its other constraints (required,
 * enum, patterns) are the producers' to keep, as Confluent's deserializer does not check them
 * unless asked.
 */
final class JsonSchemaReading implements RegistryReading {
    private final String part;
    private final String origin;
    private final String subject;
    private final KafkaSourceOptions.RegistryOptions spec;
    private final NewSchemaPolicy onNewSchema;
    private final int version;
    private final StructType struct;
    private final List<Integer> ids;

    private JsonSchemaReading(
            KafkaSourceOptions.RegistryOptions spec,
            NewSchemaPolicy onNewSchema,
            RegisteredSchema reader,
            String subject,
            StructType struct,
            List<Integer> ids) {
        this.spec = spec;
        this.onNewSchema = onNewSchema;
        this.version = reader.version();
        this.part = spec.part();
        this.origin = reader.describe();
        this.subject = subject;
        this.struct = struct;
        this.ids = ids;
    }

    static JsonSchemaReading resolve(
            KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options, List<String> topics) {
        SubjectLookup lookup = SubjectLookup.of(spec, options, topics);
        RegisteredSchema reader = lookup.reader();
        if (!reader.type().equals("JSON")) {
            throw new IllegalArgumentException(reader.describe() + " in the schema registry at "
                    + lookup.client().url()
                    + " is " + reader.type() + ", not JSON Schema: set "
                    + spec.format().name()
                    + " to what the producers write");
        }
        StructType struct;
        try {
            struct = JsonSchemaTypes.struct(reader.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the JSON Schema of " + reader.describe() + " " + e.getMessage() + ": read the " + spec.part()
                            + " as json with a " + spec.part() + ".schema instead",
                    e);
        }
        List<Integer> ids = lookup.versions().stream()
                .filter(version -> version.type().equals("JSON"))
                .map(RegisteredSchema::id)
                .toList();
        return new JsonSchemaReading(spec, options.get(spec.onNewSchema()), reader, lookup.subject(), struct, ids);
    }

    /** The reader version's fields, which become columns. */
    @Override
    public Optional<StructType> fields() {
        return Optional.of(struct);
    }

    @Override
    public List<String> hidden() {
        return List.of(RecordDecoder.CORRUPT);
    }

    /** The decoded key or value with its corrupt-record field; null where the frame is not known. */
    @Override
    public Column decoded(Column raw, String timeZone) {
        Column parsed = SparkJson.decode(
                RegistryFrames.datum(raw),
                struct.add(RecordDecoder.CORRUPT, DataTypes.StringType),
                Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", RecordDecoder.CORRUPT),
                timeZone);
        return when(RegistryFrames.framed(raw).and(RegistryFrames.isOneOf(raw, ids)), parsed);
    }

    /** Why a record's key or value did not decode, or null. */
    @Override
    public Column error(Column raw, Column decoded, boolean nullIsError) {
        Column failed = when(
                        RegistryFrames.isOneOf(raw, ids),
                        lit(DecodeFailure.NOT_JSON.says(part) + "the JSON Schema of " + origin))
                .otherwise(RegistryFrames.unknown(spec, onNewSchema, raw, subject, version, ids));
        return RegistryFrames.error(
                part,
                raw,
                nullIsError,
                decoded.isNull().or(decoded.getField(RecordDecoder.CORRUPT).isNotNull()),
                failed);
    }

    @Override
    public NewSchemaPolicy onNewSchema() {
        return onNewSchema;
    }

    @Override
    public String toString() {
        return part + " read as JSON Schema " + origin + ", ids " + ids;
    }
}
