package io.sluice.engine.testing;

import io.sluice.core.Messages;
import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/** A test sink that only appends, needs a checkpoint and checks a column exists. */
public final class AppendOnlySink implements StreamSink {
    public static final OptionSpec<String> KEY_COLUMN = OptionSpec.stringOption("keyColumn")
            .description("A column that must exist")
            .build();

    @Override
    public String name() {
        return "append-only";
    }

    @Override
    public String description() {
        return "Appends to a memory table (test sink)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(KEY_COLUMN);
    }

    @Override
    public OutputModes outputModes() {
        return OutputModes.only("it only adds rows", OutputMode.APPEND);
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        return Messages.missingColumns(
                KEY_COLUMN.name(), options.find(KEY_COLUMN).stream().toList(), schema);
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        return data.writeStream().format("memory");
    }
}
