package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.SharedSluice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate of Sluice's JSON decoder ({@link SparkJson}): on the same bytes, every column, null
 * and corrupt record is what Spark's {@code from_json} gives — for generated valid records of
 * every type, malformed variants of each field, broken records, invalid UTF-8 and byte
 * mutations, in PERMISSIVE and FAILFAST, with partial results on and off, in two session time
 * zones. CI runs {@value #DEFAULT_CASES} generated cases per schema and setting; a developer
 * runs more with {@code -Dsluice.differential.cases=1000000} (and another {@code
 * -Dsluice.differential.seed=N}).
 */
class JsonDecodingDifferentialTest {
    private static final int DEFAULT_CASES = 5_000;
    private static final int CASES = Integer.getInteger("sluice.differential.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("sluice.differential.seed", 20261205L);
    static final String CORRUPT = "_corrupt";

    /** Every type the strict fast path reads, and one it reads only as null. */
    static final StructType STRICT = StructType.fromDDL(
            "b BOOLEAN, ti TINYINT, sh SMALLINT, i INT, l BIGINT, d DOUBLE, s STRING, ts TIMESTAMP, dt DATE,"
                    + " dec DECIMAL(10,2)");

    /** The benchmark's schema, one with every type the decoder reads, and the strict path's types. */
    private static final Map<String, StructType> SCHEMAS = Map.of(
            "bench",
            StructType.fromDDL("id BIGINT, customer STRING, amount DOUBLE, ts BIGINT"),
            "every type",
            StructType.fromDDL("b BOOLEAN, i INT, l BIGINT, sh SMALLINT, ti TINYINT, f FLOAT, d DOUBLE,"
                    + " dec DECIMAL(10,2), big DECIMAL(38,18), s STRING, bin BINARY, dt DATE, ts TIMESTAMP,"
                    + " ntz TIMESTAMP_NTZ, arr ARRAY<INT>, m MAP<STRING,BIGINT>,"
                    + " nested STRUCT<a: INT, b: ARRAY<STRUCT<c: STRING, d: DOUBLE>>>"),
            "strict types",
            STRICT);

    static Stream<Arguments> settings() {
        List<Arguments> settings = new ArrayList<>();
        for (String schema : SCHEMAS.keySet()) {
            for (String mode : List.of("PERMISSIVE", "FAILFAST")) {
                for (boolean partial : List.of(true, false)) {
                    for (String zone : List.of("UTC", "Asia/Kolkata")) {
                        settings.add(Arguments.of(schema, mode, partial, zone));
                    }
                }
            }
        }
        return settings.stream();
    }

    @Test
    void sluicesDecoderIsUsedWithThisSpark() {
        // a Spark without the classes or methods SparkJson uses makes Sluice fall back to from_json: say so here
        assertEquals(Optional.empty(), SparkJson.unavailable(), "Sluice's JSON decoder falls back to from_json");
    }

    @ParameterizedTest(name = "{0}, {1}, partial results {2}, {3}")
    @MethodSource("settings")
    void decodesEveryRecordAsFromJson(String schemaName, String mode, boolean partial, String zone) {
        SparkSession spark = SharedSluice.get().spark();
        spark.conf().set("spark.sql.json.enablePartialResults", partial);
        try {
            StructType schema = SCHEMAS.get(schemaName);
            Map<String, String> options = mode.equals("PERMISSIVE")
                    ? Map.of("mode", mode, "columnNameOfCorruptRecord", CORRUPT)
                    : Map.of("mode", mode);
            StructType decoded = mode.equals("PERMISSIVE") ? schema.add(CORRUPT, DataTypes.StringType) : schema;
            Decoders decoders = new Decoders(decoded, options, zone);
            List<byte[]> cases = new ArrayList<>(JsonCases.fixed(schema));
            JsonCases generated = new JsonCases(schema, SEED);
            for (int i = 0; i < CASES; i++) {
                cases.add(generated.next());
            }
            int valid = 0;
            for (byte[] value : cases) {
                valid += decoders.assertSame(value) ? 1 : 0;
            }
            // the generator must give both sides real work: records that decode, and records that do not
            assertTrue(valid > CASES / 10, valid + " of " + cases.size() + " decoded");
            assertTrue(valid < cases.size() - CASES / 10, valid + " of " + cases.size() + " decoded");
        } finally {
            spark.conf().unset("spark.sql.json.enablePartialResults");
        }
    }

    /**
     * Valid records of the strict subset never leave the fast path — and what it gives is still
     * from_json's, column for column (the test above covers what it must leave to Spark).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"PERMISSIVE", "FAILFAST"})
    void validRecordsOfTheStrictSubsetNeverFallBack(String mode) {
        Map<String, String> options = mode.equals("PERMISSIVE")
                ? Map.of("mode", mode, "columnNameOfCorruptRecord", CORRUPT)
                : Map.of("mode", mode);
        StructType decoded = mode.equals("PERMISSIVE") ? STRICT.add(CORRUPT, DataTypes.StringType) : STRICT;
        Decoders decoders = new Decoders(decoded, options, "UTC");
        SparkJson.Evaluator evaluator = new SparkJson.Evaluator(decoded, options, "UTC");
        JsonCases generated = new JsonCases(STRICT, SEED + 2);
        for (int i = 0; i < CASES; i++) {
            byte[] value = generated.strict();
            String record = new String(value, StandardCharsets.UTF_8)
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                    .replace("\t", "\\t");
            assertTrue(evaluator.readsStrictly(value), "left the fast path: " + record);
            assertTrue(decoders.assertSame(value), "did not decode: " + record);
        }
    }

    /** Spark's from_json evaluator and Sluice's, with one way to compare their answers. */
    static final class Decoders {
        private final java.util.function.Function<byte[], Object> spark;
        private final SparkJson.Evaluator sluice;
        private final UnsafeProjection unsafe;
        private final int corrupt;

        Decoders(StructType schema, Map<String, String> options, String zone) {
            this.corrupt = List.of(schema.fieldNames()).indexOf(CORRUPT);
            this.spark = SparkJson.fromJson(schema, options, zone);
            this.sluice = new SparkJson.Evaluator(schema, options, zone);
            this.unsafe = UnsafeProjection.create((StructType) schema.asNullable());
        }

        /** Whether the value decoded (to a row without a corrupt record) — after asserting both sides agree. */
        boolean assertSame(byte[] value) {
            Object expected;
            try {
                expected = spark.apply(value);
            } catch (Exception e) { // FAILFAST's SparkException is checked, and thrown unchecked
                expected = e;
            }
            Object actual;
            try {
                actual = sluice.decode(value);
            } catch (Exception e) {
                actual = e;
            }
            String record = HexFormat.of().formatHex(value) + " (" + new String(value, StandardCharsets.UTF_8) + ")";
            if (expected instanceof Exception failure) {
                assertTrue(
                        actual instanceof Exception,
                        record + ": from_json failed with " + failure + ", Sluice gave " + actual);
                assertEquals(failure.getClass(), actual.getClass(), record);
                // the message shows the partial row, where a byte array prints as [B@ and its identity
                assertEquals(identityless(failure), identityless((Exception) actual), record);
                // the cause says what Jackson found; its words may name the source (a String, not a Reader)
                assertEquals(cause(failure), cause((Exception) actual), record);
                return false;
            }
            assertTrue(
                    !(actual instanceof Exception),
                    record + ": from_json gave " + expected + ", Sluice failed: " + actual);
            if (expected == null || actual == null) {
                assertEquals(expected, actual, record);
                return false;
            }
            assertTrue(actual instanceof InternalRow, record + ": " + actual);
            // every column and null-ness, byte for byte: both as Spark's own row format
            InternalRow want = unsafe.apply((InternalRow) expected).copy();
            InternalRow got = unsafe.apply((InternalRow) actual).copy();
            assertEquals(want, got, record + ": from_json gave " + want + ", Sluice " + got);
            return corrupt < 0 || got.isNullAt(corrupt);
        }
    }

    private static String identityless(Throwable failure) {
        return failure.getMessage().replaceAll("@[0-9a-f]+", "@");
    }

    private static Class<?> cause(Throwable failure) {
        return failure.getCause() == null ? null : failure.getCause().getClass();
    }

    /** The same comparison through a query: the decoder as Spark runs it, code-generated, in both time zones. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"UTC", "America/Los_Angeles"})
    void aQueryDecodesAsFromJson(String zone) {
        SparkSession spark = SharedSluice.get().spark();
        String before = spark.conf().get("spark.sql.session.timeZone");
        spark.conf().set("spark.sql.session.timeZone", zone);
        try {
            for (Map.Entry<String, StructType> schema : SCHEMAS.entrySet()) {
                StructType decoded = schema.getValue().add(CORRUPT, DataTypes.StringType);
                Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
                List<Row> rows = new ArrayList<>();
                JsonCases.fixed(schema.getValue()).forEach(value -> rows.add(RowFactory.create(value)));
                JsonCases generated = new JsonCases(schema.getValue(), SEED + 1);
                for (int i = 0; i < 2_000; i++) {
                    rows.add(RowFactory.create((Object) generated.next()));
                }
                rows.add(RowFactory.create((Object) null));
                Dataset<Row> values = spark.createDataFrame(rows, StructType.fromDDL("value BINARY"))
                        .repartition(2);
                Column theirs = from_json(col("value").cast(DataTypes.StringType), decoded, options);
                Column ours = SparkJson.decode(col("value"), decoded, options, zone);
                Dataset<Row> both = values.select(
                        col("value"),
                        to_json(theirs).as("from_json"),
                        to_json(ours).as("sluice"));
                List<Row> answers = both.collectAsList();
                assertEquals(rows.size(), answers.size());
                List<Row> differ = answers.stream()
                        .filter(row -> !java.util.Objects.equals(row.get(1), row.get(2)))
                        .limit(5)
                        .toList();
                assertEquals(List.of(), differ, schema.getKey());
                // alone in a projection (from_json beside it stops whole-stage code generation: it is CodegenFallback),
                // the decoder is in generated code; after the run, the adaptive plan shows its final stages
                Dataset<Row> alone = values.select(to_json(ours).as("sluice"));
                assertEquals(rows.size(), alone.collectAsList().size());
                String plan = alone.queryExecution().executedPlan().toString();
                assertTrue(
                        plan.lines().anyMatch(line -> line.contains("*(") && line.contains("sluice_json.decode(")),
                        "code-generated: " + plan);
            }
        } finally {
            spark.conf().set("spark.sql.session.timeZone", before);
        }
    }
}
