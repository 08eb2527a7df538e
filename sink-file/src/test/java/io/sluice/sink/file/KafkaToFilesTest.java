package io.sluice.sink.file;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.CheckpointChange;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.TaskBlocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kafka to files on a real broker and a real session: read back, and exactly once across restarts and kills. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToFilesTest {
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static String topic(int partitions) {
        return kafka.newTopic("files", partitions);
    }

    private static void produce(String topic, int partitions, int perPartition, int from) {
        List<KafkaRecord> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (int i = from; i < from + perPartition; i++) {
                records.add(KafkaRecord.of("k" + i, "{\"n\":" + i + ",\"p\":" + p + "}")
                        .toPartition(p));
            }
        }
        kafka.produce(topic, records);
    }

    private PipelineBuilder kafkaTo(
            String name, String topic, String sink, Map<String, String> sinkOptions, String... source) {
        Map<String, String> options = OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "json", "value.schema", "n INT, p INT"), source);
        return sluice.pipeline(name)
                .source("kafka", options)
                .sink(sink, sinkOptions)
                .checkpointLocation(dir.resolve("checkpoint").toString());
    }

    /** What a reader going through Spark's metadata log sees: only committed batches. */
    private Dataset<Row> committed(Path path) {
        return sluice.spark().read().parquet(path.toString());
    }

    private static void assertEachOffsetOnce(Dataset<Row> rows, long expected) {
        assertEquals(expected, rows.count(), "rows");
        assertEquals(
                expected,
                rows.select("topic", "partition", "offset").distinct().count(),
                "distinct (topic, partition, offset)");
    }

    @Test
    void kafkaToParquetIsReadBackAsProduced() throws Exception {
        String topic = topic(2);
        produce(topic, 2, 50, 0);
        Path out = dir.resolve("orders");
        Pipelines.runToEnd(
                kafkaTo("to_parquet", topic, "parquet", Map.of("path", out.toString(), "partitionBy", "partition")));

        Dataset<Row> written = committed(out);
        assertEachOffsetOnce(written, 100);
        assertEquals(
                0L,
                written.filter(col("p").notEqual(col("partition"))).count(),
                "each record sits in its partition's directory");
        assertEquals(
                List.of(0, 1),
                written.select("partition")
                        .distinct()
                        .orderBy("partition")
                        .as(Encoders.INT())
                        .collectAsList());
        assertTrue(Files.isDirectory(out.resolve("partition=0")));
        assertEquals(
                List.of("k0", "k49"),
                written.filter("partition = 1 AND n IN (0, 49)")
                        .orderBy("n")
                        .select(col("key").cast("string"))
                        .as(Encoders.STRING())
                        .collectAsList());
    }

    /**
     * {@code retention}: at the log's compaction (every 10 batches) files older than the retention
     * leave the metadata log — a reader through it no longer sees them — and stay on disk.
     */
    @Test
    void retentionDropsOldFilesFromTheLogAtItsCompactionAndKeepsThemOnDisk() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 12, 0);
        Path out = dir.resolve("retained");
        Pipelines.runToEnd(kafkaTo(
                "retained",
                topic,
                "parquet",
                Map.of("path", out.toString(), "retention", "1 ms"),
                "maxOffsetsPerTrigger",
                "1"));

        assertTrue(Files.exists(out.resolve("_spark_metadata/9.compact")), "the log was compacted at batch 9");
        long listed = committed(out).count();
        assertTrue(
                listed < 12 && listed >= 2,
                "files older than 1 ms left the log at its compaction: " + listed + " listed");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    12,
                    files.filter(f -> f.getFileName().toString().startsWith("part-"))
                            .count(),
                    "all on disk");
        }
    }

    /**
     * A directory whose sink log another checkpoint wrote is refused before start: Spark would
     * take this pipeline's first batches as written and write nothing. Its own checkpoint still
     * runs on, and a new directory works.
     */
    @Test
    void aDirectoryHoldingAnotherCheckpointsSinkLogIsRefusedBeforeStart() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 30, 0);
        Path out = dir.resolve("shared");
        Map<String, String> sink = Map.of("path", out.toString());
        Pipelines.runToEnd(kafkaTo("first_owner", topic, "parquet", sink, "maxOffsetsPerTrigger", "10"));
        assertEachOffsetOnce(committed(out), 30);

        PipelineBuilder second = sluice.pipeline("second_owner")
                .source("kafka", kafka.readFromStart(topic, "value.format", "json", "value.schema", "n INT, p INT"))
                .sink("parquet", sink)
                .checkpointLocation(dir.resolve("other-checkpoint").toString());
        ValidationException refused =
                assertThrows(ValidationException.class, () -> second.build().start());
        assertEquals(
                List.of("sink 'parquet': option 'path' = '" + out + "' holds the files of another pipeline's checkpoint"
                        + " (its log " + out + "/_spark_metadata lists batches up to 2; this pipeline's checkpoint is"
                        + " new): Spark would take batches up to 2 as written and write nothing for them. Write to a"
                        + " new directory, run with the checkpoint that wrote it, or delete the directory if its files"
                        + " are not needed"),
                refused.problems().stream().map(Object::toString).toList());
        assertEquals(0, sluice.spark().streams().active().length, "nothing started");

        produce(topic, 1, 5, 30);
        Pipelines.runToEnd(kafkaTo("first_owner", topic, "parquet", sink, "maxOffsetsPerTrigger", "10"));
        assertEachOffsetOnce(committed(out), 35);
    }

    @Test
    void exactlyOnceWhenStoppedMidStreamAndRestartedFromTheCheckpoint() throws Exception {
        String topic = topic(2);
        produce(topic, 2, 500, 0);
        Path out = dir.resolve("restarted");
        Map<String, String> sink = Map.of("path", out.toString());
        PipelineHandle first = kafkaTo("restart", topic, "parquet", sink, "maxOffsetsPerTrigger", "100")
                .build()
                .start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (first.lastProgress().map(p -> p.batchId()).orElse(-1L) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        first.stop();
        long before = committed(out).count();
        assertTrue(before > 0 && before < 1000, "stopped in the middle of the stream, after " + before + " rows");

        produce(topic, 2, 250, 500);
        PipelineHandle second = kafkaTo("restart", topic, "parquet", sink, "maxOffsetsPerTrigger", "100")
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        assertTrue(second.awaitTermination(Duration.ofMinutes(2)));

        Dataset<Row> written = committed(out);
        assertEachOffsetOnce(written, 1500);
        assertEquals(
                List.of(749L, 749L),
                written.groupBy("partition")
                        .max("offset")
                        .orderBy("partition")
                        .select("max(offset)")
                        .as(Encoders.LONG())
                        .collectAsList());
    }

    @Test
    void exactlyOnceWhenKilledWhileABatchIsBeingWritten() throws Exception {
        String topic = topic(2);
        produce(topic, 2, 200, 0);
        Path out = dir.resolve("killed");
        Map<String, String> sink = Map.of("path", out.toString());
        TaskBlocker.blockAt(1, 100);
        PipelineHandle first = kafkaTo("killed", topic, "parquet", sink)
                .transform("block one task", TaskBlocker::apply)
                .build()
                .start();
        try {
            assertTrue(
                    TaskBlocker.awaitBlocked(Duration.ofMinutes(2)), "partition 1's task reached the blocking record");
            awaitDataFile(out);
        } finally {
            first.stop();
            TaskBlocker.release();
        }
        awaitNoRunningTasks();
        long leftover = globbed(out).count();
        System.out.printf("the killed batch left %d rows in files that no commit lists%n", leftover);
        assertEquals(
                0L,
                sluice.spark()
                        .read()
                        .schema("n INT, p INT, key BINARY, topic STRING, partition INT, offset BIGINT,"
                                + " timestamp TIMESTAMP, timestampType INT")
                        .parquet(out.toString())
                        .count(),
                "a reader that goes through Spark's metadata log sees nothing of the killed batch");

        TaskBlocker.disarm();
        produce(topic, 2, 100, 200);
        PipelineHandle second = kafkaTo("killed", topic, "parquet", sink)
                .transform("block one task", TaskBlocker::apply)
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        assertTrue(second.awaitTermination(Duration.ofMinutes(2)));

        assertEachOffsetOnce(committed(out), 600);
        if (leftover > 0) {
            long files = globbed(out).count();
            assertTrue(
                    files >= 600 + leftover,
                    "globbing the directory sees the killed batch's rows too (" + files + " rows)");
        }
    }

    @Test
    void aChangedPipelineOnAnOldCheckpointIsRefusedBeforeAnythingStartsAndHarmlessChangesPass() throws Exception {
        String topic = topic(1);
        String other = topic(1);
        produce(topic, 1, 50, 0);
        Path out = dir.resolve("guarded");
        String checkpoint = dir.resolve("checkpoint").toString();
        Map<String, String> sink = Map.of("path", out.toString());
        Pipelines.runToEnd(kafkaTo("guarded", topic, "parquet", sink, "maxOffsetsPerTrigger", "20")
                .sql("SELECT n, p, offset FROM input"));

        ValidationException otherTopic = assertThrows(
                ValidationException.class,
                () -> kafkaTo("guarded", other, "parquet", sink)
                        .sql("SELECT n, p, offset FROM input")
                        .trigger(StreamTrigger.availableNow())
                        .build()
                        .start());
        assertEquals(
                "pipeline 'guarded' is invalid: pipeline 'guarded': the checkpoint at " + checkpoint
                        + " belongs to a pipeline"
                        + " whose source 'kafka' read with 'subscribe' = '" + topic + "', now '" + other
                        + "': Spark cannot carry a"
                        + " checkpoint over to other input without surprises (partitions no longer read are reported as data lost, new ones"
                        + " are read from their earliest offsets); give the changed pipeline a new checkpointLocation (it then starts from"
                        + " its startingOffsets), or undo the change, or accept it with acceptChanges: [source]",
                otherTopic.getMessage());

        ValidationException otherPath = assertThrows(
                ValidationException.class,
                () -> kafkaTo(
                                "guarded",
                                topic,
                                "parquet",
                                Map.of("path", dir.resolve("elsewhere").toString()))
                        .sql("SELECT n, p, offset FROM input")
                        .build()
                        .start());
        assertEquals(
                "pipeline 'guarded' is invalid: pipeline 'guarded': the checkpoint at " + checkpoint
                        + " belongs to a pipeline"
                        + " whose sink 'parquet' wrote with 'path' = '" + out + "', now '" + dir.resolve("elsewhere")
                        + "': the new place"
                        + " would lack everything written before; give the changed pipeline a new checkpointLocation (it then starts from"
                        + " its startingOffsets), or undo the change",
                otherPath.getMessage());

        ValidationException otherType = assertThrows(
                ValidationException.class,
                () -> kafkaTo("guarded", topic, "parquet", sink)
                        .sql("SELECT CAST(n AS STRING) AS n, p, offset FROM input")
                        .build()
                        .start());
        assertEquals(
                "pipeline 'guarded' is invalid: pipeline 'guarded': the checkpoint at " + checkpoint
                        + " belongs to a pipeline"
                        + " whose column 'n' was int, and it is string now: the files written before could not be read with the new ones;"
                        + " keep the type (CAST(n AS INT)), or write to a new path with a new checkpointLocation, or accept it with"
                        + " acceptChanges: [schema] (then read the old and new files apart)",
                otherType.getMessage());

        ValidationException nowStateful = assertThrows(
                ValidationException.class,
                () -> kafkaTo("guarded", topic, "parquet", sink)
                        .sql("SELECT n, p, offset FROM input")
                        .transform("one row per n", data -> data.dropDuplicates("n"))
                        .build()
                        .start());
        assertTrue(
                nowStateful
                        .getMessage()
                        .contains(
                                "belongs to a pipeline with no stateful operator, and this one has a"
                                        + " deduplication (DISTINCT, dropDuplicates): Spark cannot restore state into other stateful operators"),
                nowStateful.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("elsewhere")), "nothing started");

        // a new rate limit, another trigger and a stateless filter are what Spark carries over: they pass
        produce(topic, 1, 10, 50);
        Pipelines.runToEnd(kafkaTo("guarded", topic, "parquet", sink, "maxOffsetsPerTrigger", "5")
                .sql("SELECT n, p, offset FROM input WHERE n >= 0"));
        assertEquals(60, committed(out).count());

        // a topic added, accepted: the first topic goes on from the checkpoint, the new one is read from its start
        produce(other, 1, 5, 100);
        Pipelines.runToEnd(kafkaTo("guarded", topic + "," + other, "parquet", sink)
                .sql("SELECT n, p, offset FROM input")
                .acceptChanges(CheckpointChange.SOURCE));
        assertEquals(65, committed(out).count());
        assertEquals(65, committed(out).select("n").distinct().count());
        Pipelines.runToEnd(
                kafkaTo("guarded", topic + "," + other, "parquet", sink).sql("SELECT n, p, offset FROM input"));

        // a column's new type, accepted: Spark writes the new files beside the old ones
        produce(topic, 1, 5, 200);
        Pipelines.runToEnd(kafkaTo("guarded", topic + "," + other, "parquet", sink)
                .sql("SELECT CAST(n AS STRING) AS n, p, offset FROM input")
                .acceptChanges(CheckpointChange.SCHEMA));
        assertEquals(
                "string",
                sluice.spark()
                        .read()
                        .parquet(newestFile(out).toString())
                        .schema()
                        .apply("n")
                        .dataType()
                        .simpleString());
    }

    private static Path newestFile(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .max(java.util.Comparator.comparingLong(f -> f.toFile().lastModified()))
                    .orElseThrow();
        }
    }

    /**
     * What a reader that globs the directory sees. Empty files are left out: an interrupted
     * task can leave one behind, which a glob reader would even fail on.
     */
    private Dataset<Row> globbed(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            String[] data = files.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .filter(f -> f.toFile().length() > 0)
                    .map(Path::toString)
                    .toArray(String[]::new);
            if (data.length == 0) {
                return sluice.spark().emptyDataFrame();
            }
            // an aborted task may still be deleting its file while we read
            return sluice.spark().read().option("ignoreMissingFiles", "true").parquet(data);
        }
    }

    /** Cancelled tasks end after the query stops; their clean-up must not race the checks. */
    private static void awaitNoRunningTasks() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (java.util.Arrays.stream(
                            sluice.spark().sparkContext().statusTracker().getExecutorInfos())
                    .allMatch(executor -> executor.numRunningTasks() == 0)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cancelled tasks still running after a minute");
    }

    private static void awaitDataFile(Path out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.list(out)) {
                    if (files.anyMatch(f -> f.getFileName().toString().startsWith("part-")
                            && f.toString().endsWith(".parquet")
                            && f.toFile().length() > 0)) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("partition 0's task wrote no complete file");
    }

    @ParameterizedTest
    @CsvSource({"json,", "csv,header=true", "orc,compression=zstd", "text,"})
    void everyFormatWritesWhatSparkReadsBack(String format, String option) throws Exception {
        String topic = topic(1);
        produce(topic, 1, 20, 0);
        Path out = dir.resolve(format);
        Map<String, String> sink = new HashMap<>(Map.of("path", out.toString()));
        if (option != null) {
            sink.put(option.split("=")[0], option.split("=")[1]);
        }
        PipelineBuilder builder = kafkaTo("to_" + format, topic, format, sink);
        if (format.equals("text")) {
            builder.sql("SELECT CAST(n AS STRING) AS value FROM input");
        } else {
            builder.sql("SELECT n, p, offset FROM input");
        }
        Pipelines.runToEnd(builder);

        Dataset<Row> read = switch (format) {
            case "csv" ->
                sluice.spark()
                        .read()
                        .option("header", "true")
                        .schema("n INT, p INT, offset BIGINT")
                        .csv(out.toString());
            case "json" ->
                sluice.spark().read().schema("n INT, p INT, offset BIGINT").json(out.toString());
            case "orc" -> sluice.spark().read().orc(out.toString());
            default -> sluice.spark().read().text(out.toString()).selectExpr("CAST(value AS INT) AS n");
        };
        assertEquals(20L, read.count());
        assertEquals(190L, read.agg(functions.sum("n")).as(Encoders.LONG()).first());
        if (!format.equals("text")) {
            Row range =
                    read.agg(functions.min("offset"), functions.max("offset")).first();
            assertEquals("[0,19]", range.toString());
        }
    }
}
