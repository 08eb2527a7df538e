package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;

/**
 * A second stream a source produces beside its main one, such as the records it could not
 * decode, started by the framework as its own query next to the pipeline's.
 *
 * <p>The framework owns its lifecycle like the main query's: it appends (side outputs are
 * logs), uses the pipeline's trigger, a query name derived from the pipeline's
 * ({@code orders-dead-letter}) and a checkpoint under the pipeline's
 * ({@code <checkpoint>/_side/dead-letter}), so a restart resumes both where they were.
 *
 * @param name short name, used in the query name and checkpoint path
 * @param data the stream to write
 * @param writer configures the writer's format and options (not its mode, trigger or checkpoint)
 * @param description where the data goes, for logs and summaries
 * @param realTimeRefusal why Spark's real-time mode cannot write it, or empty when it can
 */
public record SideOutput(String name, Dataset<Row> data, UnaryOperator<DataStreamWriter<Row>> writer, String description,
        Optional<String> realTimeRefusal) {
    public SideOutput {
        requireNonNull(name, "name is null");
        requireNonNull(data, "data is null");
        requireNonNull(writer, "writer is null");
        requireNonNull(description, "description is null");
        requireNonNull(realTimeRefusal, "realTimeRefusal is null");
    }

    /** A side output that real-time mode cannot write (files, for instance): it is refused with a real-time trigger. */
    public SideOutput(String name, Dataset<Row> data, UnaryOperator<DataStreamWriter<Row>> writer, String description) {
        this(name, data, writer, description, Optional.of("it writes " + description + ", which real-time mode cannot"));
    }
}
