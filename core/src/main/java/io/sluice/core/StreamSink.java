package io.sluice.core;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * A connector that writes a stream: the service interface every sink implements.
 *
 * <p>Register an implementation with {@code @AutoService(StreamSink.class)}. A sink
 * configures a {@link DataStreamWriter} — a Spark format with options, or
 * {@code foreachBatch} for anything else — and nothing more: the framework owns the output
 * mode, trigger, query name, checkpoint and {@code start()}, so every sink gets them right
 * in the same way. Declaring {@link #outputModes()} lets a wrong mode be reported
 * before a query exists.
 */
public interface StreamSink extends Connector {

    /** Accepted by every sink, as in Spark's writer; the pipeline's setting is the fallback. */
    OptionSpec<String> CHECKPOINT_LOCATION = OptionSpec.stringOption("checkpointLocation")
            .description("Directory where the query keeps its offsets and state; overrides the pipeline's")
            .build();

    /** Accepted by every sink, as in Spark's writer; defaults to the pipeline's query name. */
    OptionSpec<String> QUERY_NAME = OptionSpec.stringOption("queryName")
            .description(
                    "Name of the streaming query (and of the table, for the memory sink); defaults to the pipeline's")
            .build();

    /** The options the framework accepts for every sink, besides the sink's own. */
    List<OptionSpec<?>> FRAMEWORK_OPTIONS = List.of(CHECKPOINT_LOCATION, QUERY_NAME);

    @Override
    default ConnectorKind kind() {
        return ConnectorKind.SINK;
    }

    /** The output modes this sink can write and why others are missing; checked before the query starts. */
    default OutputModes outputModes() {
        return OutputModes.all();
    }

    /**
     * Whether the sink needs a checkpoint location (file sinks do: it is what makes their
     * output exactly-once). Validation fails when neither the sink nor the pipeline sets one.
     */
    default boolean requiresCheckpointLocation() {
        return false;
    }

    /**
     * Checks that need the query's schema or the pipeline's settings (e.g. that partition
     * columns exist). Each failure is a message without the connector prefix.
     */
    default List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        return List.of();
    }

    /**
     * Whether rows written before a restart stay readable only with the schema they were
     * written with — true of files, where a column that changes type makes the whole directory
     * unreadable. A pipeline restarted on its checkpoint with such a change is refused.
     */
    default boolean schemaIsPermanent() {
        return false;
    }

    /**
     * Spark 4.2 writes real-time results only to Kafka and the console (its allowlist also
     * names a memory sink, but not the one the {@code memory} format gives) — not to files, and
     * not through {@code foreachBatch}, which needs micro-batches — so the default refuses; a
     * sink that can says so (and checks {@link SinkContext#trigger()} in {@link #write} to
     * choose a writer real-time mode takes).
     */
    @Override
    default RealTimeSupport realTime(ConnectorOptions options) {
        return RealTimeSupport.refused(
                "it writes micro-batches, which real-time mode does not have",
                "use the kafka or console sink, or a micro-batch trigger");
    }

    /**
     * Checks that need the outside world (the sink's directory, a table's schema), run once by
     * {@code start()} after validation passed and before the query starts; {@link #write} and
     * {@link #validate} never do I/O, so that validating a pipeline stays offline. Each failure
     * is a message without the connector prefix.
     */
    @Evolving
    default List<String> preflight(SinkContext context, ConnectorOptions options) {
        return List.of();
    }

    /**
     * {@link #preflight(SinkContext, ConnectorOptions)} for a sink whose outside-world check
     * compares the rows it will receive with what is there (a database table's columns and
     * keys); the framework calls this one, which defaults to the other.
     *
     * @param schema the schema of every batch the sink will receive
     */
    @Evolving
    default List<String> preflight(SinkContext context, ConnectorOptions options, StructType schema) {
        return preflight(context, options);
    }

    /**
     * Where the sink writes with these options, when the options say (Kafka: the {@code topic}
     * option on its cluster); compared with {@link StreamSource#reads} to refuse a pipeline
     * that would read its own output. Empty when unknown or decided per row.
     */
    @Evolving
    default List<Place> writes(ConnectorOptions options) {
        return List.of();
    }

    /**
     * Configures the writer for validated options; the framework does the rest and starts it.
     * The writer must compute every row of each batch — the batch's offsets are committed
     * whatever it keeps, and its rows are where the source decodes, counts and dead-letters — so
     * a sink that keeps part of a batch ({@code show}, {@code take}, {@code tail}) reads it through
     * {@link WholeBatch#read}.
     */
    DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options);

    /**
     * Whether this sink can be one of several sinks of a pipeline, written from each batch the
     * source is read for once: the framework then writes it through {@link #batchWriter} inside
     * its own {@code foreachBatch} instead of starting a query with {@link #write}. False by
     * default: such a pipeline with this sink is refused before start, in words.
     */
    @Evolving
    default boolean writesBatches() {
        return false;
    }

    /**
     * The writer of one batch as a static {@code Dataset}, for a pipeline with several sinks
     * (see {@link #writesBatches}); built on the driver when the query starts, as {@link
     * BatchSink#writer} is. The framework keeps a record per sink of the batches it wrote and
     * does not give a recorded batch again; a batch whose write ended and whose record did not
     * (the process killed between them) is given again, so a sink that {@link #deliversOnce}
     * recognises it.
     *
     * @param schema the schema of every batch the writer will get (after the sink's own {@code
     *     where} and columns)
     */
    @Evolving
    default BatchWriter batchWriter(SinkContext context, ConnectorOptions options, StructType schema) {
        throw new UnsupportedOperationException("sink '" + name() + "' does not write batches of several sinks");
    }

    /**
     * Whether this sink, writing with {@code options}, leaves its destination as one delivery
     * would when Spark gives it the same batch again (a file sink's log, Delta's transaction ids,
     * a ledger): exactly once. False (at least once) by default, as Spark's Kafka sink is. Said by
     * {@code sluice explain}, and what a pipeline with several sinks promises per sink.
     */
    @Evolving
    default boolean deliversOnce(ConnectorOptions options) {
        return false;
    }

    /**
     * Whether this sink, writing with {@code options}, has written batch {@code batchId} of query
     * {@code queryId} (Spark's id, kept by the checkpoint) in a
     * record of its own that makes it skip that batch when it is given again (a file sink's log,
     * Delta's transaction ids, a ledger table): {@code true} when it has; {@code false} when it has
     * not, or keeps no such record (it writes every batch it is given); empty when it cannot tell
     * (the default). Asked by a command that changes a stopped pipeline's checkpoint ({@code sluice
     * checkpoint rewind}): a batch Spark planned and did not commit may be planned again with
     * other records only when the sink will not skip it.
     */
    default java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        return java.util.Optional.empty();
    }

    /**
     * Whether this sink can empty what it wrote in one atomic step — readers then see all the
     * rows before or none, never a part (a Delta table: one commit) — for {@code sluice run
     * --full-refresh}, which starts the pipeline over from its source's beginning. The default
     * cannot: a directory of files is deleted file by file while readers read it.
     */
    default boolean emptiesAtomically(ConnectorOptions options) {
        return false;
    }

    /**
     * Empties what this sink wrote, in one atomic step; called only when {@link
     * #emptiesAtomically} says it can. Returns what was done, in words, for the operator.
     */
    default String emptyAtomically(org.apache.spark.sql.SparkSession spark, ConnectorOptions options) {
        throw new UnsupportedOperationException("sink '" + name() + "' cannot empty what it wrote in one step");
    }
}
