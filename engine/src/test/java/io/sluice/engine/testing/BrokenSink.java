package io.sluice.engine.testing;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;

/** A registered test sink whose constructor fails, as a plugin with a missing dependency would. */
public final class BrokenSink implements StreamSink {
    public BrokenSink() {
        throw new IllegalStateException("driver class com.acme.Missing not found");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public String description() {
        return "Never loads (test sink)";
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        throw new UnsupportedOperationException();
    }
}
