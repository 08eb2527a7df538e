package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.JavaProcess;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application on the Java API, in a JVM of its own, gets SIGTERM while a batch is being
 * written: Sluice's shutdown hook, which runs before Spark's, lets the batch finish and
 * commit, then stops the pipeline — nothing is aborted and nothing is written twice.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ShutdownHookTest {
    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheBatchInFlightCommitBeforeSparkStops(EmbeddedKafka kafka) throws Exception {
        String topic = kafka.newTopic("shutdown-hook", 2);
        // both partitions explicitly: the task that blocks is partition 0's, at its offset 300
        kafka.produce(
                topic,
                IntStream.range(0, 2_000)
                        .mapToObj(i -> KafkaRecord.value("{\"id\":" + i + "}").toPartition(i % 2))
                        .toList());
        try (JavaProcess app = JavaProcess.start(
                "java-api application",
                dir.resolve("app.log"),
                Map.of(),
                List.of("-Xmx1g"),
                JavaProcess.testClassPath(),
                ShutdownHookMain.class.getName(),
                List.of(kafka.bootstrapServers(), topic, dir.toString()))) {
            app.awaitLine(Pattern.compile("^a batch is being written"), Duration.ofMinutes(2));
            app.terminate();
            assertEquals(143, app.awaitExit(Duration.ofMinutes(1)), app.output()); // 128 + SIGTERM, as for any JVM
            String output = app.output();
            assertTrue(
                    output.contains("JVM shutdown: stopping pipeline query 'hooked' after the batch in flight"),
                    output);
            assertTrue(
                    output.contains(
                            "pipeline query 'hooked' stopped gracefully: every batch that started was committed"),
                    output);
            assertTrue(!output.contains("Exception"), output);
        }
        Dataset<Row> written =
                SharedSluice.get().spark().read().parquet(dir.resolve("out").toString());
        assertEquals(1, written.where("partition = 0 AND offset = 300").count(), "the batch in flight was committed");
        assertEquals(
                written.count(),
                written.select("partition", "offset").distinct().count(),
                "nothing written twice");
    }
}
