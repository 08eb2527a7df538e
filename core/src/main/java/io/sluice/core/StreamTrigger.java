package io.sluice.core;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.OptionType;
import java.time.Duration;
import org.apache.spark.sql.streaming.Trigger;

/**
 * When a pipeline runs its micro-batches: on a fixed interval, or over all data available at
 * start and then stop (for backfills and tests). An immutable value that maps to Spark's
 * {@link Trigger}; ours exists so that a pipeline definition is plain data.
 */
public final class StreamTrigger {
    /** Kinds of trigger, as spelled in pipeline definitions. */
    public enum Kind {
        PROCESSING_TIME,
        AVAILABLE_NOW,
        ONCE,
        REAL_TIME
    }

    private final Kind kind;
    private final Duration interval;

    private StreamTrigger(Kind kind, Duration interval) {
        this.kind = kind;
        this.interval = interval;
    }

    /** A micro-batch every {@code interval}; {@link Duration#ZERO} runs batches back to back (Spark's default). */
    public static StreamTrigger processingTime(Duration interval) {
        requireNonNull(interval, "interval is null");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval is negative: " + interval);
        }
        return new StreamTrigger(Kind.PROCESSING_TIME, interval);
    }

    /** Processes everything available at start, in as many batches as the source's limits need, then stops. */
    public static StreamTrigger availableNow() {
        return new StreamTrigger(Kind.AVAILABLE_NOW, Duration.ZERO);
    }

    /**
     * One batch of everything available, then stop. Spark deprecates it in favour of
     * {@link #availableNow()}, which honours rate limits; kept because users know it.
     */
    public static StreamTrigger once() {
        return new StreamTrigger(Kind.ONCE, Duration.ZERO);
    }

    /**
     * Spark's real-time mode (4.1+): records flow through long-running tasks as they arrive,
     * with millisecond latency instead of a micro-batch's; the query checkpoints every
     * {@code checkpointInterval}. Spark allows it for Kafka sources, Kafka, console and memory
     * sinks, stateless queries in UPDATE mode — the pipeline checks each rule before start.
     */
    public static StreamTrigger realTime(Duration checkpointInterval) {
        requireNonNull(checkpointInterval, "checkpointInterval is null");
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive: " + checkpointInterval);
        }
        return new StreamTrigger(Kind.REAL_TIME, checkpointInterval);
    }

    public boolean isRealTime() {
        return kind == Kind.REAL_TIME;
    }

    public Kind kind() {
        return kind;
    }

    public Duration interval() {
        return interval;
    }

    @SuppressWarnings("deprecation")
    public Trigger toSpark() {
        return switch (kind) {
            case PROCESSING_TIME -> Trigger.ProcessingTime(interval.toMillis());
            case AVAILABLE_NOW -> Trigger.AvailableNow();
            case ONCE -> Trigger.Once();
            case REAL_TIME -> Trigger.RealTime(interval.toMillis());
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamTrigger that && kind == that.kind && interval.equals(that.interval);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + interval.hashCode();
    }

    @Override
    public String toString() {
        if (kind == Kind.PROCESSING_TIME) {
            return interval.isZero() ? "batches back to back" : "every " + OptionType.formatDuration(interval);
        }
        if (kind == Kind.REAL_TIME) {
            return "real time, checkpoint every " + OptionType.formatDuration(interval);
        }
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
