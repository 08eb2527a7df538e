package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.SharedSluice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What only the cluster knows, asked before start: each mistake a problem naming the option and the fix. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaPreflightTest {
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.withCollectingSink();
    }

    private static Pipeline pipeline(String name, String... pairs) {
        return sluice.pipeline(name)
                .source("kafka", kafka.sourceOptions(pairs))
                .sink("collect")
                .build();
    }

    /** The problems start() refuses with; none may start a query. */
    private static List<String> refused(Pipeline pipeline) {
        ValidationException refused = assertThrows(ValidationException.class, pipeline::start);
        assertEquals(List.of(), List.of(sluice.spark().streams().active()), "nothing started");
        return refused.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aTopicThatDoesNotExistIsNamedWithTheOneMeant() {
        String topic = kafka.newTopic("invoices", 1);
        String misspelt = topic.replace("invoices", "invocies");
        assertEquals(
                List.of("source 'kafka': option 'subscribe' names topic '" + misspelt + "', which does not exist on "
                        + kafka.bootstrapServers() + " — did you mean '" + topic + "'? (create it first, or correct"
                        + " 'subscribe')"),
                refused(pipeline("misspelt_topic", "subscribe", misspelt)));
    }

    @Test
    void commitOffsetsToAGroupThatConsumersUseIsRefused() {
        String topic = kafka.newTopic("lagged", 1);
        String group = "billing-" + topic;
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("group.id", group);
        settings.put("client.id", "billing-app");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
                settings,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(100)); // joins the group
            }
            assertEquals(
                    List.of("source 'kafka': option 'commitOffsetsTo': the consumer group '" + group + "' has 1 active"
                            + " member (billing-app on /127.0.0.1), and Kafka refuses offsets written to a group in use:"
                            + " name a group of the pipeline's own, which no consumer uses"),
                    refused(pipeline("group_in_use", "subscribe", topic, "commitOffsetsTo", group)));
        }
    }

    @Test
    void assignedPartitionsAndStartingOffsetsMustBeThere() {
        String two = kafka.newTopic("preflight", 2);
        assertEquals(
                List.of("source 'kafka': option 'assign' names partition 5 of topic '" + two + "', which has 2"
                        + " partitions (0 to 1)"),
                refused(pipeline("assign_missing", "assign", "{\"" + two + "\":[0,5]}")));
        assertEquals(
                List.of("source 'kafka': option 'startingOffsets' leaves out partition " + two + "-1, which the source"
                        + " reads: Spark needs an offset for every partition — add them (-2 for earliest, -1 for"
                        + " latest)"),
                refused(pipeline(
                        "partial_offsets", "subscribe", two, "startingOffsets", "{\"" + two + "\":{\"0\":0}}")));

        String three = kafka.newTopic("preflight", 1);
        kafka.produceValues(three, List.of("a", "b", "c"));
        assertEquals(
                List.of("source 'kafka': option 'startingOffsets' asks for offset 10 of " + three + "-0, beyond its end"
                        + " (the next offset written is 3): give an offset up to 3, or -1 for latest"),
                refused(pipeline(
                        "beyond_end", "subscribe", three, "startingOffsets", "{\"" + three + "\":{\"0\":10}}")));
        assertEquals(
                List.of("source 'kafka': option 'startingOffsets' names " + two + "-0, which the source does not read"
                        + " (topic '" + two + "' has 2 partitions (0 to 1))"),
                refused(pipeline(
                        "assign_disagrees",
                        "assign",
                        "{\"" + two + "\":[1]}",
                        "startingOffsets",
                        "{\"" + two + "\":{\"0\":0,\"1\":0}}")));
    }

    @Test
    void offsetsForAPartitionTheTopicLacksAreSaidNotTimedOut() {
        String one = kafka.newTopic("one_partition", 1);
        assertEquals(
                List.of("source 'kafka': option 'startingOffsets' names " + one + "-7, which the source does not read"
                        + " (topic '" + one + "' has partition 0 only)"),
                refused(pipeline(
                        "offsets_past_partitions",
                        "subscribe",
                        one,
                        "startingOffsets",
                        "{\"" + one + "\":{\"0\":0,\"7\":0}}")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'startingOffsets' leaves out partition " + one + "-0, which the source"
                                + " reads: Spark needs an offset for every partition — add them (-2 for earliest, -1"
                                + " for latest)",
                        "source 'kafka': option 'startingOffsets' names " + one + "-1, which the source does not read"
                                + " (topic '" + one + "' has partition 0 only)"),
                refused(pipeline(
                        "assign_other_offsets",
                        "assign",
                        "{\"" + one + "\":[0]}",
                        "startingOffsets",
                        "{\"" + one + "\":{\"1\":0}}")));
    }

    @Test
    void aDeadLetterTopicThatDoesNotExistIsNamedWithTheOneMeant() {
        String topic = kafka.newTopic("payments", 1);
        String deadLetter = kafka.newTopic("payments_dead", 1);
        String misspelt = deadLetter.replace("payments_dead", "payments_daed");
        assertEquals(
                List.of("source 'kafka': option 'deadLetter.topic' names topic '" + misspelt + "', which does not"
                        + " exist on " + kafka.bootstrapServers() + " — did you mean '" + deadLetter + "'? (create it"
                        + " first, or correct 'deadLetter.topic')"),
                refused(pipeline(
                        "dead_letter_missing",
                        "subscribe",
                        topic,
                        "value.format",
                        "json",
                        "value.schema",
                        "id BIGINT",
                        "badRecords",
                        "dead_letter",
                        "deadLetter.topic",
                        misspelt)));
    }

    @Test
    void aStreamReadOutsideAPipelineRefusesADeadLetterWithWhatToUse() {
        String topic = kafka.newTopic("read_alone", 1);
        ValidationException refused = assertThrows(
                ValidationException.class,
                () -> sluice.read(
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
                                "/tmp/sluice-read-dead-letter")));
        assertEquals(
                List.of("source 'kafka': option 'badRecords' = 'dead_letter' works in a pipeline only: the stream"
                        + " Sluice.read returns feeds a query of your own, whose batches Sluice does not commit the dead"
                        + " letter with nor count — build a pipeline (sluice.pipeline(...)), whose dead letter is"
                        + " written exactly once in the same read as its sink, or set badRecords to fail or skip"),
                refused.problems().stream().map(Problem::toString).toList());
        assertEquals(
                List.of("id", "key", "topic", "partition", "offset"),
                List.of(sluice.read(
                                        "kafka",
                                        kafka.readFromStart(
                                                topic,
                                                "value.format",
                                                "json",
                                                "value.schema",
                                                "id BIGINT",
                                                "badRecords",
                                                "skip"))
                                .columns())
                        .subList(0, 5));
    }

    @Test
    void aStartingTimestampAfterEveryRecordIsRefusedUnlessTheStrategySaysLatest() throws Exception {
        String topic = kafka.newTopic("preflight", 1);
        kafka.produceValues(topic, List.of("old"));
        long tomorrow = System.currentTimeMillis() + 86_400_000L;
        assertEquals(
                List.of("source 'kafka': option 'startingTimestamp' = '" + tomorrow + "' ("
                        + Instant.ofEpochMilli(tomorrow)
                        + ") is after every record of partition " + topic + "-0: Spark fails at start with"
                        + " startingOffsetsByTimestampStrategy error — choose an earlier time, or set"
                        + " startingOffsetsByTimestampStrategy latest to start those partitions at their end"),
                refused(pipeline("future", "subscribe", topic, "startingTimestamp", String.valueOf(tomorrow))));
        try (PipelineHandle handle = pipeline(
                        "future_latest",
                        "subscribe",
                        topic,
                        "startingTimestamp",
                        String.valueOf(tomorrow),
                        "startingOffsetsByTimestampStrategy",
                        "latest")
                .start()) {
            handle.processAllAvailable();
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerIsOneLineWithinTheTimeoutAndValidationStaysOffline() {
        String nobody = "127.0.0.1:" + EmbeddedKafka.freePort();
        Pipeline pipeline = sluice.pipeline("no_broker")
                .source("kafka", Map.of("kafka.bootstrap.servers", nobody, "subscribe", "orders"))
                .sink("collect")
                .build();
        assertEquals(List.of(), pipeline.validate().problems(), "validate() asks no broker");
        long started = System.nanoTime();
        List<String> problems = refused(pipeline);
        System.out.printf("preflight with no broker answered in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals(
                List.of("source 'kafka': Kafka did not answer at " + nobody + " within "
                        + KafkaPreflight.TIMEOUT.toSeconds() + " s: check kafka.bootstrap.servers, that the brokers are"
                        + " up and reachable from here, and kafka.security.protocol"),
                problems);
    }

    @Test
    void aDurationInSluicesSpellingReachesSparkInItsOwn() {
        String topic = kafka.newTopic("preflight", 1);
        kafka.produceValues(topic, List.of("a", "b", "c"));
        for (String delay : List.of("2 seconds", "PT2S")) {
            try (PipelineHandle handle = pipeline(
                            "delay_" + delay.replaceAll("\\W", "_"),
                            "subscribe",
                            topic,
                            "startingOffsets",
                            "earliest",
                            "minOffsetsPerTrigger",
                            "1",
                            "maxTriggerDelay",
                            delay)
                    .start()) {
                handle.processAllAvailable();
                assertEquals(java.util.Optional.empty(), handle.exception(), delay);
            }
        }
    }
}
