package io.sluice.testkit.pipeline;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * The sink a test run writes to instead of the pipeline's own (unless {@code realSinks}): every
 * micro-batch's rows, kept by batch id, on the driver. {@code foreachBatch} hands it exactly what
 * Spark gives a sink in the pipeline's output mode — appended rows, updated rows, or the whole
 * result — so a test sees update and append emission as they are. A batch redone after a
 * restart replaces what it gave before, as an exactly-once sink would.
 */
final class CaptureSink implements StreamSink {
    static final String NAME = "sluice-test-capture";

    private final NavigableMap<Long, List<Row>> batches = new ConcurrentSkipListMap<>();
    private volatile StructType schema = new StructType();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Keeps each micro-batch's rows in memory (sluice test)";
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        schema = data.schema();
        VoidFunction2<Dataset<Row>, Long> keep = (batch, id) -> batches.put(id, List.copyOf(batch.collectAsList()));
        return data.writeStream().foreachBatch(keep);
    }

    StructType schema() {
        return schema;
    }

    /** The rows of the batches after {@code afterBatch}, in batch order. */
    List<Row> rowsAfter(long afterBatch) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Long, List<Row>> batch :
                batches.tailMap(afterBatch, false).entrySet()) {
            rows.addAll(batch.getValue());
        }
        return rows;
    }

    long lastBatch() {
        return batches.isEmpty() ? -1 : batches.lastKey();
    }
}
