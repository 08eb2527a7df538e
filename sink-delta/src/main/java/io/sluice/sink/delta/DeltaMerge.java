package io.sluice.sink.delta;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import io.sluice.core.Batch;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Upserts one batch into the table by key, as one Delta commit tagged with the query's id
 * and the batch id ({@code txnAppId}, {@code txnVersion}): Delta skips a commit whose version
 * for that application it has already seen, so a batch Spark replays after a crash changes
 * nothing. The first batch creates the table with an append tagged the same way.
 *
 * <p>A batch must hold at most one row per key (Delta refuses to merge two source rows into
 * one target row) — true of UPDATE-mode aggregations; a change stream with several changes of
 * a key in one batch keeps the last one per key in its SQL first.
 */
record DeltaMerge(String location, List<String> keys, Optional<String> deleteColumn, List<String> partitionBy,
        boolean mergeSchema, StructType schema) implements Serializable {
    /** Delta's session settings that make a DML command idempotent (Delta's "idempotent writes"). */
    static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";
    static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";
    static final String AUTO_MERGE = "spark.databricks.delta.schema.autoMerge.enabled";

    /** The columns written to the table: all but the delete marker. */
    static StructType written(StructType schema, Optional<String> deleteColumn) {
        return deleteColumn.map(column -> new StructType(java.util.Arrays.stream(schema.fields())
                .filter(f -> !f.name().equals(column)).toArray(org.apache.spark.sql.types.StructField[]::new))).orElse(schema);
    }

    void write(Batch batch, Dataset<Row> rows) {
        SparkSession spark = rows.sparkSession(); // the query's own session: these settings stay with this query
        RuntimeConfig conf = spark.conf();
        conf.set(TXN_APP_ID, batch.queryId());
        conf.set(TXN_VERSION, String.valueOf(batch.id()));
        conf.set(AUTO_MERGE, String.valueOf(mergeSchema));
        try {
            if (!DeltaTable.isDeltaTable(spark, location)) {
                create(batch, rows);
            } else {
                merge(spark, rows);
            }
        } finally {
            conf.unset(TXN_APP_ID);
            conf.unset(TXN_VERSION);
            conf.unset(AUTO_MERGE);
        }
    }

    private void create(Batch batch, Dataset<Row> rows) {
        Dataset<Row> inserts = deleteColumn.map(column -> rows.filter(col(column).eqNullSafe(true).unary_$bang()).drop(column))
                .orElse(rows);
        DataFrameWriter<Row> writer = inserts.write().format("delta").mode("append")
                .option("txnAppId", batch.queryId()).option("txnVersion", batch.id()).option("mergeSchema", mergeSchema);
        if (!partitionBy.isEmpty()) {
            writer.partitionBy(partitionBy.toArray(String[]::new));
        }
        writer.save(location);
    }

    private void merge(SparkSession spark, Dataset<Row> rows) {
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String column : written(schema, deleteColumn).fieldNames()) {
            assignments.put(quote(column), "s." + quote(column));
        }
        String on = keys.stream().map(key -> "t." + quote(key) + " <=> s." + quote(key)).collect(Collectors.joining(" AND "));
        DeltaMergeBuilder merge = DeltaTable.forPath(spark, location).as("t").merge(rows.as("s"), on);
        if (deleteColumn.isPresent()) {
            String deleted = "s." + quote(deleteColumn.get()) + " <=> true";
            merge = merge.whenMatched(deleted).delete()
                    .whenMatched().updateExpr(assignments)
                    .whenNotMatched("NOT (" + deleted + ")").insertExpr(assignments);
        } else {
            merge = merge.whenMatched().updateExpr(assignments).whenNotMatched().insertExpr(assignments);
        }
        merge.execute();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
