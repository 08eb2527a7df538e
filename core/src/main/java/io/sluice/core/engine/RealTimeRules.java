package io.sluice.core.engine;

import io.sluice.core.definition.Problem;
import io.sluice.spi.ConnectorKind;
import io.sluice.spi.OutputMode;
import io.sluice.spi.StreamSink;
import io.sluice.spi.StreamSource;
import io.sluice.spi.option.ConnectorOptions;
import io.sluice.spi.option.OptionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark 4.2's rules for real-time mode, checked before start so that each one broken is
 * its own message with the fix — instead of Spark's allowlist error when the query's first
 * batch is planned. From Spark's real-time mode guide and {@code RealTimeModeAllowlist}:
 * a Kafka source; a Kafka or console sink (no files, no {@code foreachBatch}, and not Spark's
 * memory sink, which 4.2's allowlist leaves out although the guide names it); UPDATE
 * output mode; a stateless query; a checkpoint location and an interval of at least five
 * seconds. (A task slot per Kafka partition is checked by the Kafka source at start, when it
 * can count the partitions.)
 */
final class RealTimeRules {
    /** Spark's shortest checkpoint interval in real-time mode. */
    static final Duration MINIMUM_INTERVAL = Duration.ofSeconds(5);

    private RealTimeRules() {}

    static List<Problem> check(PipelineDefinition definition, Optional<StreamSource> source,
            Optional<ConnectorOptions> sourceOptions, Optional<StreamSink> sink,
            Optional<ConnectorOptions> sinkOptions, Optional<String> checkpoint, Dataset<Row> output) {
        List<Problem> problems = new ArrayList<>();
        String pipeline = definition.subject();
        source.filter(s -> !s.supportsRealTime()).ifPresent(s -> problems.add(new Problem(ConnectorKind.SOURCE.subject(s.name()),
                "real-time mode reads only from Kafka: use the kafka source, or a micro-batch trigger", List.of("source", "connector"))));
        if (source.isPresent() && source.get().supportsRealTime() && sourceOptions.isPresent()) {
            source.get().realTimeRefusal(sourceOptions.get()).ifPresent(why -> problems.add(new Problem(
                    ConnectorKind.SOURCE.subject(source.get().name()), "real-time mode cannot run this source: " + why,
                    List.of("source", "options"))));
        }
        if (sink.isPresent() && sinkOptions.isPresent()) {
            sink.get().realTimeRefusal(sinkOptions.get()).ifPresent(why -> problems.add(new Problem(
                    ConnectorKind.SINK.subject(sink.get().name()), "real-time mode cannot write here: " + why
                    + "; use the kafka or console sink, or a micro-batch trigger", List.of("sink", "connector"))));
        }
        if (definition.outputMode() != OutputMode.UPDATE) {
            problems.add(new Problem(pipeline, "real-time mode needs outputMode update (it is "
                    + definition.outputMode().name().toLowerCase(java.util.Locale.ROOT) + "): set outputMode update", List.of("outputMode")));
        }
        if (checkpoint.isEmpty() && !sink.map(StreamSink::requiresCheckpointLocation).orElse(false)) { // else the sink says so
            problems.add(new Problem(pipeline, "real-time mode needs a checkpointLocation: set the pipeline's checkpointLocation",
                    List.of("checkpointLocation")));
        }
        Duration interval = definition.trigger().interval();
        if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
            problems.add(new Problem(pipeline, "real-time mode checkpoints at most every " + OptionType.formatDuration(MINIMUM_INTERVAL)
                    + " (the trigger says " + OptionType.formatDuration(interval) + "): set realTime: 5 seconds or more", List.of("trigger")));
        }
        if (output != null) {
            StatefulOperators.in(output.queryExecution().analyzed()).stream().findFirst().ifPresent(operator -> problems.add(new Problem(pipeline,
                    "real-time mode runs stateless queries only, and this one has " + operator
                            + ": drop it, or use a micro-batch trigger", List.of("transforms"))));
        }
        return problems;
    }
}
