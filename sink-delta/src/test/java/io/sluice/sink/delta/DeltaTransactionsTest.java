package io.sluice.sink.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta's log read for the batches a query wrote — through Delta's internal {@code DeltaLog}, so
 * this fails when Delta changes it: appends (Delta's own streaming sink) and merges (Sluice's
 * idempotent writes) both leave the query's id and the last batch id in the table's log.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DeltaTransactionsTest {
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
    }

    @Test
    void theLastBatchOfAQueryIsReadFromTheTablesLogForAppendsAndMerges() throws Exception {
        String topic = kafka.newTopic("delta-txn", 1);
        kafka.produceValues(
                topic,
                IntStream.range(0, 30)
                        .mapToObj(i -> "{\"id\":" + (i % 10) + ",\"n\":" + i + "}")
                        .toList());
        SparkSession spark = SharedSluice.get().spark();
        for (Map<String, String> sink : java.util.List.of(
                Map.of("path", dir.resolve("appended").toString()),
                Map.of("path", dir.resolve("merged").toString(), "mergeKeys", "id", "sequenceBy", "n"))) {
            PipelineHandle handle = Pipelines.runToEnd(SharedSluice.get()
                    .pipeline("txn_" + (sink.containsKey("mergeKeys") ? "merge" : "append"))
                    .source(
                            "kafka",
                            kafka.readFromStart(
                                    topic,
                                    "value.format",
                                    "json",
                                    "value.schema",
                                    "id BIGINT, n BIGINT",
                                    "maxOffsetsPerTrigger",
                                    "10"))
                    .sql("SELECT id, n FROM input")
                    .sink("delta", sink)
                    .checkpointLocation(dir.resolve("checkpoint-" + sink.size()).toString()));
            long last = handle.lastProgress().orElseThrow().batchId();
            assertEquals(2, last, "three batches of ten");
            assertEquals(
                    OptionalLong.of(last),
                    DeltaTransactions.lastBatch(
                            spark, sink.get("path"), handle.id().toString()),
                    sink.toString());
            assertEquals(OptionalLong.empty(), DeltaTransactions.lastBatch(spark, sink.get("path"), "another-query"));
        }
        assertEquals(
                OptionalLong.empty(),
                DeltaTransactions.lastBatch(spark, dir.resolve("no-table").toString(), "any"));
    }
}
