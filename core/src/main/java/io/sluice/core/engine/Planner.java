package io.sluice.core.engine;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.catalog.Lookup;
import io.sluice.core.catalog.OptionsValidator;
import io.sluice.core.catalog.SessionSettings;
import io.sluice.core.definition.Problem;
import io.sluice.spi.Connector;
import io.sluice.spi.ConnectorKind;
import io.sluice.spi.Counter;
import io.sluice.spi.OutputMode;
import io.sluice.spi.SinkContext;
import io.sluice.spi.SourceContext;
import io.sluice.spi.StreamSink;
import io.sluice.spi.StreamSource;
import io.sluice.spi.option.ConnectorOptions;
import io.sluice.spi.option.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a definition into a plan: looks the connectors up, validates their options, builds
 * the {@code Dataset} through the transforms and checks the output mode against it —
 * collecting every problem on the way instead of stopping at the first. Validation and
 * start share this one path, so what {@code validate()} accepts is what {@code start()} runs.
 */
final class Planner {
    /** The parts of a definition that {@link Problem#path()} names, as the pipeline file spells them. */
    static final String SOURCE = "source";
    static final String SINK = "sink";
    static final String OPTIONS = "options";
    static final String CONNECTOR = "connector";
    static final String TRANSFORMS = "transforms";
    static final String OUTPUT_MODE = "outputMode";
    static final String CHECKPOINT_LOCATION = "checkpointLocation";

    private Planner() {}

    /** A planned pipeline: runnable when {@code problems} is empty. */
    record Plan(List<Problem> problems, Dataset<Row> output, StreamSink sink, ConnectorOptions sinkOptions,
            SinkContext sinkContext, List<Counter> counters) {}

    static Plan plan(SparkSession spark, ConnectorRegistry registry, PipelineDefinition definition, boolean starting) {
        List<Problem> problems = new ArrayList<>();
        String pipeline = definition.subject();

        Lookup<StreamSource> sourceLookup = registry.source(definition.sourceName());
        sourceLookup.problem().ifPresent(p -> problems.add(p.within(SOURCE, CONNECTOR)));
        Optional<ConnectorOptions> sourceOptions = sourceLookup.connector().flatMap(source ->
                validOptions(source, List.of(), definition.sourceOptions(), SOURCE, problems));

        Lookup<StreamSink> sinkLookup = registry.sink(definition.sinkName());
        sinkLookup.problem().ifPresent(p -> problems.add(p.within(SINK, CONNECTOR)));
        Optional<StreamSink> sink = sinkLookup.connector();
        Optional<ConnectorOptions> sinkOptions = sink.flatMap(s ->
                validOptions(s, StreamSink.FRAMEWORK_OPTIONS, definition.sinkOptions(), SINK, problems));

        Optional<String> checkpoint = sinkOptions.flatMap(o -> o.find(StreamSink.CHECKPOINT_LOCATION))
                .or(definition::checkpointLocation);
        String queryName = sinkOptions.flatMap(o -> o.find(StreamSink.QUERY_NAME))
                .or(definition::queryName)
                .orElse(definition.name());
        SinkContext plainContext = new SinkContext(spark, definition.name(), queryName, definition.outputMode(), checkpoint,
                definition.trigger());

        boolean modeSupported = sink.map(s -> s.supportedOutputModes().contains(definition.outputMode())).orElse(true);
        sink.ifPresent(s -> problems.addAll(sinkProblems(s, definition.outputMode(), checkpoint)));
        sourceLookup.connector().ifPresent(s -> sessionProblem(spark, s, SOURCE).ifPresent(problems::add));
        sink.ifPresent(s -> sessionProblem(spark, s, SINK).ifPresent(problems::add));

        List<Counter> counters = new ArrayList<>();
        Dataset<Row> output = null;
        SinkContext sinkContext = plainContext;
        if (sourceOptions.isPresent()) {
            StreamSource source = sourceLookup.connector().get();
            Optional<Dataset<Row>> read = read(spark, definition, source, sourceOptions.get(), starting, checkpoint,
                    counters, problems);
            output = read.map(data -> transform(spark, definition, data, problems)).orElse(null);
            if (output != null) {
                sinkContext = plainContext.withFacts(PlanFacts.of(source.name(), source.recordOrder(), read.get(), output));
            }
            if (sinkOptions.isPresent()) {
                problems.addAll(Loops.find(source, sourceOptions.get(), sink.get(), sinkOptions.get()));
            }
        }
        if (output != null && modeSupported) {
            OutputModeCheck.check(output, definition.outputMode())
                    .forEach(m -> problems.add(new Problem(pipeline, m, List.of(OUTPUT_MODE))));
        }
        if (output != null && sinkOptions.isPresent()) {
            String subject = ConnectorKind.SINK.subject(sink.get().name());
            sink.get().validate(sinkContext, sinkOptions.get(), output.schema())
                    .forEach(m -> problems.add(new Problem(subject, m, List.of(SINK))));
        }
        if (definition.trigger().isRealTime()) {
            problems.addAll(RealTimeRules.check(definition, sourceLookup.connector(), sourceOptions, sink, sinkOptions, checkpoint,
                    output));
        }
        return new Plan(problems, output, sink.orElse(null), sinkOptions.orElse(null), sinkContext, counters);
    }

