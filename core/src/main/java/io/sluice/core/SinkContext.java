package io.sluice.core;

import static java.util.Objects.requireNonNull;

import io.sluice.core.pipeline.StreamTrigger;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's settings a sink may need: the session, the effective query name (the
 * memory sink names its table after it), the output mode, the checkpoint location and the
 * trigger (a sink that supports Spark's real-time mode picks its writer by it).
 */
public record SinkContext(SparkSession spark, String pipelineName, String queryName, OutputMode outputMode,
        Optional<String> checkpointLocation, StreamTrigger trigger) {
    public SinkContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(queryName, "queryName is null");
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(trigger, "trigger is null");
    }

    /** A context for micro-batches back to back, Spark's default trigger (tests, contract checks). */
    public SinkContext(SparkSession spark, String pipelineName, String queryName, OutputMode outputMode,
            Optional<String> checkpointLocation) {
        this(spark, pipelineName, queryName, outputMode, checkpointLocation, StreamTrigger.processingTime(java.time.Duration.ZERO));
    }
}
