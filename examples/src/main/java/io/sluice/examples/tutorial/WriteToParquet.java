package io.sluice.examples.tutorial;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The seed's {@code writeStream} to parquet with a {@code checkpointLocation}, in APPEND
 * mode; the files are read back with Spark, which honours the sink's metadata log.
 */
public final class WriteToParquet {
    private WriteToParquet() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("sluice-parquet-");
        TutorialRun.run(200, (sluice, kafka) -> {
            PipelineHandle query = sluice.pipeline("kafka_parquet")
                    .source("kafka", TutorialRun.decoded(kafka))
                    .sink("parquet", Map.of("path", work.resolve("orders").toString()))
                    .checkpointLocation(work.resolve("checkpoint").toString())
                    .trigger(StreamTrigger.availableNow())
                    .build()
                    .start();
            query.awaitTermination(Duration.ofMinutes(5));
            long rows = sluice.spark()
                    .read()
                    .parquet(work.resolve("orders").toString())
                    .count();
            System.out.println("parquet rows: " + rows + " at " + work.resolve("orders"));
            System.out.println("checkpoint: " + work.resolve("checkpoint") + " (a restart resumes from here)");
        });
    }
}
