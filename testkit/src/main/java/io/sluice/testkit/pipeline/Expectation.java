package io.sluice.testkit.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch (or a whole test run) must have done; each part that is empty is not checked.
 *
 * @param rows the rows the sink received
 * @param deadLettered the records the source dead-lettered, with their reasons (its {@code badRecords} is dead_letter)
 * @param skipped the records the source skipped, with their reasons (its {@code badRecords} is skip)
 * @param quarantined the rows the pipeline's rules quarantined into the dead letter, with the rules each broke
 * @param watermark the query's event-time watermark after the batch, an instant ({@code 2026-11-25T10:00:00Z})
 * @param counters the pipeline's counters for the batch ({@code kafka.decode.skipped: 1})
 * @param failure the batch fails, with a message in words that contains this text
 * @param sinks the rows each sink of a pipeline with several received, by the sink's name (its
 *     {@code where} and {@code columns} applied to the pipeline's output, as the run writes it)
 */
public record Expectation(
        Optional<ExpectedRows> rows,
        Optional<List<Rejection>> deadLettered,
        Optional<List<Rejection>> skipped,
        Optional<List<Quarantined>> quarantined,
        Optional<String> watermark,
        Map<String, Long> counters,
        Optional<String> failure,
        Map<String, ExpectedRows> sinks) {
    public Expectation {
        requireNonNull(rows, "rows is null");
        deadLettered = requireNonNull(deadLettered, "deadLettered is null").map(List::copyOf);
        skipped = requireNonNull(skipped, "skipped is null").map(List::copyOf);
        quarantined = requireNonNull(quarantined, "quarantined is null").map(List::copyOf);
        requireNonNull(watermark, "watermark is null");
        counters = Map.copyOf(requireNonNull(counters, "counters is null"));
        requireNonNull(failure, "failure is null");
        sinks = java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(requireNonNull(sinks, "sinks is null")));
    }

    /** Nothing to check. */
    public static Expectation none() {
        return new Expectation(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Map.of());
    }

    public Expectation withRows(ExpectedRows expected) {
        return new Expectation(
                Optional.of(expected), deadLettered, skipped, quarantined, watermark, counters, failure, sinks);
    }

    public Expectation withDeadLettered(List<Rejection> expected) {
        return new Expectation(rows, Optional.of(expected), skipped, quarantined, watermark, counters, failure, sinks);
    }

    public Expectation withSkipped(List<Rejection> expected) {
        return new Expectation(
                rows, deadLettered, Optional.of(expected), quarantined, watermark, counters, failure, sinks);
    }

    public Expectation withQuarantined(List<Quarantined> expected) {
        return new Expectation(rows, deadLettered, skipped, Optional.of(expected), watermark, counters, failure, sinks);
    }

    public Expectation withWatermark(String instant) {
        return new Expectation(
                rows, deadLettered, skipped, quarantined, Optional.of(instant), counters, failure, sinks);
    }

    public Expectation withCounters(Map<String, Long> expected) {
        return new Expectation(rows, deadLettered, skipped, quarantined, watermark, expected, failure, sinks);
    }

    public Expectation withFailure(String text) {
        return new Expectation(rows, deadLettered, skipped, quarantined, watermark, counters, Optional.of(text), sinks);
    }

    /** The rows sink {@code sink} (of a pipeline with several) must have received, in any order. */
    public Expectation withSinkRows(String sink, ExpectedRows expected) {
        Map<String, ExpectedRows> more = new java.util.LinkedHashMap<>(sinks);
        more.put(requireNonNull(sink, "sink is null"), requireNonNull(expected, "expected is null"));
        return new Expectation(rows, deadLettered, skipped, quarantined, watermark, counters, failure, more);
    }

    /**
     * Rows to expect. A value is compared with what Spark gives by its text as {@code sluice
     * preview} shows it, numbers by value ({@code 2} equals {@code 2.0}), a timestamp as the
     * instant it is when written with its zone ({@code 2026-11-25T10:00:00Z}, the same in every
     * time zone) or as preview shows it in this JVM's zone ({@code 2026-11-25 10:00:00}), structs
     * as maps, arrays as lists, null as null.
     *
     * @param rows each row as column → value
     * @param ordered whether the order counts (it does not by default: Spark gives no order without ORDER BY)
     * @param columns the columns compared in every row (a column a row leaves out must be null);
     *     empty to compare each row on the columns it names
     */
    public record ExpectedRows(List<Map<String, Object>> rows, boolean ordered, List<String> columns) {
        public ExpectedRows {
            requireNonNull(rows, "rows is null");
            rows = List.copyOf(rows.stream()
                    .map(row -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row)))
                    .toList());
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }

        /** Rows in any order, comparing the columns they name. */
        public static ExpectedRows unordered(List<Map<String, Object>> rows) {
            return new ExpectedRows(rows, false, List.of());
        }
    }

    /**
     * A record the source set aside: where it is (optional: {@code orders-0 offset 3}) and why,
     * as the dead letter says it, or a part of that text.
     */
    public record Rejection(Optional<String> record, String reason) {
        public Rejection {
            requireNonNull(record, "record is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * A row the pipeline's rules set aside: every rule it broke (no more, no fewer), and the row
     * compared on the columns it names as {@link ExpectedRows} compares; where it came from,
     * when the test says ({@code orders-0 offset 3}).
     */
    public record Quarantined(java.util.Set<String> rules, Map<String, Object> row, Optional<String> record) {
        public Quarantined {
            rules = java.util.Collections.unmodifiableSet(
                    new java.util.TreeSet<>(requireNonNull(rules, "rules is null")));
            row = java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(requireNonNull(row, "row is null")));
            requireNonNull(record, "record is null");
        }
    }
}
