package io.sluice.engine.pipeline;

import io.sluice.core.ConnectorKind;
import io.sluice.core.Counter;
import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.core.PathCheck;
import io.sluice.core.SinkContext;
import io.sluice.core.SourceContext;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.plan.Declarations;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.Expectation.Stage;
import io.sluice.engine.plan.Expectations;
import io.sluice.engine.plan.FanOut;
import io.sluice.engine.plan.Loops;
import io.sluice.engine.plan.OutputModeCheck;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.PlanFacts;
import io.sluice.engine.plan.PlanningContext;
import io.sluice.engine.plan.RealTimeRules;
import io.sluice.engine.plan.ReferenceTable;
import io.sluice.engine.plan.ReferenceTables;
import io.sluice.engine.plan.SessionProblems;
import io.sluice.engine.plan.SessionViews;
import io.sluice.engine.plan.SeveralSinks;
import io.sluice.engine.plan.SqlErrors;
import io.sluice.engine.plan.SqlTransform;
import io.sluice.engine.plan.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Planner.class);

    private Planner() {}

    static PipelinePlan plan(Pipeline pipeline, SparkSession spark, ConnectorRegistry registry) {
        PipelineDefinition definition = pipeline.definition();
        List<Problem> problems = new ArrayList<>();
        String subject = definition.subject();

        problems.addAll(pipeline.misuse());
        if (definition.name().isBlank()) {
            problems.add(new Problem(
                    subject,
                    "the pipeline's name is empty: name it (it is the query's name unless queryName is set, and"
                            + " names the pipeline in every message)",
                    Part.NAME));
        }
        problems.addAll(Expectations.declared(definition));
        ReferenceTables.Checked tables = ReferenceTables.check(spark, definition);
        problems.addAll(tables.problems());
        Declarations declared = Declarations.check(registry, definition);
        problems.addAll(declared.problems());
        Optional<StreamSource> source = declared.source();
        Optional<ConnectorOptions> sourceOptions = declared.sourceOptions();
        Optional<StreamSink> sink = declared.sink();
        Optional<ConnectorOptions> sinkOptions = declared.sinkOptions();

        // when the sink's options have problems, its checkpoint and query name are still what the user wrote:
        // a problem of theirs is reported once, not again as a missing checkpoint
        Optional<String> checkpoint =
                sinkOptions.flatMap(o -> o.find(StreamSink.CHECKPOINT_LOCATION)).or(definition::checkpoint);
        String queryName = sinkOptions
                .flatMap(o -> o.find(StreamSink.QUERY_NAME))
                .or(definition::queryNameOption)
                .orElse(definition.name());
        // the run's counters, made by the source while planning and by the sink when the query starts (the
        // progress listener reads them from another thread)
        List<Counter> counters = new java.util.concurrent.CopyOnWriteArrayList<>();
        SinkContext plainContext = new SinkContext(
                        spark, definition.name(), queryName, definition.outputMode(), checkpoint, definition.trigger())
                .withTracker(counter -> {
                    counters.add(counter);
                    return counter;
                });

        boolean modeSupported =
                sink.map(s -> s.outputModes().supports(definition.outputMode())).orElse(true);
        sink.ifPresent(s -> problems.addAll(sinkProblems(s, definition, checkpoint)));
        checkpoint
                .flatMap(c -> PathCheck.directory(StreamSink.CHECKPOINT_LOCATION.name(), c, spark))
                .ifPresent(why -> problems.add(new Problem(subject, why, Part.CHECKPOINT_LOCATION)));
        source.ifPresent(s -> SessionProblems.of(spark, s, Part.SOURCE).ifPresent(problems::add));
        sink.ifPresent(s -> SessionProblems.of(spark, s, Part.SINK).ifPresent(problems::add));
        Optional<FanOut> fanOut = sink.filter(FanOut.class::isInstance).map(FanOut.class::cast);
        fanOut.ifPresent(f -> problems.addAll(SeveralSinks.declared(spark, f, definition.outputMode())));

        List<String> explained = new ArrayList<>();
        SourceContext sourceContext = new PlanningContext(
                spark,
                definition.name(),
                definition.trigger(),
                checkpoint,
                counters::add,
                pipeline.fixture(),
                explained::add);
        Dataset<Row> output = null;
        boolean[] upstreamColumns = {false}; // read as the upstream's columns give: a plan that cannot start
        SinkContext sinkContext = plainContext;
        if (sourceOptions.isPresent()) {
            Optional<Dataset<Row>> read = pipeline.upstream()
                    .flatMap(upstream -> source.get()
                            .columnsReading(sourceOptions.get(), upstream.written())
                            .map(columns -> {
                                upstreamColumns[0] = true;
                                explained.add("reads what pipeline '" + upstream.pipeline()
                                        + "' writes: checked against the columns it writes");
                                return UpstreamStandIn.stream(spark, columns);
                            }))
                    .or(() -> read(source.get(), sourceContext, sourceOptions.get(), problems));
            Optional<io.sluice.core.Quarantine> quarantine =
                    definition.expectations().stream().anyMatch(rule -> rule.action() == Expectation.Action.QUARANTINE)
                            ? source.get().quarantine(sourceContext, sourceOptions.get())
                            : Optional.empty();
            String sourceName = source.get().name();
            output = read.map(data ->
                            expect(spark, definition, Stage.INPUT, data, problems, counters, quarantine, sourceName))
                    .map(data -> transform(spark, definition, tables.views(), data, problems))
                    .map(data ->
                            expect(spark, definition, Stage.OUTPUT, data, problems, counters, quarantine, sourceName))
                    .orElse(null);
            if (output != null) {
                sinkContext = plainContext.withFacts(
                        PlanFacts.of(source.get().name(), source.get().recordOrder(), read.get(), output));
            }
            if (fanOut.isPresent()) {
                fanOut.get()
                        .routes()
                        .forEach(route -> problems.addAll(
                                Loops.find(source.get(), sourceOptions.get(), route.sink(), route.options())));
            } else if (sinkOptions.isPresent()) {
                problems.addAll(Loops.find(source.get(), sourceOptions.get(), sink.get(), sinkOptions.get()));
            }
        } else if (declared.sourceAsFarAsValid().isPresent()) {
            // the source's options have problems: read with what is valid all the same, so that a mistake in the
            // SQL is reported in this round too; the plan stays rejected, and a read that fails says nothing more
            try {
                Dataset<Row> partial = source.get()
                        .read(sourceContext, declared.sourceAsFarAsValid().get());
                transform(spark, definition, tables.views(), partial, problems);
            } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
                LOG.debug("{}: no partial read with the source's options as far as valid", subject, e);
            }
        }
        if (output != null && fanOut.isPresent()) {
            problems.addAll(SeveralSinks.planned(spark, fanOut.get(), sinkContext, output, definition.outputMode()));
        } else if (output != null && modeSupported) {
            problems.addAll(OutputModeCheck.check(
                    subject,
                    output,
                    definition.outputMode(),
                    sink.map(StreamSink::outputModes).orElse(OutputModes.all())));
        }
        if (output != null && sinkOptions.isPresent() && fanOut.isEmpty()) {
            String sinkSubject = ConnectorKind.SINK.subject(sink.get().name());
            sink.get()
                    .validate(sinkContext, sinkOptions.get(), output.schema())
                    .forEach(m -> problems.add(new Problem(sinkSubject, m, Part.SINK)));
        }
        if (definition.trigger().isRealTime()) {
            sourceOptions
                    .flatMap(o -> RealTimeRules.connector(source.get(), o, Part.SOURCE))
                    .ifPresent(problems::add);
            sinkOptions
                    .flatMap(o -> RealTimeRules.connector(sink.get(), o, Part.SINK))
                    .ifPresent(problems::add);
            problems.addAll(RealTimeRules.check(definition, sink, checkpoint, output));
        }
        PipelinePlan.Ready ready = output == null || sinkOptions.isEmpty()
                ? null
                : new PipelinePlan.Ready(
                        source.get(),
                        sourceOptions.get(),
                        sourceContext,
                        sink.get(),
                        sinkOptions.get(),
                        sinkContext,
                        output,
                        tables.views(),
                        counters,
                        List.copyOf(explained),
                        upstreamColumns[0]);
        return new PipelinePlan(pipeline, problems, queryName, checkpoint, ready);
    }

    /** What a sink's declarations say about the pipeline's settings: output mode and checkpoint. */
    private static List<Problem> sinkProblems(
            StreamSink sink, PipelineDefinition definition, Optional<String> checkpoint) {
        OutputMode mode = definition.outputMode();
        String subject = ConnectorKind.SINK.subject(sink.name());
        List<Problem> problems = new ArrayList<>();
        sink.outputModes().refusal(mode).ifPresent(why -> problems.add(new Problem(subject, why, Part.OUTPUT_MODE)));
        if (sink instanceof FanOut && checkpoint.isEmpty()) {
            problems.add(new Problem(
                    definition.subject(),
                    "missing '" + Part.CHECKPOINT_LOCATION.key() + "' on the pipeline: a pipeline with several sinks"
                            + " keeps there how far it got and which sinks wrote each batch, so that a restart writes"
                            + " no sink twice",
                    Part.CHECKPOINT_LOCATION));
        } else if (sink.requiresCheckpointLocation() && checkpoint.isEmpty()) {
            problems.add(new Problem(
                    subject,
                    "missing required option '" + StreamSink.CHECKPOINT_LOCATION.name()
                            + "' (set it on the sink or on the pipeline): it is where the pipeline keeps how far it got, so that a restart"
                            + " goes on from there instead of writing its input again",
                    Part.SINK,
                    Part.OPTIONS));
        }
        return problems;
    }

    private static Optional<Dataset<Row>> read(
            StreamSource source, SourceContext context, ConnectorOptions options, List<Problem> problems) {
        try {
            return Optional.of(source.read(context, options));
        } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
            problems.add(new Problem(
                    ConnectorKind.SOURCE.subject(source.name()),
                    "cannot read the stream: " + describe(e),
                    Part.SOURCE));
            return Optional.empty();
        }
    }

    /**
     * {@code data} with the expectations of {@code stage} checked against it and applied; as it is
     * when they have problems (the plan is rejected, and the steps after still report theirs).
     */
    private static Dataset<Row> expect(
            SparkSession spark,
            PipelineDefinition definition,
            Stage stage,
            Dataset<Row> data,
            List<Problem> problems,
            List<Counter> counters,
            Optional<io.sluice.core.Quarantine> quarantine,
            String source) {
        boolean aggregated = stage == Stage.OUTPUT
                && Expectations.rewritesRows(
                        definition.outputMode(), data.queryExecution().analyzed());
        Optional<String> noQuarantine = quarantine.isPresent()
                ? Optional.empty()
                : Optional.of("the rows it breaks go to the source's dead letter, and source '" + source + "' has none"
                        + " with these options: give it one (kafka: badRecords: dead_letter with deadLetter.path or"
                        + " deadLetter.topic), or set onViolation to drop");
        List<Problem> found = Expectations.check(spark, definition, stage, data, aggregated, noQuarantine);
        // the rules as written were checked first (Expectations.declared): one written wrong is in problems already
        boolean writtenWrong =
                problems.stream().anyMatch(problem -> problem.parts().contains(Part.EXPECTATIONS));
        problems.addAll(found);
        return found.isEmpty() && !writtenWrong
                ? Expectations.apply(spark, definition, stage, data, counters::add, quarantine)
                : data;
    }

    /** The steps applied, each analysed with the reference tables visible by name. */
    private static Dataset<Row> transform(
            SparkSession spark,
            PipelineDefinition definition,
            Map<String, Dataset<Row>> tables,
            Dataset<Row> data,
            List<Problem> problems) {
        if (tables.size() < definition.tables().size()) {
            return null; // a table the SQL reads is not there: said once, as the table's problem
        }
        return SessionViews.with(
                spark,
                tables,
                () -> transform(
                        spark,
                        definition,
                        data,
                        problems,
                        definition.tables().stream().map(ReferenceTable::name).toList()));
    }

    private static Dataset<Row> transform(
            SparkSession spark,
            PipelineDefinition definition,
            Dataset<Row> data,
            List<Problem> problems,
            List<String> tables) {
        List<Transform> transforms = definition.transforms();
        for (int i = 0; i < transforms.size(); i++) {
            Transform transform = transforms.get(i);
            try {
                Dataset<Row> next = transform.apply(spark, data);
                if (next == null) {
                    problems.add(new Problem(
                                    definition.subject(),
                                    "transform " + (i + 1) + " (" + transform.describe() + ") returned null: return a"
                                            + " Dataset (its input, when the step has nothing to change)",
                                    Part.TRANSFORMS)
                            .item(String.valueOf(i + 1)));
                    return null;
                }
                data = next;
            } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
                problems.add(new Problem(
                                definition.subject(),
                                "transform " + (i + 1) + " (" + transform.describe() + ") failed: "
                                        + describe(spark, transform, data, e, tables),
                                Part.TRANSFORMS)
                        .item(String.valueOf(i + 1)));
                return null;
            }
        }
        return data;
    }

    /** A SQL step's error in words; another's as Spark says it. */
    private static String describe(
            SparkSession spark, Transform transform, Dataset<Row> input, Exception e, List<String> tables) {
        if (transform instanceof SqlTransform sql && e instanceof AnalysisException analysis) {
            return SqlErrors.describe(spark, analysis, input.schema(), sql.view(), tables);
        }
        return describe(e);
    }

    private static String describe(Exception e) {
        if (e instanceof AnalysisException analysis) {
            return OutputModeCheck.firstLine(analysis.getSimpleMessage());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : OutputModeCheck.firstLine(e.getMessage());
    }
}
