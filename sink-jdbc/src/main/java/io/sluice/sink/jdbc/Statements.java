package io.sluice.sink.jdbc;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of one sink's writes, built once on the driver from the table's real names: the
 * insert or upsert of a row and the delete of a key, their parameters in a fixed order.
 *
 * @param table the table's qualified, quoted name
 * @param bindings the written columns, in parameter order
 * @param keys the table's names of the upsert's key columns (empty for an append)
 * @param sequenceColumn the table's name of the {@code sequenceBy} column; null without one
 * @param quote the database's identifier quote
 */
record Statements(String table, List<ColumnBinding> bindings, List<String> keys, String sequenceColumn, String quote)
        implements Serializable {

    Optional<String> sequence() {
        return Optional.ofNullable(sequenceColumn);
    }

    String quote(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    String keyList() {
        return keys.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    List<String> nonKeyColumns() {
        return bindings.stream()
                .map(ColumnBinding::column)
                .filter(c -> !keys.contains(c))
                .toList();
    }

    /** {@code INSERT INTO t (a, b) VALUES (?, ?)}. */
    String insert() {
        return "INSERT INTO " + table + " ("
                + bindings.stream().map(b -> quote(b.column())).collect(Collectors.joining(", "))
                + ") VALUES ("
                + bindings.stream().map(ColumnBinding::placeholder).collect(Collectors.joining(", "))
                + ")";
    }

    /**
     * {@code DELETE FROM t WHERE k = ? [AND (seq IS NULL OR seq <= ?)]}: parameters are the key
     * columns in {@link #keyBindings()} order, then the sequence's.
     */
    String delete() {
        return "DELETE FROM " + table + " WHERE "
                + keyBindings().stream()
                        .map(b -> quote(b.column()) + " = " + b.placeholder())
                        .collect(Collectors.joining(" AND "))
                + sequenceBinding()
                        .map(b -> " AND (" + quote(b.column()) + " IS NULL OR " + quote(b.column()) + " <= "
                                + b.placeholder() + ")")
                        .orElse("");
    }

    /** The bindings of the key columns, in {@link #keys} order. */
    List<ColumnBinding> keyBindings() {
        return keys.stream()
                .map(k -> bindings.stream()
                        .filter(b -> b.column().equals(k))
                        .findFirst()
                        .orElseThrow())
                .toList();
    }

    Optional<ColumnBinding> sequenceBinding() {
        return sequence()
                .flatMap(
                        s -> bindings.stream().filter(b -> b.column().equals(s)).findFirst());
    }
}
