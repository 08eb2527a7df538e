package io.sluice.engine.plan;

import io.sluice.core.Connector;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.catalog.Lookup;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of planning that needs no Spark session: the connectors found by name and their
 * options checked against what they declare. A front end runs it before it builds a session
 * (on a cluster, a session registers an application and launches executors), so a misspelt
 * option is reported in a second; the planner runs it first, so both say the same.
 * {@code sourceAsFarAsValid} holds the options of a source whose options have problems, as far
 * as they parsed: the planner still tries to read with them, so that the transforms' own
 * mistakes are reported in the same round.
 */
public record Declarations(
        List<Problem> problems,
        Optional<StreamSource> source,
        Optional<ConnectorOptions> sourceOptions,
        Optional<ConnectorOptions> sourceAsFarAsValid,
        Optional<StreamSink> sink,
        Optional<ConnectorOptions> sinkOptions) {

    /** Settings users carry over from Spark's reader and writer that belong to the pipeline, not to a connector. */
    static final Map<String, String> MISPLACED_IN_SINK = Map.of(
            "outputMode", pipelines(Part.OUTPUT_MODE, "the output mode", "on the pipeline (.outputMode(...) in Java)"),
            "trigger", pipelines(Part.TRIGGER, "the trigger", "on the pipeline (.trigger(...) in Java)"),
            "format", format("sink", "parquet"));

    static final Map<String, String> MISPLACED_IN_SOURCE = Map.of(
            "checkpointLocation",
                    pipelines(Part.CHECKPOINT_LOCATION, "the checkpoint", "on the pipeline or on the sink"),
            "queryName", pipelines(Part.QUERY_NAME, "the query name", "on the pipeline or on the sink"),
            "format", format("source", "kafka"),
            "outputMode", MISPLACED_IN_SINK.get("outputMode"),
            "trigger", MISPLACED_IN_SINK.get("trigger"));

    /** {@code the trigger is the pipeline's: set trigger on the pipeline (.trigger(...) in Java)}. */
    private static String pipelines(Part part, String what, String where) {
        return what + " is the pipeline's: set " + part.key() + " " + where;
    }

    /** {@code the format is the connector: name it as the sink's connector (connector: parquet; ...)}. */
    private static String format(String kind, String example) {
        return "the format is the connector: name it as the " + kind + "'s connector (connector: " + example + "; ."
                + kind + "(\"" + example + "\", ...) in Java)";
    }

    public static Declarations check(ConnectorRegistry registry, PipelineDefinition definition) {
        List<Problem> problems = new ArrayList<>();
        Lookup<StreamSource> sourceLookup = registry.source(definition.sourceName());
        sourceLookup.problem().ifPresent(p -> problems.add(Problem.of(p).within(Part.SOURCE, Part.CONNECTOR)));
        Optional<StreamSource> source = sourceLookup.connector();
        Optional<OptionsValidator.Result> sourceResult = source.map(
                s -> options(s, List.of(), MISPLACED_IN_SOURCE, definition.sourceOptions(), Part.SOURCE, problems));

        Lookup<StreamSink> sinkLookup = registry.sink(definition.sinkName());
        sinkLookup.problem().ifPresent(p -> problems.add(Problem.of(p).within(Part.SINK, Part.CONNECTOR)));
        Optional<StreamSink> sink = sinkLookup.connector();
        Optional<ConnectorOptions> sinkOptions = sink.map(s -> options(
                        s,
                        StreamSink.FRAMEWORK_OPTIONS,
                        MISPLACED_IN_SINK,
                        definition.sinkOptions(),
                        Part.SINK,
                        problems))
                .filter(OptionsValidator.Result::valid)
                .map(OptionsValidator.Result::options);
        return new Declarations(
                problems,
                source,
                sourceResult.filter(OptionsValidator.Result::valid).map(OptionsValidator.Result::options),
                sourceResult.filter(result -> !result.valid()).map(OptionsValidator.Result::options),
                sink,
                sinkOptions);
    }

    private static OptionsValidator.Result options(
            Connector connector,
            List<OptionSpec<?>> extra,
            Map<String, String> misplaced,
            Map<String, String> raw,
            Part part,
            List<Problem> problems) {
        OptionsValidator.Result result = OptionsValidator.validate(connector, extra, misplaced, raw);
        result.problems().forEach(p -> problems.add(p.within(part, Part.OPTIONS)));
        return result;
    }
}
