package io.sluice.core;

import io.sluice.core.option.ConnectorOptions;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * A sink that writes each micro-batch itself: the short way to a sink for a database, an
 * HTTP API or a queue — anything Spark has no streaming format for.
 *
 * <p>The author implements {@link #writer} and nothing about Spark's streaming writer: the
 * framework wires {@code foreachBatch} (whose Java lambda is ambiguous on Spark 4, between
 * Scala's {@code Function2} and Java's {@code VoidFunction2}), and hands every call the
 * batch's identity ({@link Batch}: Spark's query id and the batch id).
 *
 * <h2>Delivery</h2>
 * Spark calls the writer <em>at least once</em> per batch: a batch written but not yet
 * committed when the query stopped or crashed is delivered again on restart, with the same
 * id and the same rows. A sink reaches exactly-once in one of two ways:
 * <ul>
 *   <li>a ledger keyed by {@code (queryId, batch id)} (or with the partition, per
 *       partition) written in the same transaction as the rows, skipping a delivery it has
 *       already recorded;</li>
 *   <li>writes that are idempotent by nature: an upsert by key, a file named after the
 *       batch id that a replay overwrites.</li>
 * </ul>
 * Say which with {@link #idempotent()}; the testkit's {@code BatchSinkContract} delivers a
 * batch twice and holds the sink to it.
 */
public interface BatchSink extends StreamSink {

    /**
     * Whether delivering the same batch twice leaves the destination as one delivery would.
     * False (at-least-once) unless the sink says otherwise.
     */
    default boolean idempotent() {
        return false;
    }

    /**
     * True: Spark's {@code foreachBatch} delivers each batch at least once only across runs
     * that share a checkpoint; without one, every restart would deliver the input again from
     * the source's starting point (or skip what arrived while stopped). Spark itself refuses
     * {@code foreachBatch} without a checkpoint location.
     */
    @Override
    default boolean requiresCheckpointLocation() {
        return true;
    }

    /**
     * Builds the writer for one query, on the driver, when the query starts: read the
     * options here, once, and keep only what the writer needs.
     *
     * @param schema the schema of every batch the writer will get
     */
    BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema);

    /** Wires {@link #writer} into Spark's {@code foreachBatch}; a batch sink has no reason to override it. */
    @Override
    default DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        BatchWriter writer = writer(context, options, data.schema());
        String queryName = context.queryName();
        String sink = name();
        VoidFunction2<Dataset<Row>, Long> eachBatch = (rows, batchId) -> {
            try {
                writer.write(new Batch(StreamingQueries.currentQueryId(rows), queryName, batchId), rows);
            } catch (Exception e) {
                throw stoppedOr(e, sink, batchId);
            }
        };
        return data.writeStream().foreachBatch(eachBatch);
    }

    /** A batch sink writes batches by nature: one of several sinks of a pipeline, its writer is the same. */
    @Override
    default boolean writesBatches() {
        return true;
    }

    /** {@link #writer}, its failures named after the sink and the batch as in a pipeline of its own. */
    @Override
    default BatchWriter batchWriter(SinkContext context, ConnectorOptions options, StructType schema) {
        BatchWriter writer = writer(context, options, schema);
        String sink = name();
        return (batch, rows) -> {
            try {
                writer.write(batch, rows);
            } catch (Exception e) {
                throw stoppedOr(e, sink, batch.id());
            }
        };
    }

    /** What {@link #idempotent()} says, whatever the options. */
    @Override
    default boolean deliversOnce(ConnectorOptions options) {
        return idempotent();
    }

    /**
     * The writer's failure, named after the sink and the batch — unless it is a stop's interruption,
     * which Spark recognises by its type and must see as it is (else a graceful stop would read as
     * a failure).
     */
    private static Exception stoppedOr(Exception e, String sink, long batchId) {
        return isStop(e) ? e : new BatchWriteException(sink, batchId, e);
    }

    /**
     * Whether {@code failure}, thrown in a batch's writer, is a stop's interruption rather than a
     * failure of the write: Spark recognises a stop by its type, so a writer that catches
     * failures (to retry, to go on) must let this one through as it is.
     */
    static boolean isStop(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
