package io.sluice.engine.plan;

import io.sluice.core.Connector;
import io.sluice.core.OutputMode;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionType;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark 4.2's rules for real-time mode, checked before start so that each one broken is
 * its own message with the fix — instead of Spark's allowlist error when the query's first
 * batch is planned. Whether a source or sink can run in the mode is theirs to say
 * ({@link Connector#realTime}); the rest is the query's: UPDATE output mode, a stateless
 * query, a checkpoint location and an interval of at least five seconds (from Spark's
 * real-time mode guide and {@code RealTimeModeAllowlist}).
 */
public final class RealTimeRules {
    /** Spark's shortest checkpoint interval in real-time mode. */
    static final Duration MINIMUM_INTERVAL = Duration.ofSeconds(5);

    private RealTimeRules() {}

    /** The source's or sink's refusal, worded the same for both. */
    public static Optional<Problem> connector(Connector connector, ConnectorOptions options, Part part) {
        String doing = part == Part.SOURCE ? "read this source" : "write here";
        return connector
                .realTime(options)
                .refusal()
                .map(why -> new Problem(
                        connector.kind().subject(connector.name()),
                        "real-time mode cannot " + doing + ": " + why,
                        part,
                        Part.CONNECTOR));
    }

    public static List<Problem> check(
            PipelineDefinition definition,
            Optional<StreamSink> sink,
            Optional<String> checkpoint,
            Dataset<Row> output) {
        List<Problem> problems = new ArrayList<>();
        String pipeline = definition.subject();
        if (definition.outputMode() != OutputMode.UPDATE) {
            problems.add(new Problem(
                    pipeline,
                    "real-time mode needs outputMode update (it is "
                            + definition.outputMode().name().toLowerCase(Locale.ROOT) + "): set outputMode update",
                    Part.OUTPUT_MODE));
        }
        if (checkpoint.isEmpty()
                && !sink.map(StreamSink::requiresCheckpointLocation).orElse(false)) { // else the sink says so
            problems.add(new Problem(
                    pipeline,
                    "real-time mode needs a checkpointLocation: set the pipeline's checkpointLocation",
                    Part.CHECKPOINT_LOCATION));
        }
        Duration interval = definition.trigger().interval();
        if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
            problems.add(new Problem(
                    pipeline,
                    "real-time mode checkpoints at most every "
                            + OptionType.formatDuration(MINIMUM_INTERVAL) + " (the trigger says "
                            + OptionType.formatDuration(interval)
                            + "): set realTime: 5 seconds or more",
                    Part.TRIGGER));
        }
        if (output != null) {
            StatefulOperators.in(output.queryExecution().analyzed()).stream()
                    .findFirst()
                    .ifPresent(operator -> problems.add(new Problem(
                            pipeline,
                            "real-time mode runs stateless queries only, and this one has " + operator
                                    + ": drop it, or use a micro-batch trigger",
                            Part.TRANSFORMS)));
        }
        return problems;
    }
}
