package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.Counter;
import io.sluice.core.StreamSource;
import io.sluice.engine.plan.Conflicts;
import io.sluice.engine.run.CheckpointLog;
import io.sluice.engine.run.FailureCause;
import io.sluice.engine.run.OutputChange;
import io.sluice.engine.run.TemporaryCheckpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.StreamingQueryStatus;

/**
 * A running pipeline: its query, its counters and its checkpoint, watched and stopped
 * together. Callers get this instead of Spark's {@link StreamingQuery} because a pipeline is
 * more than its query: a temporary checkpoint to delete at stop, a graceful stop Spark does
 * not have, and failures said in words with the batch they hit.
 */
public final class PipelineHandle implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineHandle.class);

    private final Pipeline pipeline;
    private final Optional<Path> temporaryCheckpoint;
    private final String checkpoint;
    private final List<Connector> connectors;
    /** The counters of the runs before this one (a restart starts another run on the same checkpoint). */
    private final List<Counter> earlier = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** One line per restart: why, and what changed. */
    private final List<String> restarts = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile Run run;
    private volatile boolean stopping;
    /** Why the last restart was made, and the last batch committed when it was: a second one for the same reason is not made. */
    private volatile String restartedFor;

    private volatile long restartedAfter = -2;
    /** Why a restart that was due could not start, for the failure message. */
    private volatile Exception restartFailure;

    private volatile String restartFailedFor;

    /**
     * One start of the pipeline's query: its plan, its output columns, Spark's logs as they were
     * before it and how long starting took. A pipeline's source may ask for another (a new
     * schema): the handle then runs the next on the same checkpoint ({@link StreamSource#restartFor}).
     */
    record Run(
            StreamingQuery query,
            PipelinePlan plan,
            org.apache.spark.sql.types.StructType output,
            CheckpointLog atStart,
            Startup startup) {}

    /**
     * How long {@code start()} took: the checks before start (the connectors' preflight, the
     * running queries), then the query's own start (the checkpoint guard, Spark's start).
     */
    public record Startup(Duration checks, Duration query) {
        @Override
        public String toString() {
            return "checks before start took " + checks.toMillis() + " ms, starting the query " + query.toMillis()
                    + " ms";
        }
    }
    /** Spark's logs as they were when a temporary checkpoint was deleted at stop; null until then. */
    private volatile CheckpointLog logAtStop;

    PipelineHandle(Pipeline pipeline, Run run, Optional<Path> temporaryCheckpoint, String checkpoint) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.run = requireNonNull(run, "run is null");
        this.temporaryCheckpoint = requireNonNull(temporaryCheckpoint, "temporaryCheckpoint is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.connectors = run.plan().connectors();
    }

    /**
     * The query of the current run. When it failed for a reason its source takes in only at a
     * start ({@link StreamSource#restartFor}: a schema registered after the pipeline started), the
     * pipeline is planned and started again on its checkpoint first — once per reason: a second
     * failure for the same reason, with no batch committed between, stays a failure.
     */
    private StreamingQuery current() {
        Run now = run;
        if (stopping
                || Thread.holdsLock(this) // restarting: the new start's checks look at every running pipeline
                || now.query().isActive()
                || now.query().exception().isEmpty()) {
            return now.query();
        }
        synchronized (this) {
            if (run != now || stopping) {
                return run.query();
            }
            StreamingQueryException failure = now.query().exception().get();
            Optional<String> reason = restartReason(failure);
            if (reason.isEmpty() || reason.get().equals(restartFailedFor)) {
                return now.query();
            }
            long committed = log().lastCommitted().orElse(-1);
            if (reason.get().equals(restartedFor) && committed == restartedAfter) {
                return now.query();
            }
            // INFO, both: the restart is said once, by restarts() (the sluice command prints each line), not thrice
            LOG.info(
                    "{}: {}: starting it again from its checkpoint",
                    pipeline.definition().subject(),
                    reason.get());
            try {
                Run next = restartWithRetries();
                earlier.addAll(now.plan().counters());
                String line = "restarted pipeline '" + pipeline.definition().name() + "' from its checkpoint ("
                        + next.atStart().inFlight().stream()
                                .mapToObj(batch -> "batch " + batch + " redone")
                                .findFirst()
                                .orElse("after batch " + committed)
                        + ") because " + reason.get() + "; " + OutputChange.between(now.output(), next.output());
                LOG.info(line);
                restarts.add(line);
                restartedFor = reason.get();
                restartedAfter = committed;
                run = next;
                Launches.started(next.plan(), this);
            } catch (Exception e) { // Spark's start throws its AnalysisException undeclared
                LOG.error(
                        "{}: could not start again after: {}",
                        pipeline.definition().subject(),
                        reason.get(),
                        e);
                restartFailure = e;
                restartFailedFor = reason.get();
            }
            return run.query();
        }
    }

    /**
     * A restart: a start that fails (a registry that does not answer at once) is tried again,
     * three times over about 15 s, before the pipeline fails with its reason.
     */
    private Run restartWithRetries() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(1000L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                return pipeline.restart(this);
            } catch (Exception e) {
                LOG.warn(
                        "{}: starting again failed (attempt {}): {}",
                        pipeline.definition().subject(),
                        attempt + 1,
                        e.getMessage());
                last = e;
            }
        }
        throw last == null ? new IllegalStateException("interrupted while starting again") : last;
    }

    private Optional<String> restartReason(Throwable failure) {
        List<Throwable> chain = FailureCause.chain(failure);
        for (Connector connector : connectors) {
            if (connector instanceof StreamSource source) {
                Optional<String> reason = source.restartFor(chain);
                if (reason.isPresent()) {
                    return reason;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why and how the pipeline was restarted by itself in this run, one line each — logged at INFO,
     * so an application that wants them on its console prints these ({@code
     * restarted pipeline 'orders' from its checkpoint (batch 7 redone) because value was written
     * with schema id 12 ...; columns added: email (string)}); empty when it was not.
     */
    public List<String> restarts() {
        return List.copyOf(restarts);
    }

    /**
     * The plan of the current run: after a restart its source asked for (a schema registered
     * after start), the new plan, with the columns and counters of that run.
     */
    public PipelinePlan plan() {
        current();
        return run.plan();
    }

    /** The checkpoint the pipeline writes, kept or temporary. */
    String checkpoint() {
        return checkpoint;
    }

    public UUID id() {
        return current().id();
    }

    public String name() {
        return run.query().name();
    }

    public StreamingQueryStatus status() {
        return current().status();
    }

    /** Whether the pipeline's query still runs (or runs again after a restart it asked for). */
    public boolean isActive() {
        return current().isActive();
    }

    /** The last completed batch's progress; empty before the first. */
    public Optional<StreamingQueryProgress> lastProgress() {
        return Optional.ofNullable(current().lastProgress());
    }

    /**
     * What the pipeline's counters counted in one batch (records skipped, dead-lettered), as
     * {@code group.name} → count, sorted; empty when its connectors count nothing.
     */
    public Map<String, Long> counts(long batchId) {
        return each(counter -> counter.count(batchId));
    }

    /** The counters' totals over every batch of this run (restarts included), as {@code group.name} → count, sorted. */
    public Map<String, Long> countTotals() {
        return each(Counter::total);
    }

    private Map<String, Long> each(ToLongFunction<Counter> value) {
        current();
        Map<String, Long> values = new TreeMap<>();
        List<Counter> all = new java.util.ArrayList<>(earlier);
        all.addAll(run.plan().counters());
        for (Counter counter : all) {
            values.merge(counter.group() + "." + counter.name(), value.applyAsLong(counter), Long::sum);
        }
        return values;
    }

    /** The progress of recent batches, oldest first (Spark keeps {@code spark.sql.streaming.numRecentProgressUpdates}). */
    public List<StreamingQueryProgress> recentProgress() {
        return List.of(current().recentProgress());
    }

    /** Why the pipeline stopped, if its query failed. */
    public Optional<StreamingQueryException> exception() {
        StreamingQuery query = current();
        return query.exception().isDefined() ? Optional.of(query.exception().get()) : Optional.empty();
    }

    /**
     * The failure in one line an operator can act on — {@code query 'orders', batch 7: the disk
     * is full at /data/orders: free space there ...} — with the cause found in Spark's wrapped
     * exceptions and said in words ({@link FailureCause}), and the batch that failed read from
     * the checkpoint's offset and commit logs; the stack trace belongs in the log.
     */
    public Optional<String> failureMessage() {
        return exception().map(this::failureMessage);
    }

    /**
     * The failure as one exception whose message is the line {@code sluice} prints, {@code
     * pipeline 'orders' failed: } and {@link #failureMessage}, secrets masked; Spark's exception is
     * its cause. What {@link #awaitTermination} and {@link #processAllAvailable} throw.
     */
    public Optional<PipelineFailedException> failure() {
        return exception().map(this::failed);
    }

    private PipelineFailedException failed(StreamingQueryException spark) {
        if (spark instanceof PipelineFailedException already) {
            return already;
        }
        return new PipelineFailedException(
                secrets().mask("pipeline '" + pipeline.definition().name() + "' failed: " + failureMessage(spark)),
                spark);
    }

    /** The values of the pipeline's options its connectors declare secret, masked in what it says. */
    private io.sluice.engine.catalog.SecretMask secrets() {
        List<String> values = new java.util.ArrayList<>();
        for (Connector connector : connectors) {
            if (connector instanceof io.sluice.engine.plan.FanOut) {
                continue; // its sinks are in the list, each with its options
            }
            List<Map<String, String>> written = connector.kind() == io.sluice.core.ConnectorKind.SOURCE
                    ? List.of(pipeline.definition().sourceOptions())
                    : pipeline.definition().sinks().stream()
                            .filter(sink -> sink.connector().equals(connector.name()))
                            .map(io.sluice.engine.plan.SinkSpec::options)
                            .toList();
            for (Map<String, String> options : written) {
                options.forEach((key, value) -> {
                    if (value != null && io.sluice.engine.catalog.OptionsValidator.isSecret(connector, key)) {
                        values.add(value);
                    }
                });
            }
        }
        return io.sluice.engine.catalog.SecretMask.of(values);
    }

    private String failureMessage(StreamingQueryException failure) {
        Optional<Duration> silent =
                lastProgress().map(p -> Duration.between(Instant.parse(p.timestamp()), Instant.now()));
        Exception notRestarted = restartFailure;
        if (notRestarted != null) {
            return "query '" + name() + "', batch " + log().current() + ": " + restartFailedFor
                    + ", and starting it again failed: "
                    + (notRestarted instanceof io.sluice.engine.definition.ValidationException refused
                            // the pipeline was valid a moment ago: what changed is what its problems say
                            ? refused.problems().stream()
                                    .map(Object::toString)
                                    .collect(java.util.stream.Collectors.joining("; "))
                            : FailureCause.describe(notRestarted, Optional.empty(), connectors));
        }
        return "query '" + name() + "', batch " + log().current() + ": "
                + FailureCause.describe(failure, silent, connectors);
    }

    /**
     * The batch that was planned but not committed when the pipeline stopped or failed —
     * interrupted, and redone on restart from a kept checkpoint; empty when every batch that
     * started was committed. From Spark's offset and commit logs, not from progress events.
     */
    public OptionalLong interruptedBatch() {
        current();
        return log().inFlight();
    }

    /**
     * How this run began from its checkpoint, in words for the first line an operator reads —
     * {@code resuming after batch 41}, or {@code resuming at batch 42, which was interrupted and is
     * redone (last committed: 41)} — or empty when the checkpoint was new. A driver that a cluster
     * relaunched after a crash says so this way.
     */
    public Optional<String> resumption() {
        CheckpointLog atStart = run.atStart();
        if (atStart.lastPlanned().isEmpty()) {
            return Optional.empty();
        }
        if (atStart.inFlight().isPresent()) {
            return Optional.of("resuming at batch " + atStart.inFlight().getAsLong() + ", which was interrupted and is"
                    + " redone (last committed: "
                    + (atStart.lastCommitted().isPresent()
                            ? "batch " + atStart.lastCommitted().getAsLong()
                            : "none") + ")");
        }
        return Optional.of("resuming after batch " + atStart.lastCommitted().getAsLong());
    }

    /**
     * Whether the checkpoint had a committed batch when this run began: the sink had written
     * before (what reads its place may start without waiting for this run's first batch).
     */
    public boolean committedBefore() {
        return run.atStart().lastCommitted().isPresent();
    }

    /**
     * Why this run is a restart, as a fixed word for metrics: {@code resumed} (its checkpoint had
     * committed batches, and none was in flight), {@code recovered} (a batch was interrupted —
     * a crash, a kill, a stop at once — and is redone); empty for a new checkpoint.
     */
    public Optional<String> restartReason() {
        CheckpointLog atStart = run.atStart();
        if (atStart.lastPlanned().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(atStart.inFlight().isPresent() ? "recovered" : "resumed");
    }

    /** How long starting took, checks before start apart. */
    public Startup startup() {
        return run.startup();
    }

    /** The query's name and checkpoint, for {@link Conflicts}. */
    Conflicts.Query running() {
        return new Conflicts.Query("query '" + name() + "'", name(), Optional.of(checkpoint));
    }

    /** Whether the checkpoint is a temporary one, deleted at stop: nothing is redone on restart, the pipeline starts over. */
    public boolean temporaryCheckpoint() {
        return temporaryCheckpoint.isPresent();
    }

    private CheckpointLog log() {
        CheckpointLog atStop = logAtStop;
        return atStop != null
                ? atStop
                : CheckpointLog.read(run.query().sparkSession().sparkContext().hadoopConfiguration(), checkpoint);
    }

    /**
     * Waits until the pipeline stops or the timeout passes.
     *
     * @return true if it stopped
     * @throws StreamingQueryException if the query failed: a {@link PipelineFailedException}, whose
     *     message is the failure in words and whose cause is Spark's exception
     */
    public boolean awaitTermination(Duration timeout) throws StreamingQueryException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StreamingQuery query = current();
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                boolean stopped = query.awaitTermination(left);
                if (!stopped || current() == query) {
                    return stopped;
                }
            } catch (StreamingQueryException e) {
                if (current() == query) {
                    throw failed(e);
                }
            }
        }
    }

    /** Waits until the pipeline stops; for triggers that end by themselves, such as available-now. */
    public void awaitTermination() throws StreamingQueryException {
        while (true) {
            StreamingQuery query = current();
            try {
                query.awaitTermination();
                if (current() == query) {
                    return;
                }
            } catch (StreamingQueryException e) {
                if (current() == query) {
                    throw failed(e);
                }
            }
        }
    }

    /**
     * Blocks until every record available now has been processed, through a restart the
     * pipeline asks for; for tests and demos.
     */
    public void processAllAvailable() {
        while (true) {
            StreamingQuery query = current();
            try {
                query.processAllAvailable();
                return;
            } catch (Exception e) { // Spark's StreamingQueryException, thrown undeclared
                if (current() == query) {
                    throw PipelineHandle.<RuntimeException>undeclared(
                            e instanceof StreamingQueryException spark ? failed(spark) : e);
                }
            }
        }
    }

    /** Throws {@code e} as it is, as Spark's Scala code throws its checked exceptions. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E undeclared(Exception e) throws E {
        throw (E) e;
    }

    /** The Spark query of the current run, for what this handle does not cover. */
    public StreamingQuery query() {
        return current();
    }

    /** Stops the query and waits for it to stop. A temporary checkpoint is deleted. */
    public void stop() {
        stopping = true;
        IllegalStateException error =
                new IllegalStateException("could not stop pipeline query '" + name() + "' cleanly");
        try {
            synchronized (this) {
                run.query().stop();
            }
        } catch (TimeoutException | RuntimeException e) {
            error.addSuppressed(e);
        }
        try {
            if (temporaryCheckpoint.isPresent() && logAtStop == null) {
                logAtStop = log();
            }
            temporaryCheckpoint.ifPresent(TemporaryCheckpoints::delete);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
        if (error.getSuppressed().length > 0) {
            throw error;
        }
    }

    /**
     * Stops the pipeline between two batches rather than in the middle of one: waits until
     * the query is not processing data, then stops it. A batch in flight is thus finished and
     * committed instead of aborted and redone on restart.
     *
     * <p>Spark has no graceful stop for Structured Streaming, so this watches the query's
     * status and stops in a gap between batches; a batch that starts in the instant between
     * the check and the stop is aborted as by {@link #stop()} — still exactly once for sinks
     * that are, only redone on restart ({@link #interruptedBatch()} says whether it happened).
     *
     * @return true if it stopped between batches, false if {@code timeout} passed first and it stopped at once
     */
    public boolean stopGracefully(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean between = false;
        try {
            while (System.nanoTime() < deadline) {
                if (!processing()) {
                    between = true;
                    break;
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        return between;
    }

    private boolean processing() {
        StreamingQuery query = current();
        StreamingQueryStatus status = query.status();
        return query.isActive() && status.isTriggerActive() && status.isDataAvailable();
    }

    @Override
    public void close() {
        stop();
    }
}
