package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.Expectation;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantined rows against a real broker, read back from the dead letter with Spark: each row as
 * JSON with every rule it broke, the source's coordinates when the row carries them, beside the
 * records that did not decode — and the sink without them. (Exactly once across kill -9:
 * {@code KillIT}, whose pipeline quarantines.)
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class QuarantineTest {
    private static EmbeddedKafka kafka;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    @Test
    void brokenRowsGoToTheDeadLetterWithEveryRuleTheyBrokeAndTheirCoordinates() throws Exception {
        String topic = kafka.newTopic("quarantine", 2);
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.of("a", "{\"id\":1,\"customer\":\"ann\",\"amount\":10.0}")
                                .toPartition(0),
                        KafkaRecord.of("b", "{\"id\":2,\"customer\":\"bob\",\"amount\":-1.0}")
                                .toPartition(0),
                        KafkaRecord.of("c", "{\"id\":3,\"amount\":-5.0}").toPartition(1),
                        KafkaRecord.of("d", "not json").toPartition(1),
                        KafkaRecord.of("e", "{\"id\":5,\"customer\":\"eve\",\"amount\":2.0}")
                                .toPartition(1)));
        Path deadLetter = dir.resolve("dead-letter");
        Path out = dir.resolve("out");
        PipelineHandle handle = Pipelines.runToEnd(sluice.pipeline("quarantined")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, customer STRING, amount DOUBLE",
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString()))
                .sql("SELECT id, customer, amount FROM input")
                .expect(Expectation.quarantine("amount_positive", "amount > 0").onInput())
                .expect(Expectation.warn("customer_known", "customer IS NOT NULL")
                        .onInput())
                .sink("parquet", Map.of("path", out.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString()));
        assertEquals(
                Map.of(
                        "expect.amount_positive", 2L,
                        "expect.customer_known", 1L,
                        "expect.quarantine.writeFailures", 0L,
                        "kafka.deadLetter.writeFailures", 0L,
                        "kafka.decode.deadLettered", 1L),
                handle.countTotals());
        assertEquals(
                List.of("[1,ann,10.0]", "[5,eve,2.0]"),
                sluice.spark().read().parquet(out.toString()).orderBy("id").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
        Dataset<Row> dead = sluice.spark().read().json(deadLetter.toString());
        assertEquals(3, dead.count(), "two quarantined rows and a record that did not decode, once each");
        assertEquals(
                List.of(
                        "[expectations broken: amount_positive,0,1,2,bob," + topic + "]",
                        "[expectations broken: amount_positive, customer_known,1,0,3,null," + topic + "]"),
                dead
                        .where("error LIKE 'expectations%'")
                        .selectExpr(
                                "error",
                                "partition",
                                "offset",
                                "CAST(get_json_object(value, '$.id') AS BIGINT) AS id",
                                "get_json_object(value, '$.customer') AS customer",
                                "topic")
                        .orderBy("id")
                        .collectAsList()
                        .stream()
                        .map(Row::toString)
                        .toList());
    }

    @Test
    void rowsOfTheOutputGoToADeadLetterTopicWithTheRulesInAHeader() throws Exception {
        String topic = kafka.newTopic("quarantine-out", 1);
        String dlq = kafka.newTopic("quarantine-dlq", 1);
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.of("a", "{\"id\":1,\"amount\":10.0}"),
                        KafkaRecord.of("b", "{\"id\":2,\"amount\":-3.0}"),
                        KafkaRecord.of("c", "{\"id\":3,\"amount\":4.0}")));
        Path out = dir.resolve("out");
        PipelineHandle handle = Pipelines.runToEnd(sluice.pipeline("quarantined_to_topic")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, amount DOUBLE",
                                "badRecords",
                                "dead_letter",
                                "deadLetter.topic",
                                dlq))
                .sql("SELECT id, amount * 2 AS doubled FROM input")
                .expect(Expectation.quarantine("doubled_positive", "doubled > 0"))
                .sink("parquet", Map.of("path", out.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString()));
        assertEquals(1L, handle.countTotals().get("expect.doubled_positive"));
        assertEquals(
                List.of("[1,20.0]", "[3,8.0]"),
                sluice.spark().read().parquet(out.toString()).orderBy("id").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dead =
                kafka.consume(dlq, 1, java.time.Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        assertEquals(
                "{\"id\":2,\"doubled\":-6.0}",
                new String(dead.get(0).value(), java.nio.charset.StandardCharsets.UTF_8));
        org.apache.kafka.common.header.Header error = dead.get(0).headers().lastHeader("sluice.error");
        assertEquals(
                "expectations broken: doubled_positive",
                new String(error.value(), java.nio.charset.StandardCharsets.UTF_8));
        // a row of the output carries no offset: the header is there, empty
        assertEquals(null, dead.get(0).headers().lastHeader("sluice.offset").value());
    }
}
