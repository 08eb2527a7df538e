package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.MaskedMap;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A static dataset a pipeline's SQL can join its stream with — customers, products, rates —
 * visible by {@code name} in every transform, as the stream is as {@code input}. It is read
 * with Spark's batch reader ({@code format} and {@code options} as {@code spark.read} takes
 * them: {@code delta}, {@code parquet}, {@code csv}, {@code json}, {@code orc}, {@code jdbc} ...)
 * and kept as fresh as {@code refresh} says.
 *
 * <p>Plain data, like the rest of a definition: checked by {@code ReferenceTables.check}.
 */
public record ReferenceTable(String name, String format, Map<String, String> options, Refresh refresh) {
    public ReferenceTable {
        requireNonNull(name, "name is null");
        requireNonNull(format, "format is null");
        options = MaskedMap.of(requireNonNull(options, "options is null"), key -> true);
        requireNonNull(refresh, "refresh is null");
    }

    /** A table read as its format's default freshness says ({@link Refresh#byDefault}). */
    public ReferenceTable(String name, String format, Map<String, String> options) {
        this(name, format, options, Refresh.byDefault(format));
    }

    /**
     * How fresh the rows a batch joins are. Spark re-runs the static side of a stream-static
     * join in every batch, but what that re-run sees depends on the format: Delta looks at its
     * log (the latest version), a database is queried again, and files are those listed when
     * the query started. So:
     *
     * <ul>
     *   <li>{@code every batch}: not cached, read by every batch — Delta's latest version, a
     *       database's rows now; refused for files, whose listing would not change;</li>
     *   <li>{@code once}: read and cached when the pipeline starts; the same rows for the run;</li>
     *   <li>a duration ({@code 10 minutes}): cached, and read again (files listed again) when
     *       that long has passed — a batch joins rows at most that old.</li>
     * </ul>
     *
     * @param every the interval of a timed refresh; empty for the two others
     */
    public record Refresh(Kind kind, Optional<Duration> every) {
        public enum Kind {
            EVERY_BATCH("every batch"),
            ONCE("once"),
            EVERY("a duration");

            private final String key;

            Kind(String key) {
                this.key = key;
            }

            public String key() {
                return key;
            }
        }

        public Refresh {
            requireNonNull(kind, "kind is null");
            requireNonNull(every, "every is null");
            if ((kind == Kind.EVERY) != every.isPresent()) {
                throw new IllegalArgumentException("a duration goes with Kind.EVERY, and only with it");
            }
        }

        public static Refresh everyBatch() {
            return new Refresh(Kind.EVERY_BATCH, Optional.empty());
        }

        public static Refresh once() {
            return new Refresh(Kind.ONCE, Optional.empty());
        }

        public static Refresh every(Duration interval) {
            requireNonNull(interval, "interval is null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("a refresh interval must be positive: " + interval);
            }
            return new Refresh(Kind.EVERY, Optional.of(interval));
        }

        /** Delta and databases are read by every batch (what Spark does by itself); files once. */
        public static Refresh byDefault(String format) {
            return ReferenceTables.isFiles(format) ? once() : everyBatch();
        }

        /** Whether the rows are cached (read once, or again on a timer). */
        public boolean cached() {
            return kind != Kind.EVERY_BATCH;
        }

        @Override
        public String toString() {
            return every.map(io.sluice.core.option.OptionType.DURATION::format).orElse(kind.key());
        }
    }
}
