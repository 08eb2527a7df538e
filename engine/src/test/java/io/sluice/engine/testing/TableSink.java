package io.sluice.engine.testing;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;

/** A test sink: Spark's memory table named after the query. Registered in test resources. */
public final class TableSink implements StreamSink {
    @Override
    public String name() {
        return "table";
    }

    @Override
    public String description() {
        return "An in-memory table named after the query (test sink)";
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        return data.writeStream().format("memory");
    }
}
