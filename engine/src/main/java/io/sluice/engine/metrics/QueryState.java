package io.sluice.engine.metrics;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.pipeline.PipelinePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What the endpoint knows of one pipeline query's latest run: whether it runs, when it was
 * last heard of (a batch, or Spark's report that it is idle), its last batch, and how it ended.
 * Written by the listener's thread, read by the HTTP server's.
 */
final class QueryState {
    /** The states {@code /status} reports. */
    enum Phase {
        ACTIVE,
        STOPPED,
        FAILED
    }

    private final PipelinePlan plan;
    private final UUID id;
    private final UUID runId;
    private final String appId;
    private final String sparkVersion;
    private final Duration idleReports;
    private volatile Phase phase = Phase.ACTIVE;
    private volatile Instant lastHeard = Instant.now();
    private volatile Instant lastProgress;
    private volatile long lastBatch = -1;
    private volatile Optional<String> failure = Optional.empty();
    private volatile PipelineHandle handle;

    QueryState(PipelinePlan plan, UUID id, UUID runId, String appId, String sparkVersion, Duration idleReports) {
        this.plan = plan;
        this.id = id;
        this.runId = runId;
        this.appId = appId;
        this.sparkVersion = sparkVersion;
        this.idleReports = idleReports;
    }

    PipelinePlan plan() {
        return plan;
    }

    String pipeline() {
        return plan.definition().name();
    }

    String query() {
        return plan.queryName();
    }

    UUID id() {
        return id;
    }

    UUID runId() {
        return runId;
    }

    String[] infoLabels() {
        return new String[] {
            pipeline(),
            query(),
            plan.definition().sourceName(),
            plan.definition().sinksInWords(),
            plan.definition().trigger().toString(),
            id.toString(),
            runId.toString(),
            appId,
            sparkVersion
        };
    }

    void handle(PipelineHandle handle) {
        this.handle = handle;
    }

    Optional<PipelineHandle> handle() {
        return Optional.ofNullable(handle);
    }

    void progressed(long batch, Instant at) {
        lastBatch = batch;
        lastProgress = at;
        heard(at);
    }

    void heard(Instant at) {
        lastHeard = at;
    }

    void terminated(Optional<String> failure) {
        this.failure = failure;
        this.phase = failure.isPresent() ? Phase.FAILED : Phase.STOPPED;
    }

    /**
     * The state now: Spark tells listeners that a query ended a moment after it did, so a query
     * whose handle says it stopped counts as stopped (or failed, with the handle's words) at once.
     */
    Phase phase() {
        PipelineHandle current = handle;
        if (phase == Phase.ACTIVE && current != null && !current.isActive()) {
            terminated(current.failureMessage().map(plan::mask));
        }
        return phase;
    }

    Instant lastHeard() {
        return lastHeard;
    }

    Optional<Instant> lastProgress() {
        return Optional.ofNullable(lastProgress);
    }

    OptionalLong lastBatch() {
        return lastBatch < 0 ? OptionalLong.empty() : OptionalLong.of(lastBatch);
    }

    Optional<String> failure() {
        phase();
        return failure;
    }

    /**
     * How long the query may go unheard of and still count as moving: twice its trigger interval
     * — but never less than two of Spark's reports that it is idle ({@code
     * spark.sql.streaming.noDataProgressEventInterval}), the only sign of life of a query with
     * nothing to read.
     */
    Duration allowedSilence() {
        StreamTrigger trigger = plan.definition().trigger();
        Duration twice = trigger.interval().multipliedBy(2);
        Duration floor = idleReports.multipliedBy(2);
        return twice.compareTo(floor) > 0 ? twice : floor;
    }
}