    /** What a sink's declarations say about the pipeline's settings: output mode and checkpoint. */
    private static List<Problem> sinkProblems(StreamSink sink, OutputMode mode, Optional<String> checkpoint) {
        String subject = ConnectorKind.SINK.subject(sink.name());
        List<Problem> problems = new ArrayList<>();
        if (!sink.supportedOutputModes().contains(mode)) {
            String hint = sink.outputModeHint();
            problems.add(new Problem(subject, "output mode " + mode + " is not supported (supported: "
                    + sink.supportedOutputModes().stream().map(Enum::name).sorted().collect(Collectors.joining(", "))
                    + ")" + (hint.isEmpty() ? "" : ": " + hint), List.of(OUTPUT_MODE)));
        }
        if (sink.requiresCheckpointLocation() && checkpoint.isEmpty()) {
            problems.add(new Problem(subject, "missing required option '" + StreamSink.CHECKPOINT_LOCATION.name()
                    + "' (set it on the sink or on the pipeline): it is where the pipeline keeps how far it got, so that a restart"
                    + " goes on from there instead of writing its input again", List.of(SINK, OPTIONS)));
        }
        return problems;
    }

    /** A session adopted with {@code Sluice.using} may lack what the connector declared it needs. */
    private static Optional<Problem> sessionProblem(SparkSession spark, Connector connector, String part) {
        List<String> missing = SessionSettings.missing(spark, connector);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Problem(connector.kind().subject(connector.name()), "the session lacks the setting"
                + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ", which this connector needs: set "
                + (missing.size() == 1 ? "it" : "them") + " where the session is built (spark-submit --conf key=value, or"
                + " SparkSession.builder().config(key, value)); Sluice.embedded() and the sluice command set them",
                List.of(part, CONNECTOR)));
    }

    private static Optional<ConnectorOptions> validOptions(Connector connector, List<OptionSpec<?>> extra,
            Map<String, String> raw, String part, List<Problem> problems) {
        OptionsValidator.Result result = OptionsValidator.validate(connector, extra, raw);
        result.problems().forEach(p -> problems.add(p.within(part, OPTIONS)));
        return result.valid() ? Optional.of(result.options()) : Optional.empty();
    }

    private static Optional<Dataset<Row>> read(SparkSession spark, PipelineDefinition definition, StreamSource source,
            ConnectorOptions options, boolean starting, Optional<String> checkpoint, List<Counter> counters, List<Problem> problems) {
        SourceContext context = new PlanningContext(spark, definition.name(), starting, definition.trigger(), checkpoint,
                counters::add);
        try {
            return Optional.of(source.read(context, options));
        } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
            problems.add(new Problem(ConnectorKind.SOURCE.subject(source.name()), "cannot read the stream: " + describe(e),
                    List.of(SOURCE)));
            return Optional.empty();
        }
    }

    private static Dataset<Row> transform(SparkSession spark, PipelineDefinition definition, Dataset<Row> data,
            List<Problem> problems) {
        List<Transform> transforms = definition.transforms();
        for (int i = 0; i < transforms.size(); i++) {
            Transform transform = transforms.get(i);
            try {
                data = transform.apply(spark, data);
            } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
                problems.add(new Problem(definition.subject(), "transform " + (i + 1) + " (" + transform.describe()
                        + ") failed: " + describe(e), List.of(TRANSFORMS, String.valueOf(i + 1))));
                return null;
            }
        }
        return data;
    }

    private static String describe(Exception e) {
        if (e instanceof AnalysisException analysis) {
            return OutputModeCheck.firstLine(analysis.getSimpleMessage());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : OutputModeCheck.firstLine(e.getMessage());
    }
}
