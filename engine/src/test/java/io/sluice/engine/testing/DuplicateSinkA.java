package io.sluice.engine.testing;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;

/** One of two test sinks registered under the same name. */
public final class DuplicateSinkA implements StreamSink {
    @Override
    public String name() {
        return "twin";
    }

    @Override
    public String description() {
        return "A sink whose name another sink also claims (test sink)";
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        return data.writeStream().format("memory");
    }
}
