package io.sluice.sink.console;

import com.google.auto.service.AutoService;
import io.sluice.core.RealTimeSupport;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.WholeBatch;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code console} sink: prints every micro-batch as a table, like Spark's console sink
 * and with its options, for development and debugging. Works in every output mode.
 *
 * <p>It prints through {@code foreachBatch} to {@link System#out} as it is when the batch
 * runs, instead of using Spark's {@code console} format, which prints through Scala's
 * {@code Console}: that one cannot be redirected by the application, so its output could
 * neither be captured nor tested.
 */
@AutoService(StreamSink.class)
public final class ConsoleSink implements StreamSink {
    static final OptionSpec<Boolean> TRUNCATE = OptionSpec.booleanOption("truncate")
            .defaultValue(true)
            .description("Cut values longer than 20 characters, as Spark's console sink does")
            .build();
    static final OptionSpec<Integer> NUM_ROWS = OptionSpec.intOption("numRows")
            .defaultValue(20)
            .check(OptionCheck.positive())
            .description("Rows printed per batch")
            .build();

    @Override
    public String name() {
        return "console";
    }

    @Override
    public String description() {
        return "Prints each micro-batch as a table on standard output (for development)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(TRUNCATE, NUM_ROWS);
    }

    @Override
    public RealTimeSupport realTime(ConnectorOptions options) {
        return RealTimeSupport.supported();
    }

    /**
     * Real-time mode has no micro-batches to print one by one: there it is Spark's own
     * {@code console} format, the one real-time mode takes (printed through Scala's console).
     */
    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        int numRows = options.get(NUM_ROWS);
        if (context.trigger().isRealTime()) {
            return data.writeStream()
                    .format("console")
                    .option("numRows", numRows)
                    .option("truncate", options.get(TRUNCATE));
        }
        int truncate = options.get(TRUNCATE) ? 20 : 0;
        VoidFunction2<Dataset<Row>, Long> print =
                (batch, batchId) -> print(System.out, batch, batchId, numRows, truncate);
        return data.writeStream().foreachBatch(print);
    }

    /** One of several sinks: each batch printed as a pipeline of its own prints it. */
    @Override
    public boolean writesBatches() {
        return true;
    }

    @Override
    public io.sluice.core.BatchWriter batchWriter(SinkContext context, ConnectorOptions options, StructType schema) {
        int numRows = options.get(NUM_ROWS);
        int truncate = options.get(TRUNCATE) ? 20 : 0;
        return (batch, rows) -> print(System.out, rows, batch.id(), numRows, truncate);
    }

    static void print(PrintStream out, Dataset<Row> batch, long batchId, int numRows, int truncate) {
        // every row computed before numRows of them are shown: the batch's records are all decoded and counted
        String table = WholeBatch.read(
                batch,
                whole -> ((org.apache.spark.sql.classic.Dataset<Row>) whole).showString(numRows, truncate, false));
        StringBuilder text = new StringBuilder()
                .append("-------------------------------------------\n")
                .append("Batch: ")
                .append(batchId)
                .append('\n')
                .append("-------------------------------------------\n")
                .append(table)
                .append('\n');
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /** Keeps no record of batches written: every batch given is written. */
    @Override
    public java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        return java.util.Optional.of(false);
    }
}
