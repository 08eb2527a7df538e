package io.sluice.sink.delta;

import io.sluice.core.Batch;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Appends one batch to the table — or, for COMPLETE, replaces its rows — as one Delta commit
 * tagged with the query's id and the batch id, exactly as Delta's own streaming sink tags its
 * commits: a batch replayed after a crash is skipped by Delta, and a checkpoint that changes
 * between the two writers (maintenance switched on or off) goes on where the other stopped.
 * Used when the sink has work to do after each batch (compaction, vacuum), which Delta's
 * streaming sink has no place for.
 */
record DeltaAppend(String location, boolean replace, List<String> partitionBy, boolean mergeSchema)
        implements Serializable {

    void write(Batch batch, Dataset<Row> rows) {
        DataFrameWriter<Row> writer = rows.write()
                .format("delta")
                .mode(replace ? "overwrite" : "append")
                .option("txnAppId", batch.queryId())
                .option("txnVersion", batch.id())
                .option("mergeSchema", mergeSchema);
        if (!partitionBy.isEmpty()) {
            writer.partitionBy(partitionBy.toArray(String[]::new));
        }
        writer.save(location);
    }
}
