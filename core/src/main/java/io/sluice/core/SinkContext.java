package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's settings a sink may need: the session, the effective query name (the
 * memory sink names its table after it), the output mode, the checkpoint location, the
 * trigger (a sink that supports Spark's real-time mode picks its writer by it) and what the
 * query's plan says about its rows ({@link QueryFacts}: where columns come from, which keys
 * are unique per batch), and where the framework keeps the counters a sink makes
 * ({@link #counter}, {@link #occasional}: a sink's own work — a table compacted — reported on the
 * progress line beside the batch it ran in).
 */
public record SinkContext(
        SparkSession spark,
        String pipelineName,
        String queryName,
        OutputMode outputMode,
        Optional<String> checkpointLocation,
        StreamTrigger trigger,
        QueryFacts facts,
        UnaryOperator<Counter> tracker) {
    public SinkContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(queryName, "queryName is null");
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(facts, "facts is null");
        requireNonNull(tracker, "tracker is null");
    }

    /** A context whose counters the framework does not track (tests, contract checks). */
    public SinkContext(
            SparkSession spark,
            String pipelineName,
            String queryName,
            OutputMode outputMode,
            Optional<String> checkpointLocation,
            StreamTrigger trigger,
            QueryFacts facts) {
        this(spark, pipelineName, queryName, outputMode, checkpointLocation, trigger, facts, UnaryOperator.identity());
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
        return new SinkContext(spark, pipelineName, queryName, outputMode, checkpointLocation, trigger, facts, tracker);
    }

    /** The same context keeping its counters with {@code tracker} (the framework's, for the progress line). */
    public SinkContext withTracker(UnaryOperator<Counter> tracker) {
        return new SinkContext(spark, pipelineName, queryName, outputMode, checkpointLocation, trigger, facts, tracker);
    }

    /**
     * A counter the sink's writer adds to — in its tasks, or on the driver while a batch runs —
     * reported per batch on the progress line ({@code group: name=n}). Make it when the query
     * starts ({@link StreamSink#write}, {@link BatchSink#writer}), not in {@code validate}.
     */
    public Counter counter(String group, String name) {
        return tracker.apply(new Counter(spark, group, name));
    }

    /** A counter of what happens now and then, shown only in the batches that counted: see {@link Counter#occasional}. */
    public Counter occasional(String group, String name) {
        return tracker.apply(Counter.occasional(spark, group, name));
    }
}
