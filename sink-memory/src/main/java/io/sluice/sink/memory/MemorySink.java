package io.sluice.sink.memory;

import com.google.auto.service.AutoService;
import io.sluice.core.OutputMode;
import io.sluice.core.RealTimeSupport;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code memory} sink: keeps the result in the driver as a table named after the query,
 * to read with {@code spark.sql("SELECT * FROM <queryName>")}. Every output mode.
 *
 * <p>Without {@code maxRows} it is Spark's memory sink, which keeps every row forever — fine
 * for a test, a driver crash for a debug pipeline left running. With {@code maxRows} it keeps
 * only the newest rows in a {@link BoundedTable}, so its memory stays bounded however long
 * the pipeline runs.
 */
@AutoService(StreamSink.class)
public final class MemorySink implements StreamSink {
    static final OptionSpec<Integer> MAX_ROWS = OptionSpec.intOption("maxRows")
            .check(OptionCheck.positive())
            .description(
                    "Keep only the newest this many rows (COMPLETE: of the latest result); unset keeps every row, as Spark does")
            .build();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "Keeps results in the driver as a table named after the query, for spark.sql (debugging, tests)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(MAX_ROWS);
    }

    /** Spark 4.2 refuses its memory sink in real-time mode (only the continuous trigger has a memory sink there). */
    @Override
    public RealTimeSupport realTime(ConnectorOptions options) {
        return RealTimeSupport.refused(
                "Spark 4.2 does not allow its memory sink in real-time mode (it is not on the mode's" + " allowlist)",
                "use the kafka or console sink, or a micro-batch trigger");
    }

    /** The table is named after the query, and read with SQL: its name must be one SQL reads without quotes. */
    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        if (context.queryName().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return List.of();
        }
        return List.of("its table is named after the query, and '" + context.queryName() + "' is not a name SQL reads"
                + " without quotes (letters, digits and _, not starting with a digit): set queryName, on the pipeline"
                + " or the sink, to one such as '"
                + context.queryName().replaceAll("[^A-Za-z0-9_]", "_").replaceFirst("^(?=[0-9]|$)", "t_") + "'");
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        if (options.find(MAX_ROWS).isEmpty()) {
            return data.writeStream().format("memory");
        }
        BoundedTable table =
                BoundedTable.create(context.spark(), context.queryName(), data.schema(), options.get(MAX_ROWS));
        boolean replace = context.outputMode() == OutputMode.COMPLETE;
        VoidFunction2<Dataset<Row>, Long> store = (batch, batchId) -> table.add(batchId, batch, replace);
        return data.writeStream().foreachBatch(store);
    }

    /**
     * One of several sinks: the rows of each batch kept in the driver and published as a view
     * named after the sink ({@code maxRows} of them, or every row when unset — as Spark's memory
     * sink keeps every row).
     */
    @Override
    public boolean writesBatches() {
        return true;
    }

    @Override
    public io.sluice.core.BatchWriter batchWriter(SinkContext context, ConnectorOptions options, StructType schema) {
        BoundedTable table = BoundedTable.create(
                context.spark(),
                context.queryName(),
                schema,
                options.find(MAX_ROWS).orElse(Integer.MAX_VALUE));
        boolean replace = context.outputMode() == OutputMode.COMPLETE;
        return (batch, rows) -> table.add(batch.id(), rows, replace);
    }

    /** Keeps no record of batches written: every batch given is written. */
    @Override
    public java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        return java.util.Optional.of(false);
    }
}
