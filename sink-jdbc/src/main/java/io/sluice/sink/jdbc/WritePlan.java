package io.sluice.sink.jdbc;

import static io.sluice.sink.jdbc.JdbcSinkOptions.*;

import io.sluice.core.option.ConnectorOptions;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a task needs to write its partition, decided on the driver against the table as
 * the database describes it: the connection, the statements in the database's names, how each
 * column is bound, where deletes are told apart, the ledger. Built by {@link #inspect}, which
 * the check before start and the first batch share, so what was checked is what runs.
 *
 * @param target the table's name in the ledger ({@code public.orders})
 * @param deleteStatement the delete of a key; null without a delete column
 * @param deleteIndex the position of the delete column in the rows; -1 without one
 * @param messageKey the columns that name a row in a message (the upsert's keys, else the table's primary key)
 * @param zone the session's time zone, in which a timestamp becomes a column's local date-time
 */
record WritePlan(
        Database database,
        String table,
        String target,
        String write,
        String deleteStatement,
        Statements statements,
        int deleteIndex,
        List<ColumnBinding> messageKey,
        Dialect dialect,
        String ledger,
        int batchSize,
        String zone)
        implements Serializable {

    /** Whether each partition writes only the last row of each key (its rows come grouped by key, in sequence order). */
    boolean lastPerKey() {
        return !statements.keys().isEmpty() && statements.sequence().isPresent();
    }

    Optional<String> delete() {
        return Optional.ofNullable(deleteStatement);
    }

    /** The problems of writing {@code schema}'s rows with {@code options}, or the plan when there are none. */
    record Inspection(List<String> problems, Optional<WritePlan> plan) {}

    static Inspection inspect(
            Connection db, Database database, ConnectorOptions options, StructType schema, String zone)
            throws SQLException {
        String dbtable = options.get(DBTABLE);
        Optional<TableShape> found = TableShape.read(db, dbtable);
        if (found.isEmpty()) {
            List<String> tables = TableShape.tablesNear(db, dbtable);
            String near = io.sluice.core.option.Suggestions.didYouMean(dbtable.replaceFirst(".*\\.", ""), tables);
            return new Inspection(
                    List.of("option 'dbtable' names table '" + dbtable + "', which " + database.who()
                            + " does not have (tables: " + (tables.isEmpty() ? "none" : String.join(", ", tables))
                            + ")" + near
                            + (near.isEmpty() ? ": create it first — the sink writes an existing table" : "")),
                    Optional.empty());
        }
        TableShape table = found.get();
        Optional<String> deleteColumn = options.find(DELETE_COLUMN);
        List<StructField> written = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (deleteColumn.isEmpty() || !fields[i].name().equals(deleteColumn.get())) {
                written.add(fields[i]);
                indexes.add(i);
            }
        }
        ColumnFit.Result fit = ColumnFit.check(
                new StructType(written.toArray(StructField[]::new)),
                indexes.stream().mapToInt(Integer::intValue).toArray(),
                table);
        List<String> problems = new ArrayList<>(fit.problems());
        boolean upsert = mode(options).equals(UPSERT);
        List<String> keys = options.find(MERGE_KEYS).orElse(List.of()).stream()
                .map(k -> table.column(k).map(TableShape.DbColumn::name).orElse(k))
                .toList();
        if (upsert && problems.isEmpty()) {
            keyProblem(table, keys).ifPresent(problems::add);
        }
        Ledger.problem(db, options.get(LEDGER_TABLE)).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            return new Inspection(List.copyOf(problems), Optional.empty());
        }
        Optional<String> sequence = options.find(SEQUENCE_BY)
                .map(s -> table.column(s).map(TableShape.DbColumn::name).orElse(s));
        Statements statements =
                new Statements(table.qualified(), fit.bindings(), keys, sequence.orElse(null), table.quote());
        Dialect dialect = JdbcSinkOptions.dialect(options);
        List<String> keyColumns = upsert ? keys : table.primaryKey();
        List<ColumnBinding> messageKey = fit.bindings().stream()
                .filter(b -> keyColumns.contains(b.column()))
                .toList();
        return new Inspection(
                List.of(),
                Optional.of(new WritePlan(
                        database,
                        table.shown(),
                        table.target(),
                        upsert ? dialect.upsert(statements) : statements.insert(),
                        deleteColumn.map(d -> statements.delete()).orElse(null),
                        statements,
                        deleteColumn.map(schema::fieldIndex).orElse(-1),
                        messageKey,
                        dialect,
                        options.get(LEDGER_TABLE),
                        options.get(BATCH_SIZE),
                        zone)));
    }

    /** An upsert finds a row by a unique key: {@code mergeKeys} must be the primary key or a unique index, as a set. */
    private static Optional<String> keyProblem(TableShape table, List<String> keys) {
        List<List<String>> unique = new ArrayList<>();
        if (!table.primaryKey().isEmpty()) {
            unique.add(table.primaryKey());
        }
        unique.addAll(table.uniqueKeys());
        if (unique.stream().anyMatch(k -> new HashSet<>(k).equals(new HashSet<>(keys)))) {
            return Optional.empty();
        }
        String primary = table.primaryKey().isEmpty() ? "none" : "(" + String.join(", ", table.primaryKey()) + ")";
        String indexes = table.uniqueKeys().stream()
                .filter(k -> !k.equals(table.primaryKey()))
                .map(k -> "(" + String.join(", ", k) + ")")
                .collect(Collectors.joining(", "));
        return Optional.of("option 'mergeKeys' [" + String.join(", ", keys) + "] is neither the primary key nor a"
                + " unique index of table '" + table.shown() + "' (primary key: " + primary + "; unique indexes: "
                + (indexes.isEmpty() ? "none" : indexes) + "), and an upsert finds a row by one: set mergeKeys to one"
                + " of them, or add it (ALTER TABLE " + table.shown() + " ADD UNIQUE (" + String.join(", ", keys)
                + "))");
    }
}
