package io.sluice.sink.jdbc;

import io.sluice.core.Batch;
import io.sluice.core.BatchWriter;
import io.sluice.core.option.ConnectorOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a batch: resolves the {@link WritePlan} against the table when the
 * first batch comes (and creates the ledger), hands the partitions to {@link
 * JdbcPartitionWriter}s in Spark's tasks, and tries a batch again — up to {@code maxRetries}
 * times, waiting 1 s, 2 s, 4 s ... — when it failed for a reason that may pass (a lost
 * connection, a deadlock): the partitions already committed are in the ledger and are skipped.
 * Any other failure, or the last, fails the batch with its words.
 */
final class JdbcBatchWriter implements BatchWriter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcBatchWriter.class);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private final Database database;
    /** The driver's alone: a batch writer is never shipped to the tasks (its partition writer is). */
    private final transient ConnectorOptions options;

    private final StructType schema;
    private final String zone;
    private final int maxRetries;
    private transient WritePlan plan;

    JdbcBatchWriter(Database database, ConnectorOptions options, StructType schema, String zone, int maxRetries) {
        this.database = database;
        this.options = options;
        this.schema = schema;
        this.zone = zone;
        this.maxRetries = maxRetries;
    }

    @Override
    public void write(Batch batch, Dataset<Row> rows) throws Exception {
        Duration wait = FIRST_WAIT;
        for (int attempt = 0; ; attempt++) {
            try {
                WritePlan resolved = plan();
                BatchWriter.perPartition(new JdbcPartitionWriter(resolved)).write(batch, ordered(resolved, rows));
                return;
            } catch (Exception e) {
                Optional<JdbcWriteException> failure = JdbcWriteException.in(JdbcWriteException.chain(e));
                if (failure.isEmpty()) {
                    throw e;
                }
                if (!failure.get().retriable() || attempt >= maxRetries) {
                    String tries = attempt == 0 ? "" : " (tried " + (attempt + 1) + " times)";
                    throw new JdbcWriteException(
                            failure.get().getMessage() + tries, failure.get().retriable(), e);
                }
                LOG.warn(
                        "batch {}: {} — trying the batch again in {} s ({} of {})",
                        batch.id(),
                        failure.get().getMessage(),
                        wait.toSeconds(),
                        attempt + 1,
                        maxRetries);
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
    }

    /**
     * With {@code sequenceBy}, the rows of a key brought together and in sequence order, so that
     * each partition writes only the last change of each of its keys: a change older than a
     * delete in the same batch cannot bring the key back. The batch keeps its number of
     * partitions, and the same rows land in the same partitions on a replay, as the ledger needs.
     */
    private static Dataset<Row> ordered(WritePlan plan, Dataset<Row> rows) {
        if (!plan.lastPerKey()) {
            return rows;
        }
        Column[] keys = plan.statements().keyBindings().stream()
                .map(b -> rows.col(quoted(b.field())))
                .toArray(Column[]::new);
        Column[] order = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(keys),
                        plan.statements().sequenceBinding().stream()
                                .map(b -> rows.col(quoted(b.field())).asc_nulls_first()))
                .toArray(Column[]::new);
        return rows.repartition(rows.rdd().getNumPartitions(), keys).sortWithinPartitions(order);
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** The plan, resolved once per query; a failure to resolve it is a batch's failure, tried again like one. */
    private WritePlan plan() {
        if (plan != null) {
            return plan;
        }
        Connection db;
        try {
            db = database.connect();
        } catch (SQLException e) {
            throw JdbcFailures.unreachable(database, e);
        }
        try (db) {
            WritePlan.Inspection inspection = WritePlan.inspect(db, database, options, schema, zone);
            if (!inspection.problems().isEmpty()) {
                throw new JdbcWriteException(String.join("; ", inspection.problems()), false, null);
            }
            String ledger = options.get(JdbcSinkOptions.LEDGER_TABLE);
            try {
                Ledger.ensure(db, ledger);
            } catch (SQLException e) {
                throw new JdbcWriteException(
                        "cannot create the ledger table '" + ledger + "' (" + JdbcFailures.firstLine(e) + "): create it"
                                + " as a user who may, and grant this one INSERT, UPDATE, DELETE and SELECT on it: "
                                + Ledger.createStatement(ledger),
                        JdbcFailures.retriable(e),
                        e);
            }
            plan = inspection.plan().orElseThrow();
            return plan;
        } catch (SQLException e) {
            throw new JdbcWriteException(
                    "reading the description of table '" + options.get(JdbcSinkOptions.DBTABLE) + "' from "
                            + database.who() + ": " + JdbcFailures.firstLine(e),
                    JdbcFailures.retriable(e),
                    e);
        }
    }
}
