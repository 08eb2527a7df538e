package io.sluice.core;

import org.apache.spark.sql.streaming.SourceProgress;

/**
 * Told on the driver after each batch of a pipeline's query was committed to its checkpoint,
 * with the source's part of that batch's progress (its end offsets). A source returns one from
 * {@link StreamSource#onCommit} to mirror its progress where other tools look — the Kafka source
 * writes the batch's end offsets to a consumer group, so that {@code kafka-consumer-groups}, Burrow
 * and lag exporters see the pipeline's lag (Spark never commits offsets to Kafka).
 *
 * <p>For monitoring only: the checkpoint stays the truth of what was read. A batch can be
 * committed and not announced (the driver died in between), and an announcement can fail
 * (the cluster is down); neither may stop or slow the pipeline, so {@link #committed} must not
 * block — start the work and return — and must not throw.
 */
@Evolving
public interface CommitListener extends AutoCloseable {
    /** Batch {@code batchId} was committed; {@code progress} is this source's part of its progress. */
    void committed(long batchId, SourceProgress progress);

    /** The query stopped: release what {@link #committed} used (clients, threads). */
    @Override
    default void close() {}
}
