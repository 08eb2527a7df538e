package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.Counter;
import io.sluice.core.SourceSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Decodes Kafka's binary key and value into the formats the user chose, and accounts for
 * every record that does not decode according to the {@link BadRecordPolicy}.
 *
 * <p>JSON is parsed once per record with {@code from_json}'s semantics ({@link SparkJson}) in PERMISSIVE mode with
 * a corrupt-record field, which is how Spark itself tells a malformed record from a valid
 * one with missing fields. Each record then has an error text or none; the policy decides
 * what a record with an error becomes. Skipped and dead-lettered records are counted by
 * counters of the group {@link #METRICS}, which appear in every progress line. A dead letter is written from
 * the same read, by the tasks that meet the bad records ({@link DeadLetterFunction}).
 */
final class RecordDecoder {
    /** The group of the decoder's counters ({@code kafka.decode: skipped=3} in the progress). */
    static final String METRICS = "kafka.decode";

    /** The corrupt-record field of decoded JSON, which users never see. */
    static final String CORRUPT = "_sluice_corrupt";

    private static final String KEY = "_sluice_key";
    private static final String VALUE = "_sluice_value";
    private static final String ERROR = "_sluice_error";
    private static final String TASK = "_sluice_task";
    private static final List<String> METADATA = List.of("topic", "partition", "offset", "timestamp", "timestampType");

    /** The decoding settings, taken from validated options. */
    record Decoding(
            String keyFormat,
            Optional<StructType> keySchema,
            String valueFormat,
            Optional<StructType> valueSchema,
            Optional<RegistryReading> keyRegistry,
            Optional<RegistryReading> valueRegistry,
            BadRecordPolicy policy,
            boolean includeHeaders,
            boolean valueAsStruct,
            Optional<DeadLetter> deadLetter,
            Optional<Counter> counter,
            Optional<Counter> deadLetterFailures) {}

    private RecordDecoder() {}

    /** The raw columns with the decoded key and value, the error text of each record, and the output columns. */
    private record Staged(Dataset<Row> rows, Column[] columns, BadRecordReason reason) {}

    private static Staged stage(Dataset<Row> raw, Decoding decoding) {
        String timeZone = raw.sparkSession().conf().get("spark.sql.session.timeZone");
        Part key = part("key", decoding.keyFormat(), decoding.keySchema(), decoding.keyRegistry(), false, timeZone);
        Part value =
                part("value", decoding.valueFormat(), decoding.valueSchema(), decoding.valueRegistry(), true, timeZone);
        // The task's partition id, which the policy's filter reads, makes the decoding projection
        // nondeterministic: the cheapest way to keep Spark from pushing the filter below it (a
        // pushed filter gets its own copy of from_json, and every record would be parsed twice).
        Dataset<Row> staged = raw.select(
                        col("*"),
                        key.decoded().as(KEY),
                        value.decoded().as(VALUE),
                        spark_partition_id().as(TASK))
                .withColumn(ERROR, coalesce(value.error(col(VALUE)), key.error(col(KEY))));

        // Spark's column order (key, value, topic, ...); a JSON or Avro record value's fields come first instead.
        List<Column> output = new ArrayList<>();
        Column publicKey = publicKey(col(KEY), key.hidden()).as("key");
        if (value.fields().isPresent() && !decoding.valueAsStruct()) {
            for (StructField field : value.fields().get().fields()) {
                output.add(col(VALUE).getField(field.name()).as(field.name()));
            }
            output.add(publicKey);
        } else {
            output.add(publicKey);
            output.add(publicKey(col(VALUE), value.hidden()).as("value"));
        }
        METADATA.forEach(name -> output.add(col(name)));
        if (decoding.includeHeaders()) {
            output.add(col("headers"));
        }
        BadRecordReason reason = new BadRecordReason(
                key.json() ? decoding.keySchema().map(JsonMismatch::new) : Optional.empty(),
                value.json() ? decoding.valueSchema().map(JsonMismatch::new) : Optional.empty());
        return new Staged(staged, output.toArray(Column[]::new), reason);
    }

    /**
     * A sample's rows as {@link #decode} makes them, and its bad records with their reasons
     * instead of what the policy does with them: nothing is skipped unseen, nothing written.
     */
    static SourceSample sample(Dataset<Row> raw, Decoding decoding, String description) {
        Staged staged = stage(raw, decoding);
        UserDefinedFunction reason = udf(staged.reason(), DataTypes.StringType);
        Dataset<Row> rejected = staged.rows()
                .filter(col(ERROR).isNotNull())
                .select(
                        format_string("%s-%d offset %d", col("topic"), col("partition"), col("offset"))
                                .as("record"),
                        reason.apply(col(ERROR), col("key"), col("value")).as("reason"));
        return new SourceSample(
                staged.rows().filter(col(ERROR).isNull()).select(staged.columns()), rejected, description);
    }

    static Dataset<Row> decode(Dataset<Row> raw, Decoding decoding) {
        Staged stagedRows = stage(raw, decoding);
        Dataset<Row> staged = stagedRows.rows();
        Column[] columns = stagedRows.columns();

        // The filter reads the task's partition id, which keeps it above the decoding projection;
        // the functions that skip or dead-letter a record run for bad records only (an OR
        // evaluates its right side only when the left one is false), and count them.
        Column bad = col(ERROR).isNotNull();
        Column guard = col(TASK).geq(lit(0));
        // A filter that raises an error must see every record before any filter of the user's does: a
        // deterministic one would be merged with the user's (WHERE amount > 0) into one condition whose
        // parts Spark orders as it likes — a bad record's null amount would drop it unseen. A
        // nondeterministic condition is never merged, and nothing is pushed below it.
        Column raising = guard.and(spark_partition_id().geq(lit(0)));
        Optional<Column> newSchema = newSchema(decoding);
        if (newSchema.isPresent()) {
            // a schema registered after start stops the batch whatever badRecords says: a new start reads it
            staged = staged.filter(raising.and(when(
                            newSchema.get(),
                            raise_error(format_string(
                                    "source 'kafka': the record at topic %s, partition %d, offset %d: %s",
                                    col("topic"), col("partition"), col("offset"), col(ERROR))))
                    .otherwise(lit(true))));
        }
        return switch (decoding.policy()) {
            case FAIL ->
                staged.filter(raising.and(when(
                                        bad,
                                        raise_error(format_string(
                                                "source 'kafka': cannot decode the record at topic %s, partition %d, offset %d: %s"
                                                        + " (set badRecords to skip or dead_letter to keep the pipeline running)",
                                                col("topic"), col("partition"), col("offset"), col(ERROR))))
                                .otherwise(lit(true))))
                        .select(columns);
            case SKIP -> {
                UserDefinedFunction skip = udf(
                                new SkipFunction(decoding.counter().orElseThrow()), DataTypes.BooleanType)
                        .asNondeterministic();
                yield staged.filter(guard.and(bad.unary_$bang().or(skip.apply(col(ERROR)))))
                        .select(columns);
            }
            case DEAD_LETTER -> {
                UserDefinedFunction setAside = udf(
                                new DeadLetterFunction(
                                        decoding.deadLetter().orElseThrow(),
                                        decoding.counter().orElseThrow(),
                                        decoding.deadLetterFailures().orElseThrow(),
                                        stagedRows.reason()),
                                DataTypes.BooleanType)
                        .asNondeterministic();
                yield staged.filter(guard.and(bad.unary_$bang()
                                .or(setAside.apply(
                                        col("topic"),
                                        col("partition"),
                                        col("offset"),
                                        unix_micros(col("timestamp")),
                                        col("key"),
                                        col("value"),
                                        col(ERROR)))))
                        .select(columns);
            }
        };
    }

    /** Records written with a schema id new since start, when their part's onNewSchema stops the batch for them. */
    private static Optional<Column> newSchema(Decoding decoding) {
        Column stops = null;
        for (Map.Entry<String, Optional<RegistryReading>> part : Map.of(
                        "key", decoding.keyRegistry(), "value", decoding.valueRegistry())
                .entrySet()) {
            if (part.getValue().isPresent()
                    && part.getValue().get().onNewSchema().stops()) {
                Column unknown = col(ERROR).startsWith(DecodeFailure.UNKNOWN_SCHEMA.says(part.getKey()));
                stops = stops == null ? unknown : stops.or(unknown);
            }
        }
        return Optional.ofNullable(stops);
    }

    /**
     * How one of key or value is decoded, how its failure reads (from the decoded column), and the
     * fields that become columns when it is a value.
     */
    private record Part(
            Column decoded,
            java.util.function.UnaryOperator<Column> errorOf,
            Optional<StructType> fields,
            boolean json,
            List<String> hidden) {
        Column error(Column parsed) {
            return errorOf.apply(parsed);
        }
    }

    private static Part part(
            String column,
            String format,
            Optional<StructType> schema,
            Optional<RegistryReading> registry,
            boolean nullIsError,
            String timeZone) {
        Column raw = col(column);
        java.util.function.UnaryOperator<Column> none = parsed -> lit(null).cast(DataTypes.StringType);
        return switch (format) {
            case "string" -> new Part(raw.cast(DataTypes.StringType), none, Optional.empty(), false, List.of());
            case "json" -> {
                StructType withCorrupt = schema.orElseThrow().add(CORRUPT, DataTypes.StringType);
                Column parsed = SparkJson.decode(
                        raw, withCorrupt, Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT), timeZone);
                yield new Part(
                        parsed, decoded -> jsonError(column, decoded, nullIsError), schema, true, List.of(CORRUPT));
            }
            case "avro", "json-schema", "protobuf" -> {
                RegistryReading reading = registry.orElseThrow();
                yield new Part(
                        reading.decoded(raw, timeZone),
                        decoded -> reading.error(raw, decoded, nullIsError),
                        reading.fields(),
                        false,
                        reading.hidden());
            }
            default -> new Part(raw, none, Optional.empty(), false, List.of());
        };
    }

    /**
     * Spark marks a malformed record in the corrupt field, but parses an empty or blank text to
     * no struct at all: both are records that did not decode.
     */
    private static Column jsonError(String column, Column parsed, boolean nullIsError) {
        Column malformed = when(
                col(column)
                        .isNotNull()
                        .and(parsed.isNull().or(parsed.getField(CORRUPT).isNotNull())),
                lit(DecodeFailure.NOT_JSON.says(column) + column + ".schema"));
        return nullIsError
                ? when(col(column).isNull(), lit(DecodeFailure.NULL.says(column)))
                        .otherwise(malformed)
                : malformed;
    }

    /** Drops the decoder's own fields (JSON's corrupt record, Avro's marker) from a decoded key, which users never see. */
    static Column publicKey(Column key, List<String> hidden) {
        return hidden.isEmpty()
                ? key
                : key.dropFields(
                        scala.jdk.javaapi.CollectionConverters.asScala(hidden).toSeq());
    }
}
