package io.sluice.sink.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed's console sink, with what it prints captured and checked. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToConsoleTest {
    private static final String LONG_VALUE = "a value that is much longer than twenty characters";
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static String topicWith(List<KafkaRecord> records) {
        String topic = kafka.newTopic("console", 1);
        kafka.produce(topic, records);
        return topic;
    }

    private static PipelineBuilder fromKafka(String name, String topic) {
        return sluice.pipeline(name)
                .source("kafka", kafka.readFromStart(topic, "value.format", "string", "key.format", "string"));
    }

    /** Runs an available-now pipeline and returns what it printed. */
    private static String printed(PipelineBuilder pipeline) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Pipelines.runToEnd(pipeline);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void followsTheConventionsAndIsDocumented() {
        assertEquals(
                List.of(),
                ConnectorConventions.violations(
                        sluice.connectors().sink("console").orElseThrow()));
        assertEquals("", ReadmeTables.checkDocs(new ConsoleSink()));
    }

    @Test
    void truncateFalsePrintsWholeValuesAsInTheSeed() throws Exception {
        String topic = topicWith(List.of(KafkaRecord.of("k1", LONG_VALUE)));
        String output = printed(fromKafka("kafka_console", topic)
                .sql("SELECT key, value FROM input")
                .sink("console", Map.of("truncate", "false")));
        assertEquals(
                "-------------------------------------------\n"
                        + "Batch: 0\n"
                        + "-------------------------------------------\n"
                        + "+---+--------------------------------------------------+\n"
                        + "|key|value                                             |\n"
                        + "+---+--------------------------------------------------+\n"
                        + "|k1 |a value that is much longer than twenty characters|\n"
                        + "+---+--------------------------------------------------+\n\n",
                output);
    }

    @Test
    void truncatesByDefaultAndShowsNumRows() throws Exception {
        String topic = topicWith(
                List.of(KafkaRecord.of("k1", LONG_VALUE), KafkaRecord.of("k2", "short"), KafkaRecord.of("k3", "x")));
        String output = printed(fromKafka("console_rows", topic)
                .sql("SELECT key, value FROM input")
                .sink("console", Map.of("numRows", "2")));
        assertTrue(output.contains("| k1|a value that is m...|\n"), output);
        assertTrue(output.contains("| k2|               short|\n"), output);
        assertTrue(output.contains("only showing top 2 rows"), output);
        assertTrue(!output.contains("k3"), output);
    }

    /**
     * numRows prints one row of 2,000: every record is still decoded and every bad one
     * dead-lettered before the batch commits (Spark alone would run only the first task).
     */
    @Test
    void numRowsStillDecodesAndDeadLettersEveryRecordOfTheBatch(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String topic = kafka.newTopic("console_partial", 4);
        kafka.produce(
                topic,
                java.util.stream.IntStream.range(0, 2_000)
                        .mapToObj(i -> KafkaRecord.value(i % 40 == 7 ? "{\"id\":" : "{\"id\":" + i + "}")
                                .toPartition(i % 4))
                        .toList());
        java.nio.file.Path deadLetter = dir.resolve("dead-letter");
        PipelineBuilder pipeline = sluice.pipeline("partial_console")
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
                .sink("console", Map.of("numRows", "1"))
                .checkpointLocation(dir.resolve("checkpoint").toString());
        String output = printed(pipeline);
        assertTrue(output.contains("only showing top 1 row"), output);
        assertEquals(
                50L, sluice.spark().read().json(deadLetter.toString()).count(), "every bad record in the dead letter");
    }

    @Test
    void printsAggregationsInCompleteAndUpdateModes() throws Exception {
        String topic = topicWith(List.of(KafkaRecord.of("a", "1"), KafkaRecord.of("b", "2"), KafkaRecord.of("a", "3")));
        String complete = printed(fromKafka("console_complete", topic)
                .sql("SELECT key, count(*) AS n FROM input GROUP BY key ORDER BY key")
                .sink("console")
                .outputMode(OutputMode.COMPLETE));
        assertTrue(complete.contains("|  a|  2|\n|  b|  1|\n"), complete);

        String update = printed(fromKafka("console_update", topic)
                .sql("SELECT key, count(*) AS n FROM input GROUP BY key")
                .sink("console")
                .outputMode(OutputMode.UPDATE));
        assertTrue(update.contains("|  a|  2|") && update.contains("|  b|  1|"), update);
    }

    @Test
    void badOptionsAreReported() {
        assertEquals(
                List.of(
                        "sink 'console': option 'numRows' = '0' must be positive",
                        "sink 'console': option 'truncate' = 'no' is not a boolean (true or false)"),
                fromKafka("console_bad", "t")
                        .sink("console", Map.of("truncate", "no", "numRows", "0"))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }

    @Test
    void realTimeModePrintsThroughSparksConsoleFormat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String topic = topicWith(List.of(KafkaRecord.value("a"), KafkaRecord.value("b"), KafkaRecord.value("c")));
        io.sluice.engine.pipeline.PipelineHandle handle = sluice.pipeline("console_real_time")
                .source("kafka", kafka.readFromStart(topic, "value.format", "string"))
                .sql("SELECT value FROM input")
                .sink("console")
                .outputMode(OutputMode.UPDATE)
                .trigger(io.sluice.core.StreamTrigger.realTime(java.time.Duration.ofSeconds(5)))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build()
                .start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
            while (handle.recentProgress().stream()
                                    .mapToLong(p -> p.numInputRows())
                                    .sum()
                            < 3
                    && handle.isActive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(
                    handle.exception().isEmpty(), () -> handle.exception().get().getMessage());
            assertEquals(
                    3,
                    handle.recentProgress().stream()
                            .mapToLong(p -> p.numInputRows())
                            .sum());
            assertTrue(
                    handle.lastProgress().orElseThrow().sink().description().contains("Console"),
                    handle.lastProgress().orElseThrow().sink().description());
        } finally {
            handle.stop();
        }
    }
}
