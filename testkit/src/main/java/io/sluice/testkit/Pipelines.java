package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import java.time.Duration;
import org.apache.spark.sql.streaming.StreamingQueryException;

/** Running pipelines in tests: bounded, so a test ends even when a pipeline would not. */
public final class Pipelines {
    /** Generous for a 2-core machine; a pipeline that needs longer in a test is a bug. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Pipelines() {}

    /** Builds and starts the pipeline with the available-now trigger and waits until it has processed everything. */
    public static PipelineHandle runToEnd(PipelineBuilder pipeline) throws StreamingQueryException {
        PipelineHandle handle =
                pipeline.trigger(StreamTrigger.availableNow()).build().start();
        if (!handle.awaitTermination(TIMEOUT)) {
            // stopped here, so that it does not go on under the next test (or in a directory the test deletes)
            handle.stop();
            throw new AssertionError(
                    "an available-now pipeline stops by itself within " + TIMEOUT + "; it was stopped");
        }
        return handle;
    }

    /**
     * Builds and starts the pipeline with the available-now trigger, expects it to fail, and
     * returns the failure (and that the pipeline is no longer active).
     */
    public static StreamingQueryException runToFailure(PipelineBuilder pipeline) {
        PipelineHandle handle =
                pipeline.trigger(StreamTrigger.availableNow()).build().start();
        StreamingQueryException error =
                assertThrows(StreamingQueryException.class, () -> handle.awaitTermination(TIMEOUT));
        assertFalse(handle.isActive(), "a failed pipeline is no longer active");
        return error;
    }
}
