package io.sluice.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.QueryFacts;
import io.sluice.engine.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link PlanFacts} reads out of Catalyst's plans. It leans on how Spark keeps a column's
 * identity through views and aliases and on the optimizer's distinct keys: when Spark changes
 * either, this test fails before a sink is told something false.
 */
class PlanFactsTest {
    private static Sluice sluice;

    @TempDir
    static Path dir;

    @BeforeAll
    static void session() throws Exception {
        sluice = Sluice.embedded();
        Files.createDirectories(dir.resolve("in"));
    }

    private static Dataset<Row> source() {
        return sluice.spark()
                .readStream()
                .schema("topic STRING, partition INT, offset BIGINT, id BIGINT, amount DOUBLE")
                .json(dir.resolve("in").toString());
    }

    private static QueryFacts facts(String... sql) {
        Dataset<Row> source = source();
        Dataset<Row> output = source;
        for (String step : sql) {
            output = new SqlTransform("input", step).apply(sluice.spark(), output);
        }
        return PlanFacts.of("test", List.of("partition", "offset"), source, output);
    }

    @Test
    void aColumnPassedThroughViewsAndRenamesIsTheSourceColumn() {
        QueryFacts facts = facts(
                "SELECT * FROM input WHERE amount > 1", "SELECT topic AS topic, id, offset AS o, partition FROM input");
        assertEquals(Optional.of("topic"), facts.sourceColumn("topic"));
        assertEquals(Optional.of("offset"), facts.sourceColumn("o"));
        assertTrue(facts.isSourceColumn("topic", "test", "topic"));
        assertFalse(facts.isSourceColumn("topic", "kafka", "topic"), "another connector's column of the same name");
        assertEquals(Optional.of(List.of("partition", "o")), facts.sourceOrder());
    }

    @Test
    void aColumnTheSqlComputesHasNoOrigin() {
        QueryFacts facts = facts(
                "SELECT upper(topic) AS topic, concat(topic, '-out') AS t2, 'orders' AS t3, id + 0 AS id FROM input");
        assertEquals(Optional.empty(), facts.sourceColumn("topic"));
        assertEquals(Optional.empty(), facts.sourceColumn("t2"));
        assertEquals(Optional.empty(), facts.sourceColumn("t3"));
        assertEquals(Optional.empty(), facts.sourceColumn("id"));
        assertEquals(Optional.empty(), facts.sourceOrder(), "the query drops the order columns");
        assertEquals(Optional.of(List.of("partition", "offset")), facts.recordOrderColumns());
    }

    @Test
    void aJavaTransformKeepsOriginsAndAGroupingColumnIsStillTheSourceColumn() {
        Dataset<Row> source = source();
        Dataset<Row> output = source.withColumn(
                        "doubled", functions.col("amount").multiply(2))
                .groupBy("topic")
                .count();
        QueryFacts facts = PlanFacts.of("test", List.of(), source, output);
        assertEquals(Optional.of("topic"), facts.sourceColumn("topic"));
        assertEquals(Optional.empty(), facts.sourceOrder(), "a source without an order has none to pass through");
    }

    @Test
    void keysAreUniquePerBatchWhenTheOptimizerProvesIt() {
        QueryFacts grouped = facts(
                "SELECT id, count(*) AS n, sum(amount) AS total FROM input GROUP BY id",
                "SELECT * FROM input WHERE n > 1");
        assertTrue(grouped.uniquePerBatch(List.of("id")));
        assertTrue(grouped.uniquePerBatch(List.of("id", "n")), "a superset of a unique key is unique");
        assertFalse(grouped.uniquePerBatch(List.of("n")));
        assertFalse(
                facts("SELECT id, amount FROM input").uniquePerBatch(List.of("id")), "rows of a stream repeat keys");
        assertTrue(facts("SELECT DISTINCT id, topic FROM input").uniquePerBatch(List.of("id", "topic")));
    }

    /** A window selected by its start (or end) is the window: that spelling of a key is unique too. */
    @Test
    void aWindowSelectedByItsBoundKeepsTheKeyUnique() {
        Dataset<Row> source = sluice.spark()
                .readStream()
                .schema("device STRING, ts TIMESTAMP, reading DOUBLE, period STRUCT<start: INT, end: INT>")
                .json(dir.resolve("in").toString());
        Dataset<Row> tumbling = source.withWatermark("ts", "1 minute")
                .groupBy(functions.window(functions.col("ts"), "5 minutes"), functions.col("device"))
                .agg(functions.avg("reading").as("avg"))
                .selectExpr("window.start AS window_start", "device", "avg");
        QueryFacts facts = PlanFacts.of("test", List.of(), source, tumbling);
        assertTrue(facts.uniquePerBatch(List.of("window_start", "device")));
        assertFalse(facts.uniquePerBatch(List.of("window_start")), "another device has the same window");

        Dataset<Row> sliding = source.withWatermark("ts", "1 minute")
                .groupBy(functions.window(functions.col("ts"), "10 minutes", "5 minutes"), functions.col("device"))
                .count()
                .selectExpr("device", "window.end AS ends", "count");
        assertTrue(PlanFacts.of("test", List.of(), source, sliding).uniquePerBatch(List.of("ends", "device")));

        Dataset<Row> notAWindow = source.groupBy(functions.col("period"), functions.col("device"))
                .count()
                .selectExpr("period.start AS starts", "device", "count");
        assertFalse(
                PlanFacts.of("test", List.of(), source, notAWindow).uniquePerBatch(List.of("starts", "device")),
                "a struct that is not a window: its start alone is not the key");
    }

    @Test
    void aUnionHasNoOrigins() {
        QueryFacts facts = facts("SELECT topic FROM input UNION ALL SELECT 'other' AS topic FROM input");
        assertEquals(Optional.empty(), facts.sourceColumn("topic"));
    }
}
