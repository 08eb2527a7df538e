package io.sluice.core.engine;

import static java.util.Objects.requireNonNull;

import io.sluice.spi.Counter;
import io.sluice.spi.SourceContext;
import io.sluice.spi.StreamTrigger;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/** The {@link SourceContext} the framework hands a source: where its counters go is the caller's choice. */
record PlanningContext(
        SparkSession spark,
        String pipelineName,
        StreamTrigger trigger,
        Optional<String> checkpointLocation,
        Consumer<Counter> counters)
        implements SourceContext {

    PlanningContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(counters, "counters is null");
    }

    @Override
    public Counter track(Counter counter) {
        counters.accept(requireNonNull(counter, "counter is null"));
        return counter;
    }
}
