package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's settings a sink may need: the session, the effective query name (the
 * memory sink names its table after it), the output mode and the checkpoint location.
 */
public record SinkContext(SparkSession spark, String pipelineName, String queryName, OutputMode outputMode,
        Optional<String> checkpointLocation) {
    public SinkContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(queryName, "queryName is null");
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
    }
}
