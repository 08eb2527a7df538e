package io.sluice.core.engine;

import static java.util.Objects.requireNonNull;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.definition.Problem;
import io.sluice.core.definition.ValidationException;
import io.sluice.spi.Connector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * A pipeline bound to a session and a set of connectors: validate it, then start it.
 *
 * <p>{@link #validate()} does everything {@link #start()} does except starting: it looks the
 * connectors up, checks every option, builds the plan through the transforms and checks
 * the output mode against it, and returns all problems. {@link #start()} refuses to start a
 * pipeline with problems, so a mistake never surfaces as a failed query minutes later.
 */
public final class Pipeline {
    private final SparkSession spark;
    private final ConnectorRegistry registry;
    private final PipelineDefinition definition;

    public Pipeline(SparkSession spark, ConnectorRegistry registry, PipelineDefinition definition) {
        this.spark = requireNonNull(spark, "spark is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.definition = requireNonNull(definition, "definition is null");
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

    /** The source, then the sink (a valid plan has both). */
    private List<Connector> connectors() {
        List<Connector> connectors = new ArrayList<>();
        registry.source(definition.sourceName()).connector().ifPresent(connectors::add);
        registry.sink(definition.sinkName()).connector().ifPresent(connectors::add);
        return connectors;
    }

    /** Every problem that would stop this pipeline from starting; empty when it can start. */
    public List<Problem> validate() {
        return Planner.plan(spark, registry, definition, false).problems();
    }

    /**
     * The schema of this pipeline's output and Spark's analysed plan for its main query,
     * built as {@link #start()} would build it but without starting anything. (Spark plans a
     * streaming query physically only per micro-batch, once it runs.)
     *
     * @throws ValidationException with every problem, when validation fails
     */
    public String explain() {
        Planner.Plan plan = Planner.plan(spark, registry, definition, false);
        if (!plan.problems().isEmpty()) {
            throw new ValidationException(definition.subject(), plan.problems());
        }
        return "== Output schema ==\n" + plan.output().schema().treeString()
                + "== Analyzed logical plan ==\n" + plan.output().queryExecution().analyzed().treeString();
    }

    /**
     * Validates, then starts the query.
     *
     * @throws ValidationException with every problem, when validation fails
     */
    public PipelineHandle start() {
        Planner.Plan plan = Planner.plan(spark, registry, definition, true);
        if (!plan.problems().isEmpty()) {
            throw new ValidationException(definition.subject(), plan.problems());
        }
        String queryName = plan.sinkContext().queryName();
        Optional<String> kept = plan.sinkContext().checkpointLocation();
        List<Connector> connectors = connectors();
        CheckpointGuard.Description description = CheckpointGuard.describe(definition, connectors.get(0), plan.sink(), plan.output());
        Optional<CheckpointGuard.Description> inForce = kept.flatMap(checkpoint -> CheckpointGuard.inForce(spark, checkpoint));
        if (kept.isPresent()) {
            List<Problem> changes = CheckpointGuard.check(kept.get(), inForce, description, plan.sink(), definition.subject(),
                    definition.acceptedChanges());
            if (!changes.isEmpty()) {
                throw new ValidationException(definition.subject(), changes);
            }
        }
        CheckpointLog before = kept.map(checkpoint -> CheckpointLog.read(spark.sparkContext().hadoopConfiguration(), checkpoint))
                .orElse(CheckpointLog.EMPTY);
        Optional<Path> temporary = kept.isPresent() ? Optional.empty() : Optional.of(TemporaryCheckpoints.create(queryName));
        String checkpoint = kept.orElseGet(() -> temporary.get().toString());
        StreamingQuery main;
        try {
            main = plan.sink().write(plan.sinkContext(), plan.output(), plan.sinkOptions())
                    .outputMode(definition.outputMode().toSpark())
                    .trigger(definition.trigger().toSpark())
                    .queryName(queryName)
                    .option("checkpointLocation", checkpoint)
                    .start();
        } catch (TimeoutException e) {
            temporary.ifPresent(TemporaryCheckpoints::delete);
            throw new IllegalStateException(definition.subject() + ": timed out while starting", e);
        } catch (RuntimeException e) {
            temporary.ifPresent(TemporaryCheckpoints::delete);
            throw e;
        }
        kept.ifPresent(checkpointLocation -> CheckpointGuard.recordPending(spark, checkpointLocation, description, inForce, before));
        QueryCounters.register(main.id(), plan.counters());
        PipelineHandle handle = new PipelineHandle(main, temporary, checkpoint, connectors);
        ShutdownStop.register(handle);
        return handle;
    }
}
