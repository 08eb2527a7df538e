package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.plan.Conflicts;
import io.sluice.engine.plan.Declarations;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.Expectations;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.PlanningContext;
import io.sluice.engine.plan.SourceStreams;
import io.sluice.engine.plan.Transform;
import io.sluice.engine.run.CheckpointGuard;
import io.sluice.engine.run.CheckpointLog;
import io.sluice.engine.run.CommitForwarder;
import io.sluice.engine.run.FailureCause;
import io.sluice.engine.run.TemporaryCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * A pipeline bound to a session and a set of connectors: validate it, then start it.
 *
 * <p>{@link #validate()} does everything {@link #start()} does except what needs the outside
 * world: it looks the connectors up, checks every option, builds the query through the
 * transforms and checks the output mode against it, and returns a plan with all problems.
 * {@link #start(PipelinePlan)} refuses a plan with problems, so a mistake never surfaces as a
 * failed query minutes later.
 */
public final class Pipeline {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pipeline.class);

    private final SparkSession spark;
    private final ConnectorRegistry registry;
    private final PipelineDefinition definition;
    private final List<Problem> misuse;
    private final Optional<SourceStreams> fixture;
    private final Optional<Upstream> upstream;
    private final Neighbours neighbours;

    /**
     * The pipelines of the same run this one reads what they write ({@code upstream}) and those
     * that read what it writes ({@code downstream}), by name: what {@code /status} and the
     * metrics say of its place in the graph.
     */
    public record Neighbours(List<String> upstream, List<String> downstream) {
        /** Alone: no pipeline of the run feeds it or reads it. */
        public static final Neighbours NONE = new Neighbours(List.of(), List.of());

        public Neighbours {
            upstream = List.copyOf(requireNonNull(upstream, "upstream is null"));
            downstream = List.copyOf(requireNonNull(downstream, "downstream is null"));
        }
    }

    /**
     * The pipeline of the same run that writes what this one reads, and the columns it writes
     * there: what this one is validated against before that place exists.
     */
    public record Upstream(String pipeline, org.apache.spark.sql.types.StructType written) {
        public Upstream {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(written, "written is null");
        }
    }

    public Pipeline(SparkSession spark, ConnectorRegistry registry, PipelineDefinition definition) {
        this(spark, registry, definition, List.of());
    }

    /** With the mistakes made declaring it through the builder, reported with every other problem. */
    Pipeline(SparkSession spark, ConnectorRegistry registry, PipelineDefinition definition, List<Problem> misuse) {
        this(spark, registry, definition, misuse, Optional.empty(), Optional.empty(), Neighbours.NONE);
    }

    private Pipeline(
            SparkSession spark,
            ConnectorRegistry registry,
            PipelineDefinition definition,
            List<Problem> misuse,
            Optional<SourceStreams> fixture,
            Optional<Upstream> upstream,
            Neighbours neighbours) {
        this.spark = requireNonNull(spark, "spark is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.definition = requireNonNull(definition, "definition is null");
        this.misuse = List.copyOf(requireNonNull(misuse, "misuse is null"));
        this.fixture = requireNonNull(fixture, "fixture is null");
        this.upstream = requireNonNull(upstream, "upstream is null");
        this.neighbours = requireNonNull(neighbours, "neighbours is null");
    }

    /** This pipeline with its place in the run's graph ({@code PipelineGraph}): said by {@code /status} and the metrics. */
    public Pipeline withNeighbours(Neighbours neighbours) {
        return new Pipeline(spark, registry, definition, misuse, fixture, upstream, neighbours);
    }

    /** The pipelines of the run that feed this one and that it feeds; none unless {@link #withNeighbours} said. */
    public Neighbours neighbours() {
        return neighbours;
    }

    /**
     * This pipeline for validation only, its source read as the stream it would give once
     * {@code upstream} has written its place ({@code StreamSource.columnsReading}): a chain is
     * checked on its first {@code validate}, before the upstream's table exists. A source whose
     * columns do not follow what is written reads its place as usual. Its plans cannot start:
     * start this pipeline itself, once the upstream has written.
     */
    public Pipeline downstreamOf(Upstream upstream) {
        return new Pipeline(
                spark,
                registry,
                definition,
                misuse,
                fixture,
                Optional.of(requireNonNull(upstream, "upstream is null")),
                neighbours);
    }

    /** What this pipeline is validated against instead of its source's place, when {@link #downstreamOf} gave it. */
    Optional<Upstream> upstream() {
        return upstream;
    }

    /**
     * This pipeline with its source fed by {@code streams} instead of its system — a test run's
     * fixture ({@code sluice test}). The source's {@code read}, its decoding and bad-record
     * policy, the transforms, the sink, the checkpoint and its guard all run as in production;
     * left out is only what needs the source's system: its checks before start ({@code
     * preflight}) and what it tells the system after each batch ({@code onCommit}).
     */
    public Pipeline readingFrom(SourceStreams streams) {
        return new Pipeline(
                spark,
                registry,
                definition,
                misuse,
                Optional.of(requireNonNull(streams, "streams is null")),
                upstream,
                neighbours);
    }

    /**
     * The source's fixture ({@code StreamSource.fixture}) with this pipeline's options as
     * validated: what a test run turns its declared records into. Empty when the source's options
     * have problems (validation reports them) or the source has no fixture.
     */
    public Optional<io.sluice.core.SourceFixture> sourceFixture() {
        Declarations declared = Declarations.check(registry, definition);
        if (declared.source().isEmpty() || declared.sourceOptions().isEmpty()) {
            return Optional.empty();
        }
        return declared.source()
                .get()
                .fixture(
                        new PlanningContext(
                                spark,
                                definition.name(),
                                definition.trigger(),
                                definition.checkpointLocation(),
                                counter -> {}),
                        declared.sourceOptions().get());
    }

    /** The fixture the source reads instead of its system, when a test run gave one. */
    Optional<SourceStreams> fixture() {
        return fixture;
    }

    /**
     * The problems of a definition that need no Spark session — connectors found by name,
     * options checked against their declarations — for a front end to report before it builds
     * one (on a cluster, a session registers an application). {@link #validate()} finds them too.
     */
    public static List<Problem> checkDeclarations(ConnectorRegistry registry, PipelineDefinition definition) {
        return Declarations.check(
                        requireNonNull(registry, "registry is null"), requireNonNull(definition, "definition is null"))
                .problems();
    }

    List<Problem> misuse() {
        return misuse;
    }

    /**
     * The checks a ready plan makes against the outside world before start (the connectors'
     * {@code preflight}: brokers, topics, offsets, paths), without starting: what
     * {@code sluice validate --connect} reports. Empty when start would go ahead.
     *
     * @throws ValidationException with every problem, when the plan was rejected
     */
    public List<Problem> preflight(PipelinePlan plan) {
        requireNonNull(plan, "plan is null");
        // a source read as its upstream's columns give: its place may not exist yet, and is asked when it starts
        return Preflight.check(plan.ready(), fixture.isEmpty() && !plan.checkedAgainstUpstream());
    }

    public PipelineDefinition definition() {
        return definition;
    }

    /**
     * Why starting or running this pipeline failed, in words: its connectors' explanations
     * first ({@link Connector#explainFailure}), then the framework's.
     */
    public String describeFailure(Throwable failure) {
        return FailureCause.describe(requireNonNull(failure, "failure is null"), Optional.empty(), connectors());
    }

    /** The source, then each sink (a valid plan has them). */
    private List<Connector> connectors() {
        List<Connector> connectors = new ArrayList<>();
        registry.source(definition.sourceName()).connector().ifPresent(connectors::add);
        definition
                .sinks()
                .forEach(sink -> registry.sink(sink.connector()).connector().ifPresent(connectors::add));
        return connectors;
    }

    /**
     * Plans the pipeline without starting anything and without I/O: the plan holds every
     * problem that would stop it from starting, or is ready to {@link #start(PipelinePlan)}.
     */
    public PipelinePlan validate() {
        return Planner.plan(this, spark, registry);
    }

    /**
     * The schema of this pipeline's output and Spark's analysed plan for its main query,
     * built as {@link #start()} would build it but without starting anything. (Spark plans a
     * streaming query physically only per micro-batch, once it runs.)
     *
     * @throws ValidationException with every problem, when validation fails
     */
    public String explain() {
        PipelinePlan.Ready ready = validate().ready();
        Dataset<Row> output = ready.output();
        String source =
                ready.explained().isEmpty() ? "" : "== Source ==\n" + String.join("\n", ready.explained()) + "\n";
        String rules = definition.expectations().isEmpty()
                ? ""
                : "== Expectations ==\n"
                        + definition.expectations().stream()
                                .map(rule -> rule.describe() + "\n")
                                .collect(java.util.stream.Collectors.joining());
        return source + rules + "== Output schema ==\n" + output.schema().treeString() + "== Analyzed logical plan ==\n"
                + output.queryExecution().analyzed().treeString();
    }

    /**
     * Runs this pipeline by hand on a bounded sample of its source — the latest records of each
     * partition, or those {@code request} gives — and returns each step's rows: what
     * {@code sluice preview} shows. The source and the transforms run as they would in the
     * pipeline, as one batch; no sink runs, no checkpoint is kept, nothing is committed or written
     * (records that do not decode are returned with their reasons, not dead-lettered), and
     * nothing is left running.
     *
     * @param rows how many rows of each step to return, at least 1
     * @throws ValidationException with every problem, when the plan was rejected
     * @throws IllegalArgumentException when the plan is another pipeline's
     * @throws UnsupportedOperationException when the source cannot take a sample
     */
    public PipelinePreview preview(PipelinePlan plan, io.sluice.core.SampleRequest request, int rows) {
        requireNonNull(plan, "plan is null");
        requireNonNull(request, "request is null");
        if (rows < 1) {
            throw new IllegalArgumentException("rows is " + rows + ": show at least 1");
        }
        if (plan.pipeline() != this) {
            throw new IllegalArgumentException(definition.subject() + ": the plan is "
                    + plan.pipeline().definition().subject() + "'s: preview a pipeline from its own validate()");
        }
        PipelinePlan.Ready ready = plan.ready();
        io.sluice.core.SourceContext context = new PlanningContext(
                spark, definition.name(), definition.trigger(), java.util.Optional.empty(), counter -> {});
        String subject = ready.source().kind().subject(ready.source().name());
        io.sluice.core.SourceSample sample = ready.source()
                .sample(context, ready.sourceOptions(), request)
                .orElseThrow(() -> new UnsupportedOperationException(
                        subject + " cannot take a sample: it reads only as a stream"));
        Dataset<Row> data = sample.rows().cache();
        Dataset<Row> rejected = sample.rejected().cache();
        try {
            List<PipelinePreview.Step> steps = new java.util.ArrayList<>();
            steps.add(step(subject, data, rows));
            data = previewRules(Expectation.Stage.INPUT, data, steps, rows);
            // each step analysed with the reference tables visible by name, as the pipeline's are
            Dataset<Row> input = data;
            List<Dataset<Row>> transformed = io.sluice.engine.plan.SessionViews.with(spark, ready.tables(), () -> {
                List<Dataset<Row>> each = new java.util.ArrayList<>();
                Dataset<Row> step = input;
                for (Transform transform : definition.transforms()) {
                    step = transform.apply(spark, step);
                    each.add(step);
                }
                return each;
            });
            List<Transform> transforms = definition.transforms();
            for (int i = 0; i < transforms.size(); i++) {
                data = transformed.get(i);
                steps.add(step("transform " + (i + 1) + " (" + transforms.get(i).describe() + ")", data, rows));
            }
            previewRules(Expectation.Stage.OUTPUT, data, steps, rows);
            return new PipelinePreview(
                    sample.description(), rejected.count(), rejected.limit(rows).collectAsList(), steps);
        } finally {
            sample.rows().unpersist();
            rejected.unpersist();
        }
    }

    /**
     * The rows of a stage that break its rules (with the rules they break), then the rows the
     * rules keep, as two steps of a preview; the kept rows, which go on to the next step.
     */
    private Dataset<Row> previewRules(
            Expectation.Stage stage, Dataset<Row> data, List<PipelinePreview.Step> steps, int rows) {
        List<String> names = definition.expectations().stream()
                .filter(rule -> rule.stage() == stage)
                .map(Expectation::name)
                .toList();
        if (names.isEmpty()) {
            return data;
        }
        steps.add(step(
                "expectations on the " + stage.key() + " (" + String.join(", ", names) + "): the rows that break one",
                Expectations.breaking(definition, stage, data),
                rows));
        Dataset<Row> kept = Expectations.kept(definition, stage, data);
        steps.add(step("the rows the expectations on the " + stage.key() + " keep", kept, rows));
        return kept;
    }

    private static PipelinePreview.Step step(String title, Dataset<Row> data, int rows) {
        return new PipelinePreview.Step(
                title, data.schema(), data.count(), data.limit(rows).collectAsList());
    }

    /**
     * Validates, then starts the query: {@code start(validate())}.
     *
     * @throws ValidationException with every problem, when validation fails
     */
    public PipelineHandle start() {
        return start(validate());
    }

    /**
     * Starts the query from a plan of this pipeline — after the checks that need the outside
     * world (the connectors' {@code preflight}) and the checkpoint guard, which compares the
     * pipeline with the one its checkpoint was written by.
     *
     * @throws ValidationException with every problem, when the plan was rejected or a check before start fails
     * @throws IllegalArgumentException when the plan is another pipeline's
     * @throws IllegalStateException when the plan was started already
     */
    public PipelineHandle start(PipelinePlan plan) {
        requireNonNull(plan, "plan is null");
        if (plan.pipeline() != this) {
            throw new IllegalArgumentException(definition.subject() + ": the plan is "
                    + plan.pipeline().definition().subject() + "'s: start a pipeline from its own validate()");
        }
        plan.ready();
        if (plan.checkedAgainstUpstream()) {
            throw new IllegalStateException(definition.subject()
                    + ": this plan was checked against the columns pipeline '"
                    + upstream.get().pipeline() + "' writes, not against its place: start the pipeline itself once '"
                    + upstream.get().pipeline() + "' has written");
        }
        if (!plan.claim()) {
            throw new IllegalStateException(definition.subject() + ": this plan was started already; a plan starts once"
                    + " (its counters belong to that run): call validate() again to start again");
        }
        Launch launch = launch(plan, Optional.empty(), Optional.empty());
        PipelineHandle handle = new PipelineHandle(this, launch.run(), launch.temporary(), launch.checkpoint());
        ShutdownStop.register(handle);
        Launches.started(plan, handle);
        Restarts.follow(spark, handle);
        return handle;
    }

    /** A query started: the run, and the checkpoint it writes (a temporary one is deleted at stop). */
    record Launch(PipelineHandle.Run run, Optional<Path> temporary, String checkpoint) {}

    /**
     * Plans this pipeline again and starts it on the checkpoint of {@code handle}, whose query
     * failed for a reason its source takes in only at a start (a new schema in the registry): the
     * batch that failed is redone by the new query from the checkpoint, so nothing is lost or
     * written twice where the sink is exactly once.
     *
     * @throws ValidationException when the new plan or a check before start refuses it
     */
    PipelineHandle.Run restart(PipelineHandle handle) {
        PipelinePlan plan = validate();
        plan.ready();
        plan.claim();
        return launch(plan, Optional.of(handle), Optional.of(handle.checkpoint()))
                .run();
    }

    /**
     * The checks before start, the checkpoint guard, and Spark's start; {@code restarting} is the
     * handle whose checkpoint a restart reuses ({@code reuse}), which the checks leave out.
     */
    private Launch launch(PipelinePlan plan, Optional<PipelineHandle> restarting, Optional<String> reuse) {
        PipelinePlan.Ready ready = plan.ready();
        long checking = System.nanoTime();
        List<Problem> preflight = new ArrayList<>(Conflicts.between(
                plan.query(),
                ShutdownStop.running().stream()
                        .filter(running -> restarting.filter(running::equals).isEmpty())
                        .map(PipelineHandle::running)
                        .toList(),
                "which is running"));
        preflight.addAll(Preflight.check(ready, fixture.isEmpty()));
        long checked = System.nanoTime();
        if (!preflight.isEmpty()) {
            throw new ValidationException(definition.subject(), preflight);
        }
        String queryName = plan.queryName();
        Optional<String> kept = plan.checkpointLocation();
        CheckpointGuard.Description description =
                CheckpointGuard.describe(definition, ready.source(), ready.sink(), ready.output());
        Optional<CheckpointGuard.Description> inForce =
                kept.flatMap(checkpoint -> CheckpointGuard.inForce(spark, checkpoint));
        if (kept.isPresent()) {
            List<Problem> changes = CheckpointGuard.check(
                    kept.get(), inForce, description, ready.sink(), definition.subject(), definition.acceptedChanges());
            if (!changes.isEmpty()) {
                throw new ValidationException(definition.subject(), changes);
            }
        }
        String checkpoint;
        Optional<Path> temporary;
        if (kept.isPresent()) {
            checkpoint = kept.get();
            temporary = Optional.empty();
        } else if (reuse.isPresent()) {
            checkpoint = reuse.get();
            temporary = Optional.of(Path.of(reuse.get()));
        } else {
            temporary = Optional.of(TemporaryCheckpoints.create(queryName));
            checkpoint = temporary.get().toString();
        }
        CheckpointLog before = CheckpointLog.read(spark.sparkContext().hadoopConfiguration(), checkpoint);
        if (kept.isPresent()) {
            io.sluice.engine.checkpoint.CheckpointReport.statePartitionsNote(spark, checkpoint)
                    .ifPresent(note -> LOG.warn("{}: {}", definition.subject(), note));
        }
        Launches.starting(plan);
        Optional<CommitForwarder> forwarder = (fixture.isPresent()
                        ? Optional.<io.sluice.core.CommitListener>empty()
                        : ready.source().onCommit(ready.sourceContext(), ready.sourceOptions()))
                .map(listener -> CommitForwarder.add(spark, queryName, listener));
        boolean fresh = reuse.isEmpty();
        StreamingQuery main;
        ReferenceCache tables = null;
        try {
            tables = ReferenceCache.start(spark, definition, ready.tables());
            main = ready.sink()
                    .write(ready.sinkContext(), ready.output(), ready.sinkOptions())
                    .outputMode(definition.outputMode().toSpark())
                    .trigger(definition.trigger().toSpark())
                    .queryName(queryName)
                    .option("checkpointLocation", checkpoint)
                    .start();
        } catch (TimeoutException e) {
            temporary.filter(t -> fresh).ifPresent(TemporaryCheckpoints::delete);
            forwarder.ifPresent(CommitForwarder::remove);
            if (tables != null) {
                tables.close();
            }
            throw new IllegalStateException(definition.subject() + ": timed out while starting", e);
        } catch (RuntimeException e) {
            temporary.filter(t -> fresh).ifPresent(TemporaryCheckpoints::delete);
            forwarder.ifPresent(CommitForwarder::remove);
            if (tables != null) {
                tables.close();
            }
            throw e;
        }
        tables.closeWhenEnded(main.id(), main::isActive);
        kept.ifPresent(checkpointLocation -> {
            CheckpointGuard.recordPending(spark, checkpointLocation, description, inForce, before);
            io.sluice.engine.checkpoint.RunMarker.mark(spark, main.id(), queryName, checkpointLocation);
        });
        PipelineHandle.Startup startup = new PipelineHandle.Startup(
                java.time.Duration.ofNanos(checked - checking),
                java.time.Duration.ofNanos(System.nanoTime() - checked));
        LOG.info("{}: {}", definition.subject(), startup);
        return new Launch(
                new PipelineHandle.Run(main, plan, ready.output().schema(), before, startup), temporary, checkpoint);
    }
}
