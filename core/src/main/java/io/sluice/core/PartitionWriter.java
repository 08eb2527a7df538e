package io.sluice.core;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * Writes one partition of a micro-batch inside a Spark task; see {@link BatchWriter#perPartition}.
 *
 * <p>A task can be retried, and a batch replayed, so the same {@code (batch, partition)} may
 * be written more than once. Spark replays a batch with the same offsets, so the triple of
 * query id, batch id and partition names the same rows again whenever the plan places rows in
 * partitions deterministically (a Kafka source, a filter, an aggregation do; a round-robin
 * {@code repartition} does not): a ledger key or a file name made of it turns a retry into a
 * no-op. An upsert by key is idempotent without it.
 */
@FunctionalInterface
public interface PartitionWriter extends Serializable {

    /** Writes the rows of partition {@code partition} of {@code batch}; an exception fails the task. */
    void write(Batch batch, int partition, Iterator<Row> rows) throws Exception;
}
