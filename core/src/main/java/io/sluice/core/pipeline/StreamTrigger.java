package io.sluice.core.pipeline;

import io.sluice.core.option.OptionType;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.apache.spark.sql.streaming.Trigger;

/**
 * When a pipeline runs its micro-batches: on a fixed interval, or over all data available at
 * start and then stop (for backfills and tests). An immutable value that maps to Spark's
 * {@link Trigger}; ours exists so that a pipeline definition is plain data.
 */
public final class StreamTrigger {
    /** Kinds of trigger, as spelled in pipeline definitions. */
    public enum Kind { PROCESSING_TIME, AVAILABLE_NOW, ONCE }

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
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
