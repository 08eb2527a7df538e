package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.Counter;
import io.sluice.core.SinkContext;
import io.sluice.core.SourceContext;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.plan.Conflicts;
import io.sluice.engine.plan.PipelineDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline planned: either rejected, with every problem that stops it, or ready — its
 * connectors found, their options valid, the query built through the transforms and checked,
 * the query name and checkpoint resolved. {@link Pipeline#validate()} returns one and
 * {@link Pipeline#start(PipelinePlan)} starts it, so a caller that validates before starting
 * (the {@code sluice} command) plans once.
 *
 * <p>A plan starts at most once: the counters its source made while planning belong to the
 * one run that starts from it. Validate again to start again.
 */
public final class PipelinePlan {
    private final Pipeline pipeline;
    private final List<Problem> problems;
    private final String queryName;
    private final Optional<String> checkpointLocation;
    private final Ready ready;
    private final AtomicBoolean started = new AtomicBoolean();

    /** What a ready plan starts from; null parts never reach a rejected plan's callers. */
    record Ready(
            StreamSource source,
            ConnectorOptions sourceOptions,
            SourceContext sourceContext,
            StreamSink sink,
            ConnectorOptions sinkOptions,
            SinkContext sinkContext,
            Dataset<Row> output,
            java.util.Map<String, Dataset<Row>> tables,
            List<Counter> counters,
            List<String> explained,
            boolean upstreamColumns) {}

    PipelinePlan(
            Pipeline pipeline,
            List<Problem> problems,
            String queryName,
            Optional<String> checkpointLocation,
            Ready ready) {
        this.pipeline = pipeline;
        this.problems = List.copyOf(problems);
        this.queryName = queryName;
        this.checkpointLocation = checkpointLocation;
        this.ready = problems.isEmpty() ? ready : null;
    }

    /** Every problem that stops this pipeline from starting, sorted by nothing but discovery; empty when it can start. */
    public List<Problem> problems() {
        return problems;
    }

    /** Whether the pipeline can start from this plan. */
    public boolean isReady() {
        return problems.isEmpty();
    }

    /** The name the query runs under: the sink's {@code queryName}, the pipeline's, or the pipeline's name. */
    public String queryName() {
        return queryName;
    }

    /** Where the query keeps its checkpoint, when the sink or the pipeline says; empty for a temporary one. */
    public Optional<String> checkpointLocation() {
        return checkpointLocation;
    }

    /**
     * The schema of the rows the sink receives.
     *
     * @throws ValidationException with every problem, when the plan was rejected
     */
    public StructType schema() {
        return ready().output().schema();
    }

    /** The pipelines of the run that feed this one and that it feeds. */
    public Pipeline.Neighbours neighbours() {
        return pipeline.neighbours();
    }

    /**
     * Whether the source was read as the stream its upstream's columns give ({@code
     * Pipeline.downstreamOf}): the plan shows the problems, and cannot start.
     */
    public boolean checkedAgainstUpstream() {
        return ready != null && ready.upstreamColumns();
    }

    /**
     * The columns sink {@code sink} writes: its own {@code where}/{@code columns} applied when it
     * is one of several (by name), the output's otherwise.
     *
     * @throws ValidationException with every problem, when the plan was rejected
     */
    public StructType schemaOf(String sink) {
        requireNonNull(sink, "sink is null");
        PipelineDefinition definition = pipeline.definition();
        if (!definition.fansOut()) {
            return schema();
        }
        return definition.sinks().stream()
                .filter(spec -> spec.name().equals(sink))
                .findFirst()
                .map(spec -> io.sluice.engine.plan.FanOut.Route.apply(spec, ready().output())
                        .schema())
                .orElseThrow(() -> new IllegalArgumentException(definition.subject() + " has no sink '" + sink + "'"));
    }

    /** How many records the source had yet to read after a batch, as the source tells (Kafka does). */
    public OptionalLong backlog(SourceProgress[] sources) {
        Map<String, Long> behind = backlogByPartition(sources);
        return behind.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(
                        behind.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The same per partition of what the source reads ({@code orders-0}), sorted; empty when it cannot tell. */
    public Map<String, Long> backlogByPartition(SourceProgress[] sources) {
        Map<String, Long> behind = new TreeMap<>();
        if (ready != null) {
            for (SourceProgress source : sources) {
                ready.source()
                        .backlog(ready.sourceOptions(), source)
                        .forEach((partition, records) -> behind.merge(partition, records, Long::sum));
            }
        }
        return behind;
    }

    /**
     * What stops this plan from running together with {@code others}: a query name or a
     * checkpoint it shares with one of them. For front ends that start several pipelines at
     * once (the {@code sluice} command), before any starts.
     */
    public List<Problem> conflictsWith(List<PipelinePlan> others) {
        return Conflicts.between(
                query(), others.stream().map(PipelinePlan::query).toList(), "in the same run");
    }

    Conflicts.Query query() {
        return new Conflicts.Query(pipeline.definition().subject(), queryName, checkpointLocation);
    }

    /** Masks the values of this pipeline's secret options (passwords, JAAS settings) in {@code text}. */
    public String mask(String text) {
        List<String> secrets = new ArrayList<>();
        if (ready != null) {
            List<ConnectorOptions> all = new ArrayList<>(List.of(ready.sourceOptions(), ready.sinkOptions()));
            if (ready.sink() instanceof io.sluice.engine.plan.FanOut fanOut) {
                fanOut.routes().forEach(route -> all.add(route.options()));
            }
            for (ConnectorOptions options : all) {
                options.asMap().forEach((key, value) -> {
                    if (options.isSecret(key)) {
                        secrets.add(value);
                    }
                });
            }
        }
        return io.sluice.engine.catalog.SecretMask.of(secrets).mask(text);
    }

    /** The definition this plan was made from: the pipeline's name, its connectors' names, its trigger. */
    public PipelineDefinition definition() {
        return pipeline.definition();
    }

    /** The counters the source made for this run (records rejected, dead-letter failures), empty for a rejected plan. */
    public List<Counter> counters() {
        return ready == null ? List.of() : ready.counters();
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** The parts to start from; throws what {@code start()} throws for a rejected plan. */
    Ready ready() {
        if (ready == null) {
            throw new ValidationException(pipeline.definition().subject(), problems);
        }
        return ready;
    }

    /** Marks the plan started; false when it was already. */
    boolean claim() {
        return started.compareAndSet(false, true);
    }

    /** The source, then the sink (and, for several, each of them), as far as they were found. */
    List<Connector> connectors() {
        List<Connector> connectors = new ArrayList<>();
        if (ready != null) {
            connectors.add(ready.source());
            connectors.add(ready.sink());
            if (ready.sink() instanceof io.sluice.engine.plan.FanOut fanOut) {
                fanOut.routes().forEach(route -> connectors.add(route.sink()));
            }
        }
        return connectors;
    }

    @Override
    public String toString() {
        return pipeline.definition().subject()
                + (isReady()
                        ? " ready as query '" + queryName + "'"
                        : " rejected with " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
    }
}
