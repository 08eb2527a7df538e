package io.sluice.examples.tutorial;

import io.sluice.engine.pipeline.PipelineHandle;
import java.util.Map;

/** The seed's console sink with {@code truncate} false, under the query name {@code kafka_console}, then stopped. */
public final class ConsoleSinkExample {
    private ConsoleSinkExample() {}

    public static void main(String[] args) throws Exception {
        TutorialRun.run(5, (sluice, kafka) -> {
            PipelineHandle consoleSink = sluice.pipeline("kafka_console")
                    .source("kafka", kafka)
                    .sql(
                            "SELECT CAST(key AS STRING) AS key, CAST(value AS STRING) AS value, partition, offset FROM input")
                    .sink("console", Map.of("truncate", "false"))
                    .build()
                    .start();
            consoleSink.processAllAvailable();
            consoleSink.stop();
            System.out.println("stopped: " + !consoleSink.isActive());
        });
    }
}
