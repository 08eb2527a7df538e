package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A micro-batch computed in full before a sink reads only part of it.
 *
 * <p>Spark runs only the tasks an action needs: a sink that shows 20 rows ({@code show},
 * {@code take}) or keeps the newest N ({@code tail}) runs some of the batch's tasks — on a
 * cluster, 4 records of 500,000 — yet the query commits the whole batch's offsets. The records no
 * task read were never decoded, counted or, if bad, dead-lettered: gone without a word. Every
 * record a pipeline commits must have passed its source's decoding, whatever the sink keeps of
 * the rows, so a sink that reads part of a batch reads it through {@link #read}: the batch is
 * computed once, every row, into Spark's cache (memory, spilling to disk), the sink's action
 * reads the cache — the decoding's counters and dead letter are not run a second time — and the
 * cache is dropped. Sinks that write every row (files, tables, topics) need none of this.
 */
public final class WholeBatch {
    private WholeBatch() {}

    /** {@code partial} applied to {@code batch} after every row of it was computed once. */
    public static <T> T read(Dataset<Row> batch, Function<Dataset<Row>, T> partial) {
        requireNonNull(batch, "batch is null");
        requireNonNull(partial, "partial is null");
        Dataset<Row> cached = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            cached.count(); // every task of the batch runs: each record decoded, counted, dead-lettered once
            return partial.apply(cached);
        } finally {
            cached.unpersist(false);
        }
    }
}
