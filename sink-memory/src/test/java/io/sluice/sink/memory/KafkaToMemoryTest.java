package io.sluice.sink.memory;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.util.SizeEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed's memory sink (query it with spark.sql), every output mode, and the bounded variant. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToMemoryTest {
    private static final long MINUTE = 60_000L;
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static String topic() {
        return kafka.newTopic("memory", 1);
    }

    private static PipelineBuilder fromKafka(String name, String topic, String... more) {
        return sluice.pipeline(name)
                .source("kafka", OptionPairs.with(kafka.readFromStart(topic, "value.format", "string"), more));
    }

    private static List<String> rows(String sql) {
        return sluice.spark().sql(sql).collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    @Test
    void realTimeModeIsRefusedBeforeStartAsSparkWouldRefuseItAtTheFirstBatch() {
        assertEquals(
                List.of(
                        "sink 'memory': real-time mode cannot write here: Spark 4.2 does not allow its memory sink in"
                                + " real-time mode (it is not on the mode's allowlist); use the kafka or console sink, or a micro-batch trigger"),
                fromKafka("memory_real_time", "t")
                        .sql("SELECT value FROM input")
                        .sink("memory")
                        .outputMode(OutputMode.UPDATE)
                        .trigger(io.sluice.core.StreamTrigger.realTime(java.time.Duration.ofSeconds(5)))
                        .checkpointLocation("/tmp/sluice-memory-rt")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }

    @Test
    void followsTheConventionsAndIsDocumented() {
        assertEquals(
                List.of(),
                ConnectorConventions.violations(
                        sluice.connectors().sink("memory").orElseThrow()));
        assertEquals("", ReadmeTables.checkDocs(new MemorySink()));
    }

    @Test
    void kafkaToMemoryThenSqlAsInTheSeed() throws Exception {
        String topic = topic();
        kafka.produceValues(topic, List.of("one", "two", "three"));
        PipelineHandle handle = runToEnd(fromKafka("kafka_memory", topic).sink("memory"));
        assertEquals(
                List.of("[one,0]", "[two,1]", "[three,2]"),
                rows("SELECT value, offset FROM kafka_memory ORDER BY offset"));
        assertEquals("kafka_memory", handle.name());
    }

    @Test
    void theSinksQueryNameNamesTheTable() throws Exception {
        String topic = topic();
        kafka.produceValues(topic, List.of("x"));
        runToEnd(fromKafka("named_by_pipeline", topic).sink("memory", Map.of("queryName", "named_by_sink")));
        assertEquals(List.of("[x]"), rows("SELECT value FROM named_by_sink"));
    }

    @Test
    void progressIsReadableFromTheHandleAfterAFewBatches() throws Exception {
        String topic = topic();
        kafka.produceValues(topic, IntStream.range(0, 50).mapToObj(i -> "v" + i).toList());
        PipelineHandle handle = runToEnd(
                fromKafka("progress", topic, "maxOffsetsPerTrigger", "10").sink("memory"));
        List<StreamingQueryProgress> recent = handle.recentProgress();
        assertEquals(
                50L,
                recent.stream().mapToLong(StreamingQueryProgress::numInputRows).sum());
        assertTrue(recent.size() >= 5, "batches: " + recent.size());
        StreamingQueryProgress last = handle.lastProgress().orElseThrow();
        assertEquals(recent.get(recent.size() - 1).batchId(), last.batchId());
        assertTrue(
                last.sources()[0].description().startsWith("KafkaV2[Subscribe[" + topic + "]]"),
                last.sources()[0].description());
    }

    /** Events at 0:10, 0:20 and 1:10 (two one-minute windows), then one at 5:00 that moves the watermark past both. */
    private static String windowedTopic() {
        String topic = topic();
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.value("a").withTimestamp(10_000L),
                        KafkaRecord.value("b").withTimestamp(20_000L),
                        KafkaRecord.value("c").withTimestamp(MINUTE + 10_000L),
                        KafkaRecord.value("d").withTimestamp(5 * MINUTE)));
        return topic;
    }

    private static PipelineBuilder windowedCount(String name, String topic) {
        return fromKafka(name, topic)
                .transform(
                        "count per minute",
                        data -> data.withWatermark("timestamp", "30 seconds")
                                .groupBy(window(col("timestamp"), "1 minute"))
                                .count()
                                .select(col("window.start").cast("long").as("minute"), col("count")));
    }

    @Test
    void windowedCountWithWatermarkInCompleteMode() throws Exception {
        runToEnd(windowedCount("windows_complete", windowedTopic())
                .sink("memory")
                .outputMode(OutputMode.COMPLETE));
        assertEquals(
                List.of("[0,2]", "[60,1]", "[300,1]"),
                rows("SELECT minute, count FROM windows_complete ORDER BY minute"));
    }

    @Test
    void windowedCountWithWatermarkInUpdateMode() throws Exception {
        runToEnd(windowedCount("windows_update", windowedTopic()).sink("memory").outputMode(OutputMode.UPDATE));
        assertEquals(
                List.of("[0,2]", "[60,1]", "[300,1]"),
                rows("SELECT minute, max(count) FROM windows_update GROUP BY minute ORDER BY minute"));
    }

    @Test
    void outputModeMistakesAreExplainedBeforeStart() {
        String topic = topic();
        assertEquals(
                List.of(
                        "pipeline 'mode_mistake': output mode APPEND cannot write an aggregation without a watermark: add a"
                                + " watermark on the event-time column (withWatermark, or WATERMARK in SQL) and group by a window of it, or use UPDATE or COMPLETE"),
                fromKafka("mode_mistake", topic)
                        .sql("SELECT value, count(*) FROM input GROUP BY value")
                        .sink("memory")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
        assertEquals(
                List.of(
                        "pipeline 'complete_mistake': output mode COMPLETE needs an aggregation (it rewrites the whole result"
                                + " each batch): use APPEND or UPDATE"),
                fromKafka("complete_mistake", topic)
                        .sink("memory")
                        .outputMode(OutputMode.COMPLETE)
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
        assertEquals(
                List.of(),
                windowedCount("append_with_watermark", topic)
                        .sink("memory")
                        .build()
                        .validate()
                        .problems());
    }

    @Test
    void maxRowsKeepsExactlyTheNewestRowsAndBoundedMemory() throws Exception {
        String small = topic();
        kafka.produceValues(
                small, IntStream.range(0, 1_000).mapToObj(i -> "small-" + i).toList());
        runToEnd(fromKafka("bounded_small", small, "maxOffsetsPerTrigger", "250")
                .sink("memory", Map.of("maxRows", "100")));

        String large = topic();
        kafka.produceValues(
                large, IntStream.range(0, 20_000).mapToObj(i -> "large-" + i).toList());
        PipelineHandle handle = runToEnd(fromKafka("bounded_large", large, "maxOffsetsPerTrigger", "2000")
                .sink("memory", Map.of("maxRows", "100")));
        assertTrue(handle.recentProgress().size() >= 10, "many batches");

        assertEquals(
                List.of("[100,19900,19999]"), rows("SELECT count(*), min(offset), max(offset) FROM bounded_large"));
        assertEquals(List.of("[large-19999]"), rows("SELECT value FROM bounded_large WHERE offset = 19999"));
        long smallBytes =
                SizeEstimator.estimate(sluice.spark().table("bounded_small").collectAsList());
        long largeBytes =
                SizeEstimator.estimate(sluice.spark().table("bounded_large").collectAsList());
        System.out.printf(
                "bounded memory sink: %d bytes retained after 1,000 rows, %d bytes after 20,000 rows%n",
                smallBytes, largeBytes);
        assertTrue(
                largeBytes < smallBytes * 1.5,
                "20x the rows, about the same retained memory: " + smallBytes + " vs " + largeBytes);
    }

    /**
     * maxRows keeps 5 rows of 2,000, from the last of 4 partitions: every record is still decoded and
     * every bad one dead-lettered before the batch commits (Spark alone would run only the tasks
     * the newest rows need).
     */
    @Test
    void maxRowsStillDecodesAndDeadLettersEveryRecordOfTheBatch(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String topic = kafka.newTopic("memory_partial", 4);
        kafka.produce(
                topic,
                java.util.stream.IntStream.range(0, 2_000)
                        .mapToObj(i -> KafkaRecord.value(i % 40 == 7 ? "{\"id\":" : "{\"id\":" + i + "}")
                                .toPartition(i % 4))
                        .toList());
        java.nio.file.Path deadLetter = dir.resolve("dead-letter");
        PipelineHandle handle = runToEnd(sluice.pipeline("partial_memory")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT",
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString()))
                .sink("memory", Map.of("maxRows", "5"))
                .checkpointLocation(dir.resolve("checkpoint").toString()));
        assertEquals(List.of("[5]"), rows("SELECT count(*) FROM partial_memory"));
        assertEquals(Long.valueOf(50), handle.countTotals().get("kafka.decode.deadLettered"));
        assertEquals(
                50L, sluice.spark().read().json(deadLetter.toString()).count(), "every bad record in the dead letter");
        assertEquals(
                2_000L,
                handle.recentProgress().stream()
                        .mapToLong(StreamingQueryProgress::numInputRows)
                        .sum());
    }

    @Test
    void maxRowsInCompleteModeKeepsTheLatestResult() throws Exception {
        String topic = topic();
        kafka.produceValues(
                topic, IntStream.range(0, 30).mapToObj(i -> "k" + (i % 5)).toList());
        runToEnd(fromKafka("bounded_complete", topic, "maxOffsetsPerTrigger", "10")
                .sql("SELECT value, count(*) AS n FROM input GROUP BY value")
                .sink("memory", Map.of("maxRows", "3"))
                .outputMode(OutputMode.COMPLETE));
        assertEquals(List.of("[3,18]"), rows("SELECT count(*), sum(n) FROM bounded_complete"));
    }

    @Test
    void badMaxRowsIsReported() {
        assertEquals(
                List.of("sink 'memory': option 'maxRows' = '-1' must be positive"),
                fromKafka("bad_max", "t").sink("memory", Map.of("maxRows", "-1")).build().validate().problems().stream()
                        .map(Problem::toString)
                        .toList());
    }

    @Test
    void aTableNameSqlCannotReadIsAProblemWithOneThatItCan() throws Exception {
        assertEquals(
                List.of("sink 'memory': its table is named after the query, and 'my orders' is not a name SQL reads"
                        + " without quotes (letters, digits and _, not starting with a digit): set queryName, on the"
                        + " pipeline or the sink, to one such as 'my_orders'"),
                fromKafka("my orders", topic()).sink("memory").build().validate().problems().stream()
                        .map(Problem::toString)
                        .toList());
    }
}
