package io.sluice.examples.tutorial;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import java.time.Duration;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** The seed's {@code recentProgress}: what the query reports about each batch, and what the source counted in it. */
public final class RecentProgressExample {
    private RecentProgressExample() {}

    public static void main(String[] args) throws Exception {
        TutorialRun.run(300, (sluice, kafka) -> {
            java.util.Map<String, String> options = new java.util.HashMap<>(TutorialRun.decoded(kafka));
            options.put("maxOffsetsPerTrigger", "100");
            PipelineHandle query = sluice.pipeline("progress")
                    .source("kafka", options)
                    .sink("memory")
                    .trigger(StreamTrigger.availableNow())
                    .build()
                    .start();
            query.awaitTermination(Duration.ofMinutes(5));
            for (StreamingQueryProgress progress : query.recentProgress()) {
                System.out.printf(
                        "batch %d: %d rows, counted %s%n",
                        progress.batchId(), progress.numInputRows(), query.counts(progress.batchId()));
            }
            System.out.println("last progress as JSON:");
            System.out.println(query.lastProgress().orElseThrow().prettyJson());
        });
    }
}
