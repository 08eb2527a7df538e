package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryAvro;
import io.sluice.kafka.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Avro key or value as the pipeline reads it, settled at start: one reader schema (a
 * subject's version in the registry, or a fixed schema) and every writer schema the subject
 * had then, by id. Each known id is one branch of a {@code CASE} on the record's first five
 * bytes, decoded by Spark's own {@code from_avro} with the writer's schema and the reader's
 * ({@code avroSchema}), so Avro's schema resolution maps old records to the reader's columns —
 * the cost of Spark's Avro decoding by hand, with no guessing which schema wrote a record.
 *
 * <p>A record that fails any step gets an error naming what failed: not in Confluent's framing,
 * a schema id the subject did not have at start, a writer schema the reader cannot read, a datum
 * that does not decode. The {@link BadRecordPolicy} decides what becomes of it.
 */
final class AvroReading implements RegistryReading {
    private static final Logger LOG = LoggerFactory.getLogger(AvroReading.class);
    /**
     * A field added to a record reader schema, absent from every writer, so Avro's resolution fills
     * in its default (true) for every record that decodes. Spark's from_avro gives a record that does
     * not decode as a row of nulls (not a null row): the marker tells the two apart exactly, as the
     * corrupt-record field does for JSON.
     */
    static final String MARKER = "_sluice_decoded";

    private final String part;
    private final String origin;
    private final Schema reader;
    private final String resolving;
    private final Map<Integer, Schema> writers;
    private final Map<Integer, String> unreadable;
    private final Optional<String> subject;
    private final KafkaSourceOptions.RegistryOptions spec;
    private final NewSchemaPolicy onNewSchema;
    private final int version;

    private AvroReading(
            KafkaSourceOptions.RegistryOptions spec,
            NewSchemaPolicy onNewSchema,
            int version,
            String origin,
            Schema reader,
            Map<Integer, Schema> writers,
            Map<Integer, String> unreadable,
            Optional<String> subject) {
        this.spec = spec;
        this.onNewSchema = onNewSchema;
        this.version = version;
        this.part = spec.part();
        this.origin = origin;
        this.reader = reader;
        this.resolving = withMarker(reader).toString();
        this.writers = writers;
        this.unreadable = unreadable;
        this.subject = subject;
    }

    /** Why {@code text} is not an Avro schema, in Avro's words; empty when it is one. */
    static Optional<String> checkSchema(String text) {
        try {
            new Schema.Parser().parse(text);
            return Optional.empty();
        } catch (SchemaParseException e) {
            return Optional.of("is not an Avro schema: " + e.getMessage());
        } catch (RuntimeException e) { // Avro wraps Jackson's parse errors in its own runtime exceptions
            return Optional.of("is not an Avro schema (JSON): "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** Resolves the part's schemas: the fixed one, or the registry's (asked now, once). */
    static AvroReading resolve(KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options, List<String> topics) {
        String part = spec.part();
        requireAvroSupport(part);
        Optional<String> fixed = options.find(spec.schema());
        if (fixed.isPresent()) {
            return new AvroReading(
                    spec,
                    NewSchemaPolicy.BAD_RECORD,
                    0,
                    "option '" + spec.schema().name() + "'",
                    new Schema.Parser().parse(fixed.get()),
                    Map.of(),
                    Map.of(),
                    Optional.empty());
        }
        SubjectLookup lookup = SubjectLookup.of(spec, options, topics);
        SchemaRegistryClient client = lookup.client();
        String subject = lookup.subject();
        RegisteredSchema readerSchema = lookup.reader();
        Schema reader = RegistryAvro.parse(client, readerSchema);
        Map<Integer, Schema> writers = new LinkedHashMap<>();
        Map<Integer, String> unreadable = new LinkedHashMap<>();
        for (RegisteredSchema registered : lookup.versions()) {
            Schema writer = RegistryAvro.parse(client, registered);
            SchemaCompatibility.SchemaPairCompatibility pair =
                    SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                writers.put(registered.id(), writer);
            } else {
                String why = pair.getResult().getIncompatibilities().stream()
                        .findFirst()
                        .map(i -> i.getType() + " at " + i.getLocation()
                                + (i.getMessage() == null ? "" : ": " + i.getMessage()))
                        .orElse(pair.getDescription());
                unreadable.put(
                        registered.id(),
                        registered.describe() + " cannot be read as version " + readerSchema.version() + " (" + why
                                + ")");
                LOG.warn(
                        "source 'kafka': {} records written with {} will not decode: {}",
                        part,
                        registered.describe(),
                        why);
            }
        }
        return new AvroReading(
                spec,
                options.get(spec.onNewSchema()),
                readerSchema.version(),
                readerSchema.describe(),
                reader,
                writers,
                unreadable,
                Optional.of(subject));
    }

    private static void requireAvroSupport(String part) {
        try {
            Class.forName("org.apache.spark.sql.avro.AvroDataToCatalyst", false, AvroReading.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    "option '" + part + ".format' = 'avro' needs Spark's Avro support, which this Spark lacks: add"
                            + " org.apache.spark:spark-avro_2.13 (the sluice command and its spark-submit jar carry it)",
                    e);
        }
    }

    /** A record schema with {@link #MARKER} last; any other schema as it is. */
    private static Schema withMarker(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            return schema;
        }
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field(MARKER, Schema.create(Schema.Type.BOOLEAN), null, true));
        Schema marked = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        schema.getObjectProps().forEach(marked::addProp);
        return marked;
    }

    /** The decoded type: Spark's mapping of the reader schema, as {@code from_avro} makes it, with the marker. */
    private DataType dataType() {
        return SchemaConverters.toSqlType(new Schema.Parser().parse(resolving)).dataType();
    }

    /** The reader schema's fields, which become columns, when it is a record. */
    @Override
    public Optional<StructType> fields() {
        DataType type = SchemaConverters.toSqlType(reader).dataType();
        return type instanceof StructType struct ? Optional.of(struct) : Optional.empty();
    }

    @Override
    public List<String> hidden() {
        return reader.getType() == Schema.Type.RECORD ? List.of(MARKER) : List.of();
    }

    /** The decoded key or value, null where it does not decode (see {@link #error}). */
    @Override
    public Column decoded(Column raw, String timeZone) {
        Column datum = RegistryFrames.datum(raw);
        Map<String, String> options = Map.of("mode", "PERMISSIVE", "avroSchema", resolving);
        if (subject.isEmpty()) {
            return when(
                    RegistryFrames.framed(raw),
                    org.apache.spark.sql.avro.functions.from_avro(datum, reader.toString(), options));
        }
        Column decoded = null;
        for (Map.Entry<Integer, Schema> writer : writers.entrySet()) {
            Column condition = RegistryFrames.isOneOf(raw, List.of(writer.getKey()));
            Column branch = org.apache.spark.sql.avro.functions.from_avro(
                    datum, writer.getValue().toString(), options);
            decoded = decoded == null ? when(condition, branch) : decoded.when(condition, branch);
        }
        return decoded == null ? lit(null).cast(dataType()) : decoded;
    }

    /** Why a record's key or value did not decode, or null. */
    @Override
    public Column error(Column raw, Column decoded, boolean nullIsError) {
        Column failed;
        if (subject.isEmpty()) {
            failed = lit(DecodeFailure.NOT_AVRO.says(part) + " with " + origin);
        } else {
            failed = null;
            for (Map.Entry<Integer, String> bad : unreadable.entrySet()) {
                Column condition = RegistryFrames.isOneOf(raw, List.of(bad.getKey()));
                Column message = lit(DecodeFailure.UNREADABLE_SCHEMA.says(part) + ": " + bad.getValue());
                failed = failed == null ? when(condition, message) : failed.when(condition, message);
            }
            Column isKnown = RegistryFrames.isOneOf(raw, writers.keySet());
            Column undecodable =
                    concat(lit(DecodeFailure.NOT_AVRO.says(part) + " written with schema id "), RegistryFrames.id(raw));
            java.util.Set<Integer> known = new java.util.TreeSet<>(writers.keySet());
            known.addAll(unreadable.keySet());
            Column unknown = RegistryFrames.unknown(spec, onNewSchema, raw, subject.get(), version, known);
            failed = failed == null
                    ? when(isKnown, undecodable).otherwise(unknown)
                    : failed.when(isKnown, undecodable).otherwise(unknown);
        }
        return RegistryFrames.error(part, raw, nullIsError, notDecoded(decoded), failed);
    }

    /** A record that did not decode: null, or (a record) without the marker. */
    private Column notDecoded(Column decoded) {
        return reader.getType() == Schema.Type.RECORD
                ? decoded.isNull().or(decoded.getField(MARKER).isNull())
                : decoded.isNull();
    }

    @Override
    public NewSchemaPolicy onNewSchema() {
        return onNewSchema;
    }

    /** The log's line, and the reader schema itself. */
    @Override
    public String explain() {
        return this + "; reader schema: " + reader;
    }

    /** For the log and explain: what the part is read as. */
    @Override
    public String toString() {
        return part + " read as " + origin + (writers.isEmpty() ? "" : ", writer ids " + writers.keySet())
                + (unreadable.isEmpty() ? "" : ", unreadable ids " + unreadable.keySet());
    }
}
