package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.catalyst.expressions.json.JsonToStructsEvaluator;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.catalyst.json.CreateJacksonParser;
import org.apache.spark.sql.catalyst.json.JSONOptions;
import org.apache.spark.sql.catalyst.json.JacksonParser;
import org.apache.spark.sql.catalyst.util.FailFastMode$;
import org.apache.spark.sql.catalyst.util.FailureSafeParser;
import org.apache.spark.sql.catalyst.util.ParseMode;
import org.apache.spark.sql.catalyst.util.PermissiveMode$;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.ObjectType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one place Sluice reaches into Spark's internal JSON classes: a decode expression with
 * {@code from_json}'s exact semantics at less cost (bench P6, one thread: 1.77× its rate with
 * Spark's parser alone, 5.86× with the strict fast path of {@link StrictJson} before it).
 *
 * <p>{@code from_json} reads each record through an {@code InputStreamReader} (a UTF-8 decoder
 * and an 8 KiB buffer per record) and is evaluated interpreted. Here Spark's own {@link
 * JacksonParser} and {@link FailureSafeParser} — the very parser and failure handling {@code
 * from_json} uses, with the same {@link JSONOptions} — are fed a {@code String} decoded from the
 * binary value in one step. Decoding to a {@code String} replaces malformed UTF-8 exactly as the
 * Reader does, and the corrupt-record column still gets the record's original bytes, so every
 * column, null and corrupt record is {@code from_json}'s (the differential test checks that on
 * generated, malformed and mutated records). Feeding Jackson the raw bytes would be faster still
 * and wrong: its byte parser rejects invalid UTF-8 instead of replacing it (SPARK-16548).
 *
 * <p>The expression is an {@link Invoke} over a serializable {@link Evaluator}, which is how
 * Spark wires its own evaluators: it is code-generated without a hand-written expression, and
 * reads the binary {@code value} with no {@code CAST}. It must stay in a projection, never in a
 * filter (SPARK-50767).
 *
 * <p>A record whose every token is in {@link StrictJson}'s subset is read by it straight into
 * an {@code UnsafeRow} written with Spark's own row writer (adapted here, so that class stays
 * free of Spark's internals); any other record goes to Spark's parser as above.
 *
 * <p>Another Spark version may lack a class or method used here; then {@link #decode} is Spark's
 * {@code from_json}, with one warning saying why ({@link #unavailable()}).
 */
final class SparkJson {
    private static final Logger LOG = LoggerFactory.getLogger(SparkJson.class);

    /** Why the adapter cannot be used with this Spark, or empty when it can: probed once. */
    private static final Optional<String> UNAVAILABLE = probe();

    private SparkJson() {}

    /** Why Sluice's decoder is not used with this Spark, or empty when it is. */
    static Optional<String> unavailable() {
        return UNAVAILABLE;
    }

    /**
     * The struct {@code from_json(CAST(value AS STRING), schema, options)} gives for a binary
     * {@code value}: {@code schema} holds the corrupt-record field named by {@code
     * columnNameOfCorruptRecord} in {@code options} if the caller wants one.
     */
    static Column decode(Column value, StructType schema, Map<String, String> options, String timeZone) {
        requireNonNull(value, "value");
        requireNonNull(schema, "schema");
        requireNonNull(options, "options");
        requireNonNull(timeZone, "timeZone");
        if (UNAVAILABLE.isEmpty()) {
            try {
                return invoke(value, new Evaluator(schema, options, timeZone));
            } catch (LinkageError | RuntimeException e) {
                LOG.warn(
                        "Sluice's JSON decoder cannot be built on this Spark ({}); using Spark's from_json",
                        e.toString());
            }
        }
        return functions.from_json(value.cast(DataTypes.StringType), schema, options);
    }

    /**
     * Spark's own {@code from_json} evaluator with the same settings, fed what {@code CAST(value AS
     * STRING)} gives it: the baseline the differential test and the benchmark compare {@link
     * Evaluator} with. Returns a row, null, or throws as {@code from_json} does.
     */
    static Function<byte[], Object> fromJson(StructType schema, Map<String, String> options, String timeZone) {
        JsonToStructsEvaluator evaluator = new JsonToStructsEvaluator(
                scalaMap(options),
                schema.asNullable(),
                SQLConf.get().columnNameOfCorruptRecord(),
                scala.Option.apply(timeZone),
                false);
        return value -> evaluator.evaluate(UTF8String.fromBytes(value));
    }

    private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> options) {
        return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(options));
    }

    private static Column invoke(Column value, Evaluator evaluator) {
        Expression target = Literal.create(evaluator, new ObjectType(Evaluator.class));
        List<Expression> arguments = List.of(ExpressionUtils.expression(value));
        return ExpressionUtils.column(new Invoke(
                target,
                "decode",
                evaluator.nullableSchema,
                CollectionConverters.asScala(arguments).toSeq(),
                CollectionConverters.asScala(List.<org.apache.spark.sql.types.AbstractDataType>of())
                        .toSeq(),
                true,
                true,
                true));
    }

    private static Optional<String> probe() {
        try {
            Evaluator evaluator = new Evaluator(
                    StructType.fromDDL("probe INT, _corrupt STRING"),
                    Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "_corrupt"),
                    "UTC");
            InternalRow row = evaluator.decode("{\"probe\":7}".getBytes(StandardCharsets.UTF_8));
            invoke(functions.col("value"), evaluator);
            if (row == null || row.getInt(0) != 7 || !row.isNullAt(1)) {
                return warn("it decoded a probe record to " + row);
            }
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return warn(e.toString());
        }
    }

    private static Optional<String> warn(String why) {
        LOG.warn(
                "Sluice's JSON decoder does not work with this Spark ({}); JSON values are decoded by Spark's from_json",
                why);
        return Optional.of(why);
    }

    /**
     * Decodes one binary value as {@code from_json} does; built on the driver, serialized into
     * the plan, and its parser made lazily in each task (Spark's SQL settings are the task's).
     */
    public static final class Evaluator implements Serializable {
        private static final long serialVersionUID = 1L;

        private final StructType nullableSchema;
        private final Map<String, String> options;
        private final String timeZone;
        private final String defaultCorrupt;
        private transient FailureSafeParser<byte[]> parser;
        private transient StrictJson strict;
        private transient UnsafeRows strictRow;

        private final boolean strictPath;

        Evaluator(StructType schema, Map<String, String> options, String timeZone) {
            this(schema, options, timeZone, true);
        }

        /** With {@code strictPath} false, every record goes to Spark's parser: the benchmark's step between the two. */
        Evaluator(StructType schema, Map<String, String> options, String timeZone, boolean strictPath) {
            this.strictPath = strictPath;
            this.nullableSchema = (StructType) schema.asNullable();
            this.options = Map.copyOf(options);
            this.timeZone = timeZone;
            // from_json's default name when the options give none: the session's, read where the plan is made
            this.defaultCorrupt = SQLConf.get().columnNameOfCorruptRecord();
        }

        /** How the decoder reads in a plan: {@code invoke(sluice_json.decode(value#3))}. */
        @Override
        public String toString() {
            return "sluice_json";
        }

        /** The decoded struct, or null for a value that holds no JSON at all (empty or blank). */
        public InternalRow decode(byte[] value) {
            if (readsStrictly(value)) { // which makes the parsers in the task on its first record
                // a row of its own: a string column of it points into its bytes, and the next record must not move them
                return strictRow.row().copy();
            }
            scala.collection.Iterator<InternalRow> rows = parser.parse(value); // Scala's own: no wrapper a record
            return rows.hasNext() ? rows.next() : null;
        }

        /** Whether the strict fast path read {@code value} into its row (the rest goes to Spark's parser). */
        boolean readsStrictly(byte[] value) {
            if (parser == null) {
                parser = parser();
            }
            if (strict == null) {
                return false;
            }
            strictRow.start();
            return strict.read(value, strictRow);
        }

        private FailureSafeParser<byte[]> parser() {
            JSONOptions parsed = new JSONOptions(scalaMap(options), timeZone, defaultCorrupt);
            ParseMode mode = parsed.parseMode();
            if (mode != PermissiveMode$.MODULE$ && mode != FailFastMode$.MODULE$) {
                throw new IllegalArgumentException(
                        "JSON is decoded in PERMISSIVE or FAILFAST mode, not " + mode.name());
            }
            String corrupt = parsed.columnNameOfCorruptRecord();
            // Spark's legacy time parser reads dates and timestamps by other rules: those are then left to it
            boolean datetimes = !"LEGACY"
                    .equalsIgnoreCase(SQLConf.get().getConfString("spark.sql.legacy.timeParserPolicy", "CORRECTED"));
            strict = strictPath
                    ? StrictJson.of(nullableSchema, Optional.of(corrupt), datetimes)
                            .orElse(null)
                    : null;
            strictRow = strict == null ? null : new UnsafeRows(nullableSchema.size());
            StructType actual = new StructType(java.util.Arrays.stream(nullableSchema.fields())
                    .filter(field -> !field.name().equals(corrupt))
                    .toArray(org.apache.spark.sql.types.StructField[]::new));
            JacksonParser jackson =
                    new JacksonParser(actual, parsed, false, JacksonParser.$lessinit$greater$default$4());
            return new FailureSafeParser<>(
                    record -> jackson.parse(
                            record,
                            (factory, bytes) ->
                                    CreateJacksonParser.string(factory, new String(bytes, StandardCharsets.UTF_8)),
                            UTF8String::fromBytes),
                    mode,
                    nullableSchema,
                    corrupt);
        }
    }

    /** The strict path's rows, written by Spark's own row writer as its projections write them. */
    private static final class UnsafeRows implements StrictJson.Row {
        private final UnsafeRowWriter writer;

        UnsafeRows(int fields) {
            this.writer = new UnsafeRowWriter(fields, 64);
        }

        /** A new row, as a projection starts one: the cursor back at the start, every null bit clear. */
        void start() {
            writer.reset();
            writer.zeroOutNullBytes();
        }

        UnsafeRow row() {
            return writer.getRow();
        }

        @Override
        public void setNullAt(int ordinal) {
            writer.setNullAt(ordinal);
        }

        @Override
        public void setBoolean(int ordinal, boolean value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setByte(int ordinal, byte value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setShort(int ordinal, short value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setInt(int ordinal, int value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setLong(int ordinal, long value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setDouble(int ordinal, double value) {
            writer.write(ordinal, value);
        }

        @Override
        public void setUtf8(int ordinal, byte[] bytes, int offset, int length) {
            writer.write(ordinal, bytes, offset, length);
        }
    }
}
