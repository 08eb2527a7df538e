package io.sluice.core.engine;

import static java.util.Objects.requireNonNull;

import io.sluice.spi.Connector;
import io.sluice.spi.Counter;
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
    private final StreamingQuery query;
    private final Optional<Path> temporaryCheckpoint;
    private final String checkpoint;
    private final List<Connector> connectors;
    private final List<Counter> counters;
    private final CheckpointLog atStart;
    private final Startup startup;

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

    PipelineHandle(
            StreamingQuery query,
            Optional<Path> temporaryCheckpoint,
            String checkpoint,
            List<Connector> connectors,
            List<Counter> counters,
            CheckpointLog atStart,
            Startup startup) {
        this.query = requireNonNull(query, "query is null");
        this.temporaryCheckpoint = requireNonNull(temporaryCheckpoint, "temporaryCheckpoint is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.connectors = List.copyOf(requireNonNull(connectors, "connectors is null"));
        this.counters = List.copyOf(requireNonNull(counters, "counters is null"));
        this.atStart = requireNonNull(atStart, "atStart is null");
        this.startup = requireNonNull(startup, "startup is null");
    }

    public UUID id() {
        return query.id();
    }

    public String name() {
        return query.name();
    }

    public StreamingQueryStatus status() {
        return query.status();
    }

    /** Whether the pipeline's query still runs. */
    public boolean isActive() {
        return query.isActive();
    }

    /** The last completed batch's progress; empty before the first. */
    public Optional<StreamingQueryProgress> lastProgress() {
        return Optional.ofNullable(query.lastProgress());
    }

    /**
     * What the pipeline's counters counted in one batch (records skipped, dead-lettered), as
     * {@code group.name} → count, sorted; empty when its connectors count nothing.
     */
    public Map<String, Long> counts(long batchId) {
        return each(counter -> counter.count(batchId));
    }

    /** The counters' totals over every batch of this run, as {@code group.name} → count, sorted. */
    public Map<String, Long> countTotals() {
        return each(Counter::total);
    }

    private Map<String, Long> each(ToLongFunction<Counter> value) {
        Map<String, Long> values = new TreeMap<>();
        for (Counter counter : counters) {
            values.put(counter.group() + "." + counter.name(), value.applyAsLong(counter));
        }
        return values;
    }

    /** The progress of recent batches, oldest first (Spark keeps {@code spark.sql.streaming.numRecentProgressUpdates}). */
    public List<StreamingQueryProgress> recentProgress() {
        return List.of(query.recentProgress());
    }

    /** Why the pipeline stopped, if its query failed. */
    public Optional<StreamingQueryException> exception() {
        return query.exception().isDefined() ? Optional.of(query.exception().get()) : Optional.empty();
    }

    /**
     * The failure in one line an operator can act on — {@code query 'orders', batch 7: the disk
     * is full at /data/orders: free space there ...} — with the cause found in Spark's wrapped
     * exceptions and said in words ({@link FailureCause}), and the batch that failed read from
     * the checkpoint's offset and commit logs; the stack trace belongs in the log.
     */
    public Optional<String> failureMessage() {
        return exception().map(failure -> {
            Optional<Duration> silent =
                    lastProgress().map(p -> Duration.between(Instant.parse(p.timestamp()), Instant.now()));
            return "query '" + name() + "', batch " + log().current() + ": "
                    + FailureCause.describe(failure, silent, connectors);
        });
    }

    /**
     * The batch that was planned but not committed when the pipeline stopped or failed —
     * interrupted, and redone on restart from a kept checkpoint; empty when every batch that
     * started was committed. From Spark's offset and commit logs, not from progress events.
     */
    public OptionalLong interruptedBatch() {
        return log().inFlight();
    }

    /**
     * How this run began from its checkpoint, in words for the first line an operator reads —
     * {@code resuming after batch 41}, or {@code resuming at batch 42, which was interrupted and is
     * redone (last committed: 41)} — or empty when the checkpoint was new. A driver that a cluster
     * relaunched after a crash says so this way.
     */
    public Optional<String> resumption() {
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
     * Why this run is a restart, as a fixed word for metrics: {@code resumed} (its checkpoint had
     * committed batches, and none was in flight), {@code recovered} (a batch was interrupted —
     * a crash, a kill, a stop at once — and is redone); empty for a new checkpoint.
     */
    public Optional<String> restartReason() {
        if (atStart.lastPlanned().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(atStart.inFlight().isPresent() ? "recovered" : "resumed");
    }

    /** How long starting took, checks before start apart. */
    public Startup startup() {
        return startup;
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
                : CheckpointLog.read(query.sparkSession().sparkContext().hadoopConfiguration(), checkpoint);
    }

    /**
     * Waits until the pipeline stops or the timeout passes.
     *
     * @return true if it stopped
     * @throws StreamingQueryException if the query failed
     */
    public boolean awaitTermination(Duration timeout) throws StreamingQueryException {
        return query.awaitTermination(Math.max(1, timeout.toMillis()));
    }

    /** Waits until the pipeline stops; for triggers that end by themselves, such as available-now. */
    public void awaitTermination() throws StreamingQueryException {
        query.awaitTermination();
    }

    /** Blocks until every record available now has been processed; for tests and demos. */
    public void processAllAvailable() {
        query.processAllAvailable();
    }

    /** The Spark query, for what this handle does not cover. */
    public StreamingQuery query() {
        return query;
    }

    /** Stops the query and waits for it to stop. A temporary checkpoint is deleted. */
    public void stop() {
        IllegalStateException error =
                new IllegalStateException("could not stop pipeline query '" + name() + "' cleanly");
        try {
            query.stop();
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
        StreamingQueryStatus status = query.status();
        return query.isActive() && status.isTriggerActive() && status.isDataAvailable();
    }

    @Override
    public void close() {
        stop();
    }
}
