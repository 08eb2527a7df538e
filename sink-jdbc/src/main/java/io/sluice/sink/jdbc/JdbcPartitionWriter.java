package io.sluice.sink.jdbc;

import io.sluice.core.Batch;
import io.sluice.core.PartitionWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one partition of a batch in one transaction: claims the partition in the ledger, sends
 * its rows in JDBC batches of {@code batchsize} (inserts or upserts, and deletes, in the rows'
 * order), records the count and commits. A partition the ledger already holds is skipped. When
 * the database refuses a JDBC batch, the rows of that batch are tried one by one in a fresh
 * transaction, only to name the row it refused; nothing is kept.
 */
final class JdbcPartitionWriter implements PartitionWriter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPartitionWriter.class);
    private final WritePlan plan;

    JdbcPartitionWriter(WritePlan plan) {
        this.plan = plan;
    }

    @Override
    public void write(Batch batch, int partition, Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return;
        }
        Connection db;
        try {
            db = plan.database().connect();
        } catch (SQLException e) {
            throw JdbcFailures.unreachable(plan.database(), e);
        }
        try (db) {
            db.setAutoCommit(false);
            if (!claim(db, batch, partition)) {
                db.rollback();
                LOG.info(
                        "table '{}': batch {} partition {} is in the ledger already; skipped",
                        plan.table(),
                        batch.id(),
                        partition);
                return;
            }
            long written = writeRows(db, plan.lastPerKey() ? lastPerKey(rows) : rows);
            finish(db, batch, partition, written);
            db.commit();
        } catch (JdbcWriteException e) {
            throw e;
        } catch (SQLException e) {
            throw JdbcFailures.refused(plan, e, Optional.empty());
        }
    }

    private boolean claim(Connection db, Batch batch, int partition) throws SQLException {
        try (PreparedStatement claim = db.prepareStatement(plan.dialect().claim(plan.ledger()))) {
            claim.setString(1, plan.target());
            claim.setString(2, batch.queryId());
            claim.setLong(3, batch.id());
            claim.setInt(4, partition);
            return claim.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // the standard dialect: another attempt committed this partition first
            }
            throw e;
        }
    }

    private void finish(Connection db, Batch batch, int partition, long written) throws SQLException {
        try (PreparedStatement finish = db.prepareStatement(Ledger.finish(plan.ledger()))) {
            finish.setLong(1, written);
            finish.setString(2, plan.target());
            finish.setString(3, batch.queryId());
            finish.setLong(4, batch.id());
            finish.setInt(5, partition);
            finish.executeUpdate();
        }
        if (partition == 0 && batch.id() > Ledger.KEEP_BATCHES) {
            try (PreparedStatement prune = db.prepareStatement(Ledger.prune(plan.ledger()))) {
                prune.setString(1, plan.target());
                prune.setString(2, batch.queryId());
                prune.setLong(3, batch.id() - Ledger.KEEP_BATCHES);
                prune.executeUpdate();
            }
        }
    }

    /** Sends the rows in runs of one kind (writes or deletes), each run in JDBC batches, so that their order holds. */
    private long writeRows(Connection db, Iterator<Row> rows) throws SQLException {
        ZoneId zone = ZoneId.of(plan.zone());
        long count = 0;
        List<Row> chunk = new ArrayList<>(Math.min(plan.batchSize(), 4096));
        boolean chunkDeletes = false;
        try (PreparedStatement write = db.prepareStatement(plan.write());
                PreparedStatement delete = plan.delete().isPresent()
                        ? db.prepareStatement(plan.delete().get())
                        : null) {
            while (rows.hasNext()) {
                Row row = rows.next();
                boolean deletes = isDelete(row);
                if (!chunk.isEmpty() && (deletes != chunkDeletes || chunk.size() >= plan.batchSize())) {
                    send(db, chunkDeletes ? delete : write, chunkDeletes, chunk, zone);
                    chunk.clear();
                }
                chunkDeletes = deletes;
                chunk.add(row);
                count++;
            }
            if (!chunk.isEmpty()) {
                send(db, chunkDeletes ? delete : write, chunkDeletes, chunk, zone);
            }
        }
        return count;
    }

    /** Of each run of rows with one key (the rows come grouped by key, in sequence order), the last. */
    private Iterator<Row> lastPerKey(Iterator<Row> rows) {
        List<ColumnBinding> keys = plan.statements().keyBindings();
        return new Iterator<>() {
            private Row pending = rows.hasNext() ? rows.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public Row next() {
                if (pending == null) {
                    throw new java.util.NoSuchElementException();
                }
                Row last = pending;
                pending = null;
                while (rows.hasNext()) {
                    Row row = rows.next();
                    if (!sameKey(keys, last, row)) {
                        pending = row;
                        break;
                    }
                    last = row;
                }
                return last;
            }
        };
    }

    private static boolean sameKey(List<ColumnBinding> keys, Row a, Row b) {
        for (ColumnBinding key : keys) {
            if (!java.util.Objects.equals(a.get(key.index()), b.get(key.index()))) {
                return false;
            }
        }
        return true;
    }

    private boolean isDelete(Row row) {
        return plan.deleteIndex() >= 0 && !row.isNullAt(plan.deleteIndex()) && row.getBoolean(plan.deleteIndex());
    }

    private void send(Connection db, PreparedStatement statement, boolean deletes, List<Row> chunk, ZoneId zone)
            throws SQLException {
        for (Row row : chunk) {
            bind(statement, deletes, row, zone);
            statement.addBatch();
        }
        try {
            statement.executeBatch();
        } catch (SQLException e) {
            if (JdbcFailures.retriable(e)) {
                throw e;
            }
            Optional<Refusal> refusal = refusedRow(db, deletes, chunk, zone);
            throw refusal.isPresent()
                    ? JdbcFailures.refused(
                            plan,
                            refusal.get().failure(),
                            Optional.of(refusal.get().row()))
                    : JdbcFailures.refused(plan, e, Optional.empty());
        }
    }

    private void bind(PreparedStatement statement, boolean deletes, Row row, ZoneId zone) throws SQLException {
        List<ColumnBinding> bindings =
                deletes ? plan.statements().keyBindings() : plan.statements().bindings();
        int parameter = 1;
        for (ColumnBinding binding : bindings) {
            binding.bind(statement, parameter++, row, zone);
        }
        if (deletes) {
            Optional<ColumnBinding> sequence = plan.statements().sequenceBinding();
            if (sequence.isPresent()) {
                sequence.get().bind(statement, parameter, row, zone);
            }
        }
    }

    /**
     * Which row of a refused JDBC batch the database refuses, found by sending the rows one at a
     * time in a new transaction that is rolled back; empty when none is refused alone (the
     * refusal came from rows before this batch) or the database cannot say.
     */
    private record Refusal(String row, SQLException failure) {}

    private Optional<Refusal> refusedRow(Connection db, boolean deletes, List<Row> chunk, ZoneId zone) {
        try {
            db.rollback();
            try (PreparedStatement one =
                    db.prepareStatement(deletes ? plan.delete().orElseThrow() : plan.write())) {
                for (Row row : chunk) {
                    bind(one, deletes, row, zone);
                    try {
                        one.executeUpdate();
                    } catch (SQLException refused) {
                        return Optional.of(new Refusal(describe(row), refused));
                    }
                }
            } finally {
                db.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not find the refused row", e);
        }
        return Optional.empty();
    }

    /** {@code the row with id=42, day=2026-12-07}; {@code a row} when the table has no key. */
    private String describe(Row row) {
        if (plan.messageKey().isEmpty()) {
            return "a row";
        }
        return "the row with "
                + plan.messageKey().stream()
                        .map(b -> b.field() + "=" + row.get(b.index()))
                        .collect(Collectors.joining(", "));
    }
}
