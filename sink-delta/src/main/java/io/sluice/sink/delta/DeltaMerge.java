package io.sluice.sink.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import io.sluice.core.Batch;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * Upserts one batch into the table by key, as one Delta commit tagged with the query's id
 * and the batch id ({@code txnAppId}, {@code txnVersion}): Delta skips a commit whose version
 * for that application it has already seen, so a batch Spark replays after a crash changes
 * nothing. The first batch creates the table with an append tagged the same way.
 *
 * <p>Delta merges at most one source row into a target row, and a change stream can hold
 * several events of a key in one batch: the batch keeps the last row of each key by
 * {@code order} (the {@code sequenceBy} column, then the source's partition and offset) before
 * it creates or merges, so the first batch and every later one write the same thing. With
 * {@code sequenceBy}, a row older than the table's row of its key changes nothing, so a late
 * event never overwrites a newer one. {@code order} is empty when the plan proves the keys
 * unique per batch (an UPDATE-mode aggregation by them).
 */
record DeltaMerge(
        String location,
        List<String> keys,
        List<String> order,
        Optional<String> sequenceBy,
        Optional<String> deleteColumn,
        List<String> partitionBy,
        boolean mergeSchema,
        StructType schema)
        implements Serializable {
    /** Delta's session settings that make a DML command idempotent (Delta's "idempotent writes"). */
    static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";

    static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";
    static final String AUTO_MERGE = "spark.databricks.delta.schema.autoMerge.enabled";

    /** The columns written to the table: all but the delete marker. */
    static StructType written(StructType schema, Optional<String> deleteColumn) {
        return deleteColumn
                .map(column -> new StructType(java.util.Arrays.stream(schema.fields())
                        .filter(f -> !f.name().equals(column))
                        .toArray(org.apache.spark.sql.types.StructField[]::new)))
                .orElse(schema);
    }

    void write(Batch batch, Dataset<Row> rows) {
        SparkSession spark = rows.sparkSession(); // the query's own session: these settings stay with this query
        RuntimeConfig conf = spark.conf();
        conf.set(TXN_APP_ID, batch.queryId());
        conf.set(TXN_VERSION, String.valueOf(batch.id()));
        conf.set(AUTO_MERGE, String.valueOf(mergeSchema));
        Dataset<Row> last = lastPerKey(rows);
        try {
            if (!DeltaTable.isDeltaTable(spark, location)) {
                create(batch, last);
            } else {
                merge(spark, last);
            }
        } finally {
            conf.unset(TXN_APP_ID);
            conf.unset(TXN_VERSION);
            conf.unset(AUTO_MERGE);
        }
    }

    /** Of several rows of a key, the last by {@code order}; the rows as they are when nothing orders them. */
    Dataset<Row> lastPerKey(Dataset<Row> rows) {
        if (order.isEmpty()) {
            return rows;
        }
        String rank = "__sluice_rank";
        WindowSpec byKey = Window.partitionBy(
                        keys.stream().map(k -> col(quote(k))).toArray(Column[]::new))
                .orderBy(
                        order.stream().map(c -> col(quote(c)).desc_nulls_last()).toArray(Column[]::new));
        return rows.withColumn(rank, row_number().over(byKey))
                .filter(col(rank).equalTo(1))
                .drop(rank);
    }

    private void create(Batch batch, Dataset<Row> rows) {
        Dataset<Row> inserts = deleteColumn
                .map(column ->
                        rows.filter(col(column).eqNullSafe(true).unary_$bang()).drop(column))
                .orElse(rows);
        new DeltaAppend(location, false, partitionBy, mergeSchema).write(batch, inserts);
    }

    private void merge(SparkSession spark, Dataset<Row> rows) {
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String column : written(schema, deleteColumn).fieldNames()) {
            assignments.put(quote(column), "s." + quote(column));
        }
        String on = keys.stream()
                .map(key -> "t." + quote(key) + " <=> s." + quote(key))
                .collect(Collectors.joining(" AND "));
        DeltaMergeBuilder merge = DeltaTable.forPath(spark, location).as("t").merge(rows.as("s"), on);
        String newer = sequenceBy
                .map(c -> "coalesce(s." + quote(c) + " >= t." + quote(c) + ", true)")
                .orElse("true");
        if (deleteColumn.isPresent()) {
            String deleted = "s." + quote(deleteColumn.get()) + " <=> true";
            merge = merge.whenMatched(newer + " AND " + deleted)
                    .delete()
                    .whenMatched(newer)
                    .updateExpr(assignments)
                    .whenNotMatched("NOT (" + deleted + ")")
                    .insertExpr(assignments);
        } else {
            merge = merge.whenMatched(newer)
                    .updateExpr(assignments)
                    .whenNotMatched()
                    .insertExpr(assignments);
        }
        merge.execute();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
