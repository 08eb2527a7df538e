package io.sluice.examples.tutorial;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import java.time.Duration;
import java.util.Map;

/**
 * A windowed aggregation with a watermark, in the two modes that show running counts:
 * UPDATE prints only the windows a batch changed; COMPLETE prints the whole result each time.
 * (APPEND would print a window only once the watermark closes it.)
 */
public final class WindowedCounts {
    private WindowedCounts() {}

    public static void main(String[] args) throws Exception {
        TutorialRun.run(120, (sluice, kafka) -> {
            for (OutputMode mode : new OutputMode[] {OutputMode.UPDATE, OutputMode.COMPLETE}) {
                System.out.println("== " + mode + " ==");
                Map<String, String> options = new java.util.HashMap<>(TutorialRun.decoded(kafka));
                options.put("maxOffsetsPerTrigger", "60");
                PipelineHandle query = sluice.pipeline(
                                "orders_per_minute_" + mode.name().toLowerCase())
                        .source("kafka", options)
                        .sql("SELECT window.start AS minute, status, count(*) AS orders FROM input"
                                + " WATERMARK created_at DELAY OF INTERVAL 1 MINUTE"
                                + " GROUP BY window(created_at, '1 minute'), status")
                        .sink("console", Map.of("truncate", "false", "numRows", "50"))
                        .outputMode(mode)
                        .trigger(StreamTrigger.availableNow())
                        .build()
                        .start();
                query.awaitTermination(Duration.ofMinutes(5));
            }
        });
    }
}
