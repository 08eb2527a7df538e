package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.SampleRecord;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.PipelineTester;
import io.sluice.testkit.pipeline.TestOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline tested from Java, as a user of the testkit writes it: the demo's pipeline declared
 * with the builder, batches of the demo's own records (malformed ones among them) given to the
 * Kafka source without a broker, and what the sink and the dead letter got checked — the same
 * machinery as {@code sluice test} (docs/testing.md).
 */
class OrdersPipelineTest {
    @TempDir
    Path dir;

    private PipelineDefinition orders() {
        return SharedSluice.get()
                .pipeline("orders")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers", "127.0.0.1:9092",
                                "subscribe", "orders",
                                "value.format", "json",
                                "value.schema", Orders.SCHEMA,
                                "badRecords", "dead_letter",
                                "deadLetter.path", dir.resolve("dead-letter").toString()))
                .sql("SELECT order_id, customer, size(items) AS item_count FROM input")
                .sink("parquet", Map.of("path", dir.resolve("orders").toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build()
                .definition();
    }

    @Test
    void goodOrdersReachTheSinkAndMalformedOnesTheDeadLetter() {
        // the demo's generator: every fifth record is malformed in one of the ways producers get it wrong
        List<SampleRecord> records = Orders.generate(10, 5).stream()
                .map(r -> SampleRecord.keyed(Optional.of(r.getKey()), r.getValue()))
                .toList();
        List<Map<String, Object>> good = List.of(
                Map.of("order_id", "100000"),
                Map.of("order_id", "100001"),
                Map.of("order_id", "100002"),
                Map.of("order_id", "100003"),
                Map.of("order_id", "100005"),
                Map.of("order_id", "100006"),
                Map.of("order_id", "100007"),
                Map.of("order_id", "100008"));
        PipelineTest test = new PipelineTest(
                "orders",
                List.of(
                        new PipelineTest.Batch(
                                records,
                                Expectation.none()
                                        .withRows(Expectation.ExpectedRows.unordered(good))
                                        .withCounters(Map.of("kafka.decode.deadLettered", 2L))),
                        new PipelineTest.Restart(),
                        new PipelineTest.Batch(
                                List.of(), Expectation.none().withRows(Expectation.ExpectedRows.unordered(List.of())))),
                Expectation.none(),
                false);

        TestOutcome outcome = new PipelineTester(SharedSluice.get()).run(orders(), test);

        outcome.assertPassed();
        assertEquals(8, outcome.all().orElseThrow().rows().size());
    }
}
