package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one micro-batch of a {@link BatchSink}. Runs on the driver, once per batch, with
 * the batch as a {@code Dataset}: write it with Spark (a batch writer, a {@code MERGE}) or
 * hand it to {@link #perPartition} to write from the executors.
 *
 * <p>Serializable because a per-partition writer is shipped to the executors with the
 * tasks; keep only configuration in it (URLs, table names, the schema), never a connection.
 */
@FunctionalInterface
public interface BatchWriter extends Serializable {

    /**
     * Writes the rows of one batch. An exception fails the query (the pipeline reports it);
     * the batch is then not committed and is delivered again on restart.
     */
    void write(Batch batch, Dataset<Row> rows) throws Exception;

    /**
     * A writer that writes each partition of the batch where it lives, in Spark's tasks,
     * instead of collecting the batch on the driver: the shape for databases, HTTP APIs and
     * queues, where each task opens its own connection.
     */
    static BatchWriter perPartition(PartitionWriter writer) {
        requireNonNull(writer, "writer is null");
        return (batch, rows) -> rows.foreachPartition((ForeachPartitionFunction<Row>)
                partition -> writer.write(batch, TaskContext.getPartitionId(), partition));
    }
}
