package io.sluice.examples.jdbc;

import com.google.auto.service.AutoService;
import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.Messages;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A third-party sink written only against Sluice's SPI: upserts each micro-batch into an
 * existing JDBC table by key, partition by partition, in one transaction per partition that
 * also records (query id, batch, partition) in a ledger — so a retried task or a replayed
 * batch writes nothing twice.
 */
@AutoService(StreamSink.class)
public final class JdbcSink implements BatchSink {
    static final String LEDGER = "sluice_batches";
    static final OptionSpec<String> URL = OptionSpec.stringOption("url")
            .required()
            .description("JDBC URL of the database")
            .check(OptionCheck.of(url -> url.startsWith("jdbc:"), "must be a JDBC URL (jdbc:...)", "jdbc:..."))
            .build();
    static final OptionSpec<String> TABLE = OptionSpec.stringOption("table")
            .required()
            .description("Table to upsert into")
            .check(OptionCheck.of(
                    t -> t.matches("[A-Za-z_][A-Za-z0-9_]*"),
                    "must be a plain SQL identifier",
                    "a plain SQL identifier"))
            .build();
    static final OptionSpec<List<String>> KEY = OptionSpec.listOption("key")
            .required()
            .description("Columns that identify a row: a row with the same key is replaced")
            .build();
    static final OptionSpec<String> USER = OptionSpec.stringOption("user")
            .defaultValue("")
            .description("Database user")
            .build();
    static final OptionSpec<String> PASSWORD = OptionSpec.stringOption("password")
            .secret()
            .defaultValue("")
            .description("Database password")
            .build();

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "Upserts each micro-batch into a JDBC table by key, once per batch (example plugin)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(URL, TABLE, KEY, USER, PASSWORD);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        return Messages.missingColumns(KEY.name(), options.get(KEY), schema);
    }

    @Override
    public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
        String url = options.get(URL), user = options.get(USER), password = options.get(PASSWORD);
        List<String> columns = List.of(schema.fieldNames());
        String merge = "MERGE INTO " + quote(List.of(options.get(TABLE))) + " (" + quote(columns) + ") KEY ("
                + quote(options.get(KEY)) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        return BatchWriter.perPartition((batch, partition, rows) -> {
            try (Connection db = DriverManager.getConnection(url, user, password)) {
                db.setAutoCommit(false);
                if (firstDelivery(db, batch, partition)) {
                    upsert(db, merge, columns.size(), rows);
                    db.commit();
                }
            }
        });
    }

    private static boolean firstDelivery(Connection db, Batch batch, int partition) throws SQLException {
        try (java.sql.Statement create = db.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + LEDGER + " (query_id VARCHAR, batch_id BIGINT,"
                    + " partition_id INT, PRIMARY KEY (query_id, batch_id, partition_id))");
        }
        try (PreparedStatement ledger = db.prepareStatement("INSERT INTO " + LEDGER + " VALUES (?, ?, ?)")) {
            ledger.setString(1, batch.queryId());
            ledger.setLong(2, batch.id());
            ledger.setInt(3, partition);
            return ledger.executeUpdate() == 1;
        } catch (SQLIntegrityConstraintViolationException alreadyWritten) {
            return false;
        }
    }

    private static void upsert(Connection db, String merge, int width, Iterator<Row> rows) throws SQLException {
        try (PreparedStatement upsert = db.prepareStatement(merge)) {
            while (rows.hasNext()) {
                Row row = rows.next();
                for (int i = 0; i < width; i++) {
                    upsert.setObject(i + 1, row.get(i));
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Quoted, as Spark's column names may be SQL keywords ({@code offset}); upper case, as SQL folds unquoted names. */
    private static String quote(List<String> names) {
        return names.stream()
                .map(n -> "\"" + n.toUpperCase(java.util.Locale.ROOT) + "\"")
                .collect(Collectors.joining(", "));
    }
}
