package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.MaskedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One place a pipeline writes, as plain data: its name (what messages, the progress line and
 * its record of written batches call it), the connector with its raw options, and which rows
 * and columns it gets — {@code where} a SQL condition on the pipeline's output, {@code columns}
 * each a column or an expression with {@code AS}. A pipeline with one sink and neither writes
 * its output as it is; with several (or either), each is written from the same read.
 */
public record SinkSpec(
        String name, String connector, Map<String, String> options, Optional<String> where, List<String> columns) {

    public SinkSpec {
        requireNonNull(name, "name is null");
        requireNonNull(connector, "connector is null");
        options = MaskedMap.of(requireNonNull(options, "options is null"), key -> true);
        requireNonNull(where, "where is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** A pipeline's only sink, named after its connector, with every row and column. */
    public static SinkSpec of(String connector, Map<String, String> options) {
        return new SinkSpec(connector, connector, options, Optional.empty(), List.of());
    }

    /** A sink of several, by its name, with every row and column of the pipeline's output. */
    public static SinkSpec named(String name, String connector, Map<String, String> options) {
        return new SinkSpec(name, connector, options, Optional.empty(), List.of());
    }

    /** The same sink getting only the rows for which {@code condition} (SQL) holds. */
    public SinkSpec where(String condition) {
        return new SinkSpec(
                name, connector, options, Optional.of(requireNonNull(condition, "condition is null")), columns);
    }

    /** The same sink getting only these columns, each a column or a SQL expression ({@code amount * 2 AS doubled}). */
    public SinkSpec columns(String... columns) {
        return new SinkSpec(name, connector, options, where, List.of(columns));
    }

    /** Whether it gets less than the pipeline's output: some rows, or some columns. */
    public boolean routes() {
        return where.isPresent() || !columns.isEmpty();
    }

    /** The subject of messages about it: {@code sink 'alerts' (kafka)}, or {@code sink 'kafka'} when named after its connector. */
    public String subject() {
        return name.equals(connector) ? "sink '" + name + "'" : "sink '" + name + "' (" + connector + ")";
    }

    /** Without option values, as {@link PipelineDefinition#toString()} prints it. */
    @Override
    public String toString() {
        return subject() + " " + new java.util.TreeSet<>(options.keySet())
                + where.map(w -> " where " + w).orElse("") + (columns.isEmpty() ? "" : " columns " + columns);
    }
}
