package io.sluice.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The table where each written partition of a batch is recorded — {@code (target table, query
 * id, batch id, partition)} — in the same transaction as its rows. A replayed batch (Spark
 * delivers a batch again after a crash, with the same rows) or a retried task finds its row
 * and writes nothing; two attempts at once are serialised by the ledger's primary key, the
 * second seeing the first's row once it commits. The query's id is kept across restarts by
 * the checkpoint, and a new checkpoint is a new id, so a new start is never taken for a replay.
 */
final class Ledger {
    /** Rows of batches older than this many before the current one are deleted: Spark replays only the last. */
    static final long KEEP_BATCHES = 100;

    static final List<String> COLUMNS =
            List.of("target_table", "query_id", "batch_id", "partition_id", "row_count", "written_at");

    private Ledger() {}

    /** The statement that creates the ledger, also shown to a user who must create it by hand. */
    static String createStatement(String ledger) {
        return "CREATE TABLE " + ledger + " (target_table VARCHAR(512) NOT NULL, query_id VARCHAR(64) NOT NULL,"
                + " batch_id BIGINT NOT NULL, partition_id INTEGER NOT NULL, row_count BIGINT NOT NULL,"
                + " written_at TIMESTAMP NOT NULL, PRIMARY KEY (target_table, query_id, batch_id, partition_id))";
    }

    /** Creates the ledger when the database does not have it (another writer may create it at the same moment). */
    static void ensure(Connection db, String ledger) throws SQLException {
        if (TableShape.read(db, ledger).isPresent()) {
            return;
        }
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute(createStatement(ledger));
        } catch (SQLException e) {
            if (TableShape.read(db, ledger).isEmpty()) {
                throw e;
            }
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    /** A problem with an existing ledger that lacks the columns the sink writes; empty when it has them. */
    static Optional<String> problem(Connection db, String ledger) throws SQLException {
        Optional<TableShape> shape = TableShape.read(db, ledger);
        if (shape.isEmpty()) {
            return Optional.empty();
        }
        List<String> missing =
                COLUMNS.stream().filter(c -> shape.get().column(c).isEmpty()).toList();
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of("option 'ledgerTable' names table '" + ledger + "', which exists without the ledger's"
                        + " columns " + String.join(", ", missing) + ": name another table (the sink creates it:"
                        + " " + createStatement(ledger) + ")");
    }

    static String finish(String ledger) {
        return "UPDATE " + ledger + " SET row_count = ? WHERE target_table = ? AND query_id = ? AND batch_id = ?"
                + " AND partition_id = ?";
    }

    static String prune(String ledger) {
        return "DELETE FROM " + ledger + " WHERE target_table = ? AND query_id = ? AND batch_id < ?";
    }
}
