package io.sluice.cli;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.TaskBlocker;
import java.time.Duration;
import java.util.Map;

/**
 * A Java-API application for {@link ShutdownHookTest}: one pipeline, Kafka → parquet, whose
 * task at partition 0 offset 300 blocks mid-batch until the JVM is shutting down — a batch
 * being written when SIGTERM arrives — and then finishes it two seconds later.
 * Arguments: bootstrap servers, topic, work directory.
 */
public final class ShutdownHookMain {
    private ShutdownHookMain() {}

    public static void main(String[] args) throws Exception {
        Sluice sluice = Sluice.embedded();
        TaskBlocker.blockAt(0, 300);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("the batch in flight goes on");
            TaskBlocker.release();
        }));
        PipelineHandle handle = sluice.pipeline("hooked")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                args[0],
                                "subscribe",
                                args[1],
                                "startingOffsets",
                                "earliest",
                                "maxOffsetsPerTrigger",
                                "200",
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT"))
                .transform("block one task", TaskBlocker::apply)
                .sql("SELECT id, partition, offset FROM input")
                .sink("parquet", Map.of("path", args[2] + "/out"))
                .checkpointLocation(args[2] + "/checkpoint")
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200)))
                .build()
                .start();
        if (TaskBlocker.awaitBlocked(Duration.ofMinutes(2))) {
            System.out.println("a batch is being written");
        }
        handle.awaitTermination();
    }
}
