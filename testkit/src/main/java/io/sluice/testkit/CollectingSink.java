package io.sluice.testkit;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;

/**
 * A sink for testing sources: collects every row in Spark's memory table named after the
 * query, to read back with {@code spark.sql}. Deliberately not registered with
 * ServiceLoader — add it where a test needs it with
 * {@code ConnectorRegistry.withSink(new CollectingSink())} — so it never shows up beside
 * real sinks.
 */
public final class CollectingSink implements StreamSink {
    @Override
    public String name() {
        return "collect";
    }

    @Override
    public String description() {
        return "Collects rows in a memory table named after the query (tests only)";
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        return data.writeStream().format("memory");
    }
}
