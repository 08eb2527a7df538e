package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's settings a sink may need: the session, the effective query name (the
 * memory sink names its table after it), the output mode, the checkpoint location, the
 * trigger (a sink that supports Spark's real-time mode picks its writer by it) and what the
 * query's plan says about its rows ({@link QueryFacts}: where columns come from, which keys
 * are unique per batch).
 */
public record SinkContext(
        SparkSession spark,
        String pipelineName,
        String queryName,
        OutputMode outputMode,
        Optional<String> checkpointLocation,
        StreamTrigger trigger,
        QueryFacts facts) {
    public SinkContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(queryName, "queryName is null");
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(facts, "facts is null");
    }

    /** A context that knows nothing of the query's plan ({@link QueryFacts#unknown()}). */
    public SinkContext(
            SparkSession spark,
            String pipelineName,
            String queryName,
            OutputMode outputMode,
            Optional<String> checkpointLocation,
            StreamTrigger trigger) {
        this(spark, pipelineName, queryName, outputMode, checkpointLocation, trigger, QueryFacts.unknown());
    }

    /** A context for micro-batches back to back, Spark's default trigger (tests, contract checks). */
    public SinkContext(
            SparkSession spark,
            String pipelineName,
            String queryName,
            OutputMode outputMode,
            Optional<String> checkpointLocation) {
        this(
                spark,
                pipelineName,
                queryName,
                outputMode,
                checkpointLocation,
                StreamTrigger.processingTime(java.time.Duration.ZERO));
    }

    /** The same context with what the plan says about the rows. */
    public SinkContext withFacts(QueryFacts facts) {
        return new SinkContext(spark, pipelineName, queryName, outputMode, checkpointLocation, trigger, facts);
    }
}
