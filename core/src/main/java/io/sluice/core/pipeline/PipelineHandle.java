package io.sluice.core.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import io.sluice.core.Counter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.StreamingQueryStatus;

/**
 * A running pipeline: its main query and any side queries (such as a dead letter), watched
 * and stopped together. Stopping a pipeline must never leave a dead-letter query running,
 * which is why callers get this instead of Spark's {@link StreamingQuery}.
 */
public final class PipelineHandle implements AutoCloseable {
    private final StreamingQuery query;
    private final List<StreamingQuery> sideQueries;
    private final Optional<Path> temporaryCheckpoint;
    private final Optional<OneFate> oneFate;
    private final String checkpoint;
    /** Spark's logs as they were when a temporary checkpoint was deleted at stop; null until then. */
    private volatile CheckpointLog logAtStop;

    PipelineHandle(StreamingQuery query, List<StreamingQuery> sideQueries, Optional<Path> temporaryCheckpoint, String checkpoint) {
        this.query = requireNonNull(query, "query is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.sideQueries = List.copyOf(requireNonNull(sideQueries, "sideQueries is null"));
        this.temporaryCheckpoint = requireNonNull(temporaryCheckpoint, "temporaryCheckpoint is null");
        this.oneFate = sideQueries.isEmpty() ? Optional.empty() : Optional.of(new OneFate(all()));
        oneFate.ifPresent(OneFate::watch);
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

    /**
     * Whether any of the pipeline's queries still runs: with an available-now trigger the main
     * query can end before a side query (the dead letter) commits its last batch.
     */
    public boolean isActive() {
        return all().stream().anyMatch(StreamingQuery::isActive);
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
        return QueryCounters.each(query.id(), counter -> counter.count(batchId));
    }

    /** The counters' totals over every batch of this run, as {@code group.name} → count, sorted. */
    public Map<String, Long> countTotals() {
        return QueryCounters.each(query.id(), Counter::total);
    }

    /** The progress of recent batches, oldest first (Spark keeps {@code spark.sql.streaming.numRecentProgressUpdates}). */
    public List<StreamingQueryProgress> recentProgress() {
        return List.of(query.recentProgress());
    }

    /**
     * Why the pipeline stopped, if one of its queries failed: the main query's error, or a side
     * query's (when a side query fails, the main one is stopped, without an error of its own).
     */
    public Optional<StreamingQueryException> exception() {
        return failedQuery().map(q -> q.exception().get());
    }

    /**
     * The failure in one line an operator can act on — {@code query 'orders', batch 7: the disk
     * is full at /data/orders: free space there ...} — with the cause found in Spark's wrapped
     * exceptions and said in words ({@link FailureCause}); the stack trace belongs in the log.
     */
    public Optional<String> failureMessage() {
        return failedQuery().map(failed -> {
            StreamingQueryProgress last = failed.lastProgress();
            String batch = failed == query ? "batch " + log().current() : "batch " + (last == null ? 0 : last.batchId() + 1);
            Optional<Duration> silent = Optional.ofNullable(last)
                    .map(p -> Duration.between(java.time.Instant.parse(p.timestamp()), java.time.Instant.now()));
            return "query '" + failed.name() + "', " + batch + ": " + FailureCause.describe(failed.exception().get(), silent);
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

    /** Whether the checkpoint is a temporary one, deleted at stop: nothing is redone on restart, the pipeline starts over. */
    public boolean temporaryCheckpoint() {
        return temporaryCheckpoint.isPresent();
    }

    private CheckpointLog log() {
        CheckpointLog atStop = logAtStop;
        return atStop != null ? atStop : CheckpointLog.read(query.sparkSession().sparkContext().hadoopConfiguration(), checkpoint);
    }

    /** The query that failed, main or side, if one did. */
    public Optional<StreamingQuery> failedQuery() {
        return all().stream().filter(q -> q.exception().isDefined()).findFirst();
    }

    /**
     * Waits until the pipeline stops or the timeout passes.
     *
     * @return true if it stopped
     * @throws StreamingQueryException if a query failed
     */
    public boolean awaitTermination(Duration timeout) throws StreamingQueryException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!query.awaitTermination(Math.max(1, timeout.toMillis()))) {
            return false;
        }
        for (StreamingQuery side : sideQueries) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!side.awaitTermination(left)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the pipeline stops; for triggers that end by themselves, such as available-now. */
    public void awaitTermination() throws StreamingQueryException {
        query.awaitTermination();
        for (StreamingQuery side : sideQueries) {
            side.awaitTermination();
        }
    }

    /** Blocks until every record available now has been processed by every query; for tests and demos. */
    public void processAllAvailable() {
        for (StreamingQuery side : sideQueries) {
            side.processAllAvailable();
        }
        query.processAllAvailable();
    }

    /** The main Spark query, for what this handle does not cover. */
    public StreamingQuery query() {
        return query;
    }

    /** The side queries, such as the dead letter, in the order the source declared them. */
    public List<StreamingQuery> sideQueries() {
        return sideQueries;
    }

    /** Stops the main query, then the side queries; waits for them to stop. A temporary checkpoint is deleted. */
    public void stop() {
        oneFate.ifPresent(OneFate::unwatch);
        List<Exception> failures = new ArrayList<>();
        for (StreamingQuery q : all()) {
            try {
                q.stop();
            } catch (TimeoutException | RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            if (temporaryCheckpoint.isPresent() && logAtStop == null) {
                logAtStop = log();
            }
            temporaryCheckpoint.ifPresent(TemporaryCheckpoints::delete);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException error = new IllegalStateException("could not stop pipeline query '" + name() + "' cleanly");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * Stops the pipeline between two batches rather than in the middle of one: waits until
     * none of its queries is processing data, then stops them all. A batch in flight is thus
     * finished and committed instead of aborted and redone on restart.
     *
     * <p>Spark has no graceful stop for Structured Streaming, so this watches each query's
     * status and stops in a gap between batches; a batch that starts in the instant between
     * the check and the stop is aborted as by {@link #stop()} — still exactly once for sinks
     * that are, only redone on restart.
     *
     * @return true if it stopped between batches, false if {@code timeout} passed first and it stopped at once
     */
    public boolean stopGracefully(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean between = false;
        try {
            while (System.nanoTime() < deadline) {
                if (all().stream().noneMatch(PipelineHandle::processing)) {
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

    private static boolean processing(StreamingQuery query) {
        StreamingQueryStatus status = query.status();
        return query.isActive() && status.isTriggerActive() && status.isDataAvailable();
    }

    @Override
    public void close() {
        stop();
    }

    private List<StreamingQuery> all() {
        List<StreamingQuery> all = new ArrayList<>(Arrays.asList(query));
        all.addAll(sideQueries);
        return all;
    }

    /** Stops a query while another error is being reported; a failure to stop is attached to that error. */
    static void stopAfterFailure(StreamingQuery query, Throwable failure) {
        try {
            query.stop();
        } catch (TimeoutException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
