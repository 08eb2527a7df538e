package io.sluice.examples.tutorial;

import io.sluice.engine.pipeline.PipelineHandle;

/** The seed's memory sink: the stream becomes a table named after the query, queried with {@code spark.sql}. */
public final class MemorySinkExample {
    private MemorySinkExample() {}

    public static void main(String[] args) throws Exception {
        TutorialRun.run(100, (sluice, kafka) -> {
            PipelineHandle memorySink = sluice.pipeline("kafka_memory")
                    .source("kafka", TutorialRun.decoded(kafka))
                    .sink("memory")
                    .build()
                    .start();
            memorySink.processAllAvailable();
            sluice.spark()
                    .sql("SELECT status, count(*) AS orders, round(sum(amount), 2) AS total"
                            + " FROM kafka_memory GROUP BY status ORDER BY status")
                    .show();
            memorySink.stop();
        });
    }
}
