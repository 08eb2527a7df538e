package io.sluice.sink.memory;

import static java.util.Objects.requireNonNull;

import io.sluice.core.WholeBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The newest {@code maxRows} rows a query wrote, kept in the driver and published as a
 * temporary view of the user's session after every batch.
 *
 * <p>Each batch brings at most {@code maxRows} rows to the driver ({@code tail}, after the whole
 * batch was computed: {@link WholeBatch}), so neither
 * a long run nor one huge batch can exhaust it. Batch ids make a replayed batch (after a
 * restart from a checkpoint) a no-op instead of a duplicate.
 *
 * <p>Nothing holds a table but the query that writes it (its {@code foreachBatch} function)
 * and the session's view of its rows: a stopped query's table goes with it, and the rows
 * with the session.
 */
final class BoundedTable {
    private final SparkSession spark;
    private final String name;
    private final StructType schema;
    private final int maxRows;
    private final ArrayDeque<Row> rows;
    private long lastBatchId = -1;

    private BoundedTable(SparkSession spark, String name, StructType schema, int maxRows) {
        this.spark = requireNonNull(spark, "spark is null");
        this.name = requireNonNull(name, "name is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.maxRows = maxRows;
        this.rows = new ArrayDeque<>(Math.min(maxRows, 1 << 16));
    }

    /** A new, empty table under {@code name}, visible at once as an empty view. */
    static BoundedTable create(SparkSession spark, String name, StructType schema, int maxRows) {
        BoundedTable table = new BoundedTable(spark, name, schema, maxRows);
        table.publish(List.of());
        return table;
    }

    synchronized void add(long batchId, Dataset<Row> batch, boolean replace) {
        if (batchId <= lastBatchId) {
            return;
        }
        // every row computed before the newest are kept: the batch's records are all decoded and counted
        Row[] newest = WholeBatch.read(batch, whole -> (Row[]) whole.tail(maxRows));
        if (replace) {
            rows.clear();
        }
        for (Row row : newest) {
            if (rows.size() == maxRows) {
                rows.removeFirst();
            }
            rows.addLast(row);
        }
        lastBatchId = batchId;
        publish(new ArrayList<>(rows));
    }

    private void publish(List<Row> snapshot) {
        spark.createDataFrame(snapshot, schema).createOrReplaceTempView(name);
    }
}
