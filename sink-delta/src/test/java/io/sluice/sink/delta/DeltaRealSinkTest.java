package io.sluice.sink.delta;

import io.sluice.core.OutputMode;
import io.sluice.core.SampleRecord;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.PipelineTester;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code realSinks: true} on Delta: the test's batches go through the real Delta sink into a
 * temporary table, read back with Delta after each batch — an upsert by key shows as the table's
 * changed rows, and the whole table at the end holds one row per key.
 */
class DeltaRealSinkTest {
    @TempDir
    Path dir;

    @Test
    void anUpsertingDeltaSinkIsReadBackAfterEachBatch() {
        PipelineDefinition totals = SharedSluice.get()
                .pipeline("totals")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers", "127.0.0.1:9",
                                "subscribe", "orders",
                                "value.format", "json",
                                "value.schema", "customer STRING, amount DOUBLE"))
                .sql("SELECT customer, sum(amount) AS total FROM input GROUP BY customer")
                .sink("delta", Map.of("path", dir.resolve("never-written").toString(), "mergeKeys", "customer"))
                .outputMode(OutputMode.UPDATE)
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build()
                .definition();
        PipelineTest test = new PipelineTest(
                "totals per customer",
                List.of(
                        new PipelineTest.Batch(
                                List.of(
                                        SampleRecord.of("{\"customer\":\"ada\",\"amount\":1}"),
                                        SampleRecord.of("{\"customer\":\"bob\",\"amount\":2}")),
                                rows(Map.of("customer", "ada", "total", "1"), Map.of("customer", "bob", "total", "2"))),
                        new PipelineTest.Restart(),
                        new PipelineTest.Batch(
                                List.of(SampleRecord.of("{\"customer\":\"ada\",\"amount\":5}")),
                                rows(Map.of("customer", "ada", "total", "6")))),
                rows(Map.of("customer", "ada", "total", "6"), Map.of("customer", "bob", "total", "2")),
                true);

        new PipelineTester(SharedSluice.get()).run(totals, test).assertPassed();
        org.junit.jupiter.api.Assertions.assertFalse(
                java.nio.file.Files.exists(dir.resolve("never-written")), "the pipeline's own path is not written");
    }

    @SafeVarargs
    private static Expectation rows(Map<String, Object>... rows) {
        return Expectation.none().withRows(Expectation.ExpectedRows.unordered(List.of(rows)));
    }
}
