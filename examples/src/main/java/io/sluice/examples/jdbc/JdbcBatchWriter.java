package io.sluice.examples.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one micro-batch in one transaction: the upserted rows and a ledger entry
 * ({@code sluice_batches}: query, batch id). A batch Spark replays after a crash finds its
 * entry and is skipped, so it lands once — even for a table whose rows a replay would change.
 */
final class JdbcBatchWriter implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String LEDGER = "sluice_batches";

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final List<String> key;
    private final String queryName;
    private final StructType schema;

    JdbcBatchWriter(String url, String user, String password, String table, List<String> key, String queryName, StructType schema) {
        this.url = requireNonNull(url, "url is null");
        this.user = requireNonNull(user, "user is null");
        this.password = requireNonNull(password, "password is null");
        this.table = requireNonNull(table, "table is null");
        this.key = List.copyOf(key);
        this.queryName = requireNonNull(queryName, "queryName is null");
        this.schema = requireNonNull(schema, "schema is null");
    }

    /** Writes the batch unless it was written before; returns whether it wrote. */
    boolean write(long batchId, List<Row> rows) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            createTables(connection);
            if (written(connection, batchId)) {
                connection.rollback();
                return false;
            }
            List<String> columns = List.of(schema.fieldNames());
            String merge = "MERGE INTO " + quote(table) + " (" + quoted(columns) + ") KEY (" + quoted(key)
                    + ") VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
            try (PreparedStatement upsert = connection.prepareStatement(merge)) {
                for (Row row : rows) {
                    for (int i = 0; i < columns.size(); i++) {
                        upsert.setObject(i + 1, row.get(i));
                    }
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            try (PreparedStatement ledger = connection.prepareStatement("INSERT INTO " + LEDGER + " VALUES (?, ?)")) {
                ledger.setString(1, queryName);
                ledger.setLong(2, batchId);
                ledger.executeUpdate();
            }
            connection.commit();
            return true;
        }
    }

    /**
     * Quoted, so Spark's column names may be SQL keywords ({@code offset}); upper case, so
     * that unquoted names in users' own SQL find them, as the SQL standard folds them.
     */
    private static String quote(String name) {
        return "\"" + name.toUpperCase(java.util.Locale.ROOT) + "\"";
    }

    private static String quoted(List<String> names) {
        return names.stream().map(JdbcBatchWriter::quote).collect(Collectors.joining(", "));
    }

    private boolean written(Connection connection, long batchId) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(
                "SELECT 1 FROM " + LEDGER + " WHERE query_name = ? AND batch_id = ?")) {
            check.setString(1, queryName);
            check.setLong(2, batchId);
            try (ResultSet found = check.executeQuery()) {
                return found.next();
            }
        }
    }

    private void createTables(Connection connection) throws SQLException {
        String columns = List.of(schema.fields()).stream()
                .map(f -> quote(f.name()) + " " + SqlTypes.of(f.dataType()).orElseThrow() + (key.contains(f.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS " + quote(table) + " (" + columns + ", PRIMARY KEY (" + quoted(key) + "))");
            ddl.execute("CREATE TABLE IF NOT EXISTS " + LEDGER
                    + " (query_name VARCHAR NOT NULL, batch_id BIGINT NOT NULL, PRIMARY KEY (query_name, batch_id))");
        }
    }
}
