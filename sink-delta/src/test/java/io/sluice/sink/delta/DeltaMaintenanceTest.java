package io.sluice.sink.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delta sink's upkeep on a real table fed by a real broker: compaction every N-th batch and
 * vacuum on a schedule, their cost on the batch's progress line, the rows exactly once, the
 * table's files read back from disk.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DeltaMaintenanceTest {
    private static EmbeddedKafka kafka;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    /** A topic of one partition with {@code count} records: one file per batch of 10. */
    private static String topic(String name, int count) {
        String topic = kafka.newTopic("delta-upkeep-" + name, 1);
        produce(topic, 0, count);
        return topic;
    }

    private static void produce(String topic, int from, int count) {
        kafka.produceValues(
                topic,
                IntStream.range(from, from + count)
                        .mapToObj(i -> "{\"id\":" + i + ",\"customer\":\"c" + (i % 4) + "\"}")
                        .toList());
    }

    private PipelineBuilder pipeline(String name, String topic, String table, String... sinkOptions) {
        Map<String, String> options =
                new java.util.HashMap<>(Map.of("path", dir.resolve(table).toString()));
        for (int i = 0; i < sinkOptions.length; i += 2) {
            options.put(sinkOptions[i], sinkOptions[i + 1]);
        }
        return sluice.pipeline(name)
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, customer STRING",
                                "maxOffsetsPerTrigger",
                                "10"))
                .sql("SELECT id, customer FROM input")
                .checkpointLocation(dir.resolve("checkpoint-" + name).toString())
                .sink("delta", options);
    }

    private PipelineBuilder fourBatches(String name, String table, String... sinkOptions) {
        return pipeline(name, topic(name, 40), table, sinkOptions);
    }

    private List<String> operations(String table) {
        return DeltaTable.forPath(sluice.spark(), dir.resolve(table).toString())
                .history()
                .orderBy("version")
                .select("operation")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0))
                .toList();
    }

    private static String line(PipelineHandle handle, long batch) {
        StreamingQueryProgress progress = handle.recentProgress().stream()
                .filter(p -> p.batchId() == batch)
                .findFirst()
                .orElseThrow();
        return ProgressReporter.format(progress, handle.plan());
    }

    @Test
    void compactsEverySecondBatchAndVacuumsOnItsScheduleWithTheCostOnThatBatchsLine() throws Exception {
        String table = dir.resolve("t").toString();
        // the table keeps removed files for no time at all, so that this test sees them go (Delta's default: 7 days)
        sluice.spark()
                .sql("CREATE TABLE delta.`" + table + "` (id BIGINT, customer STRING)"
                        + " USING delta TBLPROPERTIES (delta.deletedFileRetentionDuration = 'interval 0 seconds')");
        String topic = topic("upkeep", 20);

        // batches 0 and 1, compacted after batch 1
        PipelineHandle first = Pipelines.runToEnd(pipeline("upkeep", topic, "t", "optimizeEvery", "2"));
        assertEquals(List.of("CREATE TABLE", "WRITE", "WRITE", "OPTIMIZE"), operations("t"));
        assertEquals(2L, first.counts(1).get("delta.maintenance.optimized_files"), "the two batches' files");
        assertEquals(0L, first.counts(0).get("delta.maintenance.optimize_ms"));
        String compacted = line(first, 1);
        assertTrue(
                compacted.matches("\\[upkeep] batch 1: 10 records in .*, delta\\.maintenance: optimize_ms=[\\d,]+"
                        + " optimized_files=2"),
                compacted);
        assertFalse(line(first, 0).contains("delta.maintenance"), "no upkeep, no word of it: " + line(first, 0));

        // batch 2: no compaction due; the table was never vacuumed, so a vacuum is, and the two replaced files go
        produce(topic, 20, 10);
        PipelineHandle second =
                Pipelines.runToEnd(pipeline("upkeep", topic, "t", "optimizeEvery", "2", "vacuumEvery", "1h"));
        assertEquals(2L, second.counts(2).get("delta.maintenance.vacuumed_files"), "what the compaction replaced");
        String vacuumed = line(second, 2);
        assertTrue(
                vacuumed.matches(".*, delta\\.maintenance: vacuum_ms=[\\d,]+ vacuumed_files=2"),
                "only what ran, no zeros: " + vacuumed);
        long referenced = sluice.spark()
                .sql("DESCRIBE DETAIL delta.`" + table + "`")
                .select("numFiles")
                .first()
                .getLong(0);
        assertEquals(2L, referenced, "the compacted file and batch 2's");
        assertEquals(referenced, dataFiles(dir.resolve("t")), "on disk: the files the table uses, no more");

        // batch 3, after a restart: compacted; the last vacuum (in the table's history) is less than an hour old
        produce(topic, 30, 10);
        PipelineHandle third =
                Pipelines.runToEnd(pipeline("upkeep", topic, "t", "optimizeEvery", "2", "vacuumEvery", "1h"));
        assertEquals(3L, third.counts(3).get("delta.maintenance.optimized_files"), "the compacted file and two new");
        assertEquals(0L, third.counts(3).get("delta.maintenance.vacuum_ms"), "not due: " + line(third, 3));
        assertEquals(
                List.of("WRITE", "WRITE", "OPTIMIZE", "WRITE", "VACUUM START", "VACUUM END", "WRITE", "OPTIMIZE"),
                operations("t").subList(1, operations("t").size()));
        Row counts = sluice.spark()
                .read()
                .format("delta")
                .load(table)
                .selectExpr("count(*)", "count(DISTINCT id)")
                .first();
        assertEquals(40L, counts.getLong(0));
        assertEquals(40L, counts.getLong(1), "every record once");
        assertEquals(
                3L,
                DeltaTransactions.lastBatch(sluice.spark(), table, third.id().toString())
                        .getAsLong(),
                "each commit carries the batch id, as Delta's streaming sink's do");
    }

    @Test
    void upkeepOptionsAreCheckedBeforeStart() {
        assertEquals(
                List.of("sink 'delta': option 'optimizeZOrderBy' needs option 'optimizeEvery'"),
                problems(fourBatches("zorder", "z", "optimizeZOrderBy", "customer", "vacuumEvery", "1d")));
        assertEquals(
                List.of("sink 'delta': option 'vacuumEvery' = '0s' must be positive"),
                problems(fourBatches("zorder0", "z", "vacuumEvery", "0s")));
        assertEquals(
                List.of("sink 'delta': option 'optimizeZOrderBy' names column 'custmer', which the query does not have"
                        + " (columns: id, customer) — did you mean 'customer'?"),
                problems(fourBatches("zorder2", "z", "optimizeEvery", "5", "optimizeZOrderBy", "custmer")));
        assertEquals(
                List.of("sink 'delta': option 'optimizeZOrderBy' names 'customer', a column the table is partitioned by"
                        + " ('partitionBy'): each file holds one value of it already, so Delta refuses to cluster by it;"
                        + " name other columns"),
                problems(fourBatches(
                        "zorder3",
                        "z",
                        "optimizeEvery",
                        "5",
                        "optimizeZOrderBy",
                        "customer",
                        "partitionBy",
                        "customer")));
        assertEquals(
                List.of("sink 'delta': option 'optimizeEvery' = '0' must be positive"),
                problems(fourBatches("zorder4", "z", "optimizeEvery", "0")));
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }

    private static long dataFiles(Path table) throws IOException {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(f -> !f.toString().contains("_delta_log"))
                    .filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .count();
        }
    }
}
