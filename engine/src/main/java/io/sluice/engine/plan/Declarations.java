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

        Optional<StreamSink> sink;
        Optional<ConnectorOptions> sinkOptions;
        if (definition.fansOut()) {
            Optional<FanOut> fanOut = fanOut(registry, definition, problems);
            sink = fanOut.map(StreamSink.class::cast);
            sinkOptions = fanOut.map(f -> NO_OPTIONS);
        } else {
            Lookup<StreamSink> sinkLookup = registry.sink(definition.sinkName());
            sinkLookup.problem().ifPresent(p -> problems.add(Problem.of(p).within(Part.SINK, Part.CONNECTOR)));
            sink = sinkLookup.connector();
            sinkOptions = sink.map(s -> options(
                            s,
                            StreamSink.FRAMEWORK_OPTIONS,
                            MISPLACED_IN_SINK,
                            definition.sinkOptions(),
                            Part.SINK,
                            problems))
                    .filter(OptionsValidator.Result::valid)
                    .map(OptionsValidator.Result::options);
        }
        return new Declarations(
                problems,
                source,
                sourceResult.filter(OptionsValidator.Result::valid).map(OptionsValidator.Result::options),
                sourceResult.filter(result -> !result.valid()).map(OptionsValidator.Result::options),
                sink,
                sinkOptions);
    }

    /** The options of the sink that writes several: none of its own. */
    private static final ConnectorOptions NO_OPTIONS = new ConnectorOptions(Map.of(), Map.of(), key -> false);

    /**
     * A sink name is a directory of the checkpoint, a label of the metrics and (the memory sink's)
     * a table SQL reads: a word, as rules and reference tables are named.
     */
    private static final java.util.regex.Pattern SINK_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** Settings of a sink of several that are the pipeline's, besides those of any sink. */
    static final Map<String, String> MISPLACED_IN_ONE_OF_SEVERAL = misplacedInOneOfSeveral();

    private static Map<String, String> misplacedInOneOfSeveral() {
        Map<String, String> misplaced = new java.util.HashMap<>(MISPLACED_IN_SINK);
        misplaced.put(
                StreamSink.CHECKPOINT_LOCATION.name(),
                "the checkpoint is the pipeline's when it writes several sinks (one read, one checkpoint): set "
                        + Part.CHECKPOINT_LOCATION.key() + " on the pipeline");
        misplaced.put(
                StreamSink.QUERY_NAME.name(),
                "the query is the pipeline's when it writes several sinks (one read, one query): set "
                        + Part.QUERY_NAME.key() + " on the pipeline; a sink goes by its name");
        return Map.copyOf(misplaced);
    }

    /**
     * The sinks of a pipeline that writes several, each looked up and its options checked at its
     * place ({@code sinks, 2, options, path}); present when every one is valid.
     */
    private static Optional<FanOut> fanOut(
            ConnectorRegistry registry, PipelineDefinition definition, List<Problem> problems) {
        List<FanOut.Route> routes = new ArrayList<>();
        java.util.Map<String, Integer> names = new java.util.HashMap<>();
        java.util.Map<String, SinkSpec> places = new java.util.HashMap<>();
        boolean valid = true;
        for (int i = 0; i < definition.sinks().size(); i++) {
            SinkSpec spec = definition.sinks().get(i);
            String entry = String.valueOf(i + 1);
            List<Problem> found = new ArrayList<>();
            if (!SINK_NAME.matcher(spec.name()).matches()) {
                found.add(new Problem(
                        spec.subject(),
                        "the name '" + spec.name() + "' is not a sink's name: letters, digits and '_', starting"
                                + " with a letter (it names the sink's record of written batches and its metrics)",
                        Part.NAME));
            }
            Integer first = names.putIfAbsent(spec.name(), i + 1);
            if (first != null) {
                found.add(new Problem(
                        definition.subject(),
                        "sinks " + first + " and " + (i + 1) + " are both named '" + spec.name()
                                + "': name each sink of a pipeline differently",
                        Part.NAME));
            }
            Lookup<StreamSink> lookup = registry.sink(spec.connector());
            lookup.problem().ifPresent(p -> found.add(Problem.of(p).within(Part.CONNECTOR)));
            Optional<ConnectorOptions> options = Optional.empty();
            if (lookup.connector().isPresent()) {
                StreamSink sink = lookup.connector().get();
                if (!sink.writesBatches()) {
                    found.add(new Problem(
                            spec.subject(),
                            "sink '" + sink.name() + "' cannot be one of several sinks of a pipeline: it writes only as"
                                    + " a query of its own; give it a pipeline of its own",
                            Part.CONNECTOR));
                }
                List<Problem> optionProblems = new ArrayList<>();
                OptionsValidator.Result result = options(
                        sink, List.of(), MISPLACED_IN_ONE_OF_SEVERAL, spec.options(), Part.SINK, optionProblems);
                optionProblems.forEach(p -> found.add(new Problem(
                        spec.subject(),
                        p.message(),
                        p.parts().subList(1, p.parts().size()),
                        p.item())));
                options = Optional.of(result)
                        .filter(OptionsValidator.Result::valid)
                        .map(OptionsValidator.Result::options);
                String identity = IdentityWords.of(sink.identity(spec.options()));
                if (!identity.isEmpty()) {
                    SinkSpec other = places.putIfAbsent(sink.name() + " " + identity, spec);
                    if (other != null) {
                        found.add(new Problem(
                                spec.subject(),
                                "writes where sink '" + other.name() + "' writes (" + identity + "): two sinks of one"
                                        + " pipeline writing one place would write each row there twice; remove one,"
                                        + " or give it another place",
                                Part.OPTIONS));
                    }
                }
                if (options.isPresent()) {
                    routes.add(new FanOut.Route(spec, sink, options.get()));
                }
            }
            valid &= found.isEmpty() && options.isPresent();
            found.forEach(p -> problems.add(p.under(Part.SINKS, entry)));
        }
        return valid ? Optional.of(new FanOut(routes, definition.checkpointLocation())) : Optional.empty();
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
