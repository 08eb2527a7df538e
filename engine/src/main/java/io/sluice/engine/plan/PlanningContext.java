package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import io.sluice.core.SourceContext;
import io.sluice.core.StreamTrigger;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The {@link SourceContext} the framework hands a source: where its counters go is the caller's
 * choice, and where its raw stream comes from (its system, or a test's fixture).
 */
public record PlanningContext(
        SparkSession spark,
        String pipelineName,
        StreamTrigger trigger,
        Optional<String> checkpointLocation,
        Consumer<Counter> counters,
        Optional<SourceStreams> streams,
        Consumer<String> explained,
        boolean inPipeline)
        implements SourceContext {

    /** A context for a stream handed to the caller ({@code Sluice.read}): no pipeline, nothing counted. */
    public static PlanningContext outsidePipeline(SparkSession spark, String sourceName) {
        return new PlanningContext(
                spark,
                sourceName,
                StreamTrigger.processingTime(java.time.Duration.ZERO),
                Optional.empty(),
                counter -> {},
                Optional.empty(),
                line -> {},
                false);
    }

    /** A pipeline's context whose source reads its raw stream from {@code streams} when given (a test's fixture). */
    public PlanningContext(
            SparkSession spark,
            String pipelineName,
            StreamTrigger trigger,
            Optional<String> checkpointLocation,
            Consumer<Counter> counters,
            Optional<SourceStreams> streams,
            Consumer<String> explained) {
        this(spark, pipelineName, trigger, checkpointLocation, counters, streams, explained, true);
    }

    /** A context whose source reads its own system. */
    public PlanningContext(
            SparkSession spark,
            String pipelineName,
            StreamTrigger trigger,
            Optional<String> checkpointLocation,
            Consumer<Counter> counters) {
        this(spark, pipelineName, trigger, checkpointLocation, counters, Optional.empty(), line -> {}, true);
    }

    public PlanningContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(counters, "counters is null");
        requireNonNull(streams, "streams is null");
        requireNonNull(explained, "explained is null");
    }

    @Override
    public void explain(String line) {
        explained.accept(requireNonNull(line, "line is null"));
    }

    @Override
    public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> stream(
            String format, java.util.Map<String, String> options) {
        return streams.isPresent()
                ? streams.get().open(spark, format, options)
                : SourceContext.super.stream(format, options);
    }

    @Override
    public Counter track(Counter counter) {
        counters.accept(requireNonNull(counter, "counter is null"));
        return counter;
    }
}
