package io.sluice.core;

import io.sluice.core.option.ConnectorOptions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;

/**
 * A connector that reads a stream: the service interface every source implements.
 *
 * <p>Register an implementation with {@code @AutoService(StreamSource.class)}; Sluice finds
 * it with {@link java.util.ServiceLoader} by its {@link #name()}. The source only turns
 * options that already passed validation into a streaming {@code Dataset}; it never starts a
 * query. {@link #read} runs during validation too (to analyse the whole plan before
 * anything starts), so it must not do I/O: checks against the outside world belong in
 * {@link #preflight}.
 */
public interface StreamSource extends Connector {

    @Override
    default ConnectorKind kind() {
        return ConnectorKind.SOURCE;
    }

    /** Spark 4.2's real-time mode reads Kafka only: a source says yes only when Spark's allowlist has it. */
    @Override
    default RealTimeSupport realTime(ConnectorOptions options) {
        return RealTimeSupport.refused(
                "Spark 4.2's real-time mode reads only Kafka", "use the kafka source, or a micro-batch trigger");
    }

    /**
     * The columns of the source's rows that give the order it read its records in, most
     * significant first (Kafka: {@code partition}, {@code offset}): a sink that must keep the
     * last of several rows of a key in one batch, such as an upsert, orders by them when the
     * query passes them through. Empty when the source has no such order.
     */
    @Evolving
    default List<String> recordOrder() {
        return List.of();
    }

    /**
     * Where the source reads with these options (Kafka: its topics on its cluster). A pipeline
     * whose sink writes a place its source reads is refused before start: it would read its
     * own output without end. Empty when unknown.
     */
    @Evolving
    default List<Place> reads(ConnectorOptions options) {
        return List.of();
    }

    /**
     * The columns {@link #read} would give reading a place another pipeline writes, from the
     * columns that pipeline writes there ({@code written}): a Delta table's reader gives the
     * table's columns, and with {@code readChangeFeed} the change columns after them. When one
     * pipeline of a file reads what another writes, Sluice validates the reader against a stream
     * of these columns, so a whole chain is checked before its first table exists. Empty (the
     * default) when what the source gives does not follow what is written there (a Kafka
     * source's columns come from its declared {@code value.schema}): the reader is then validated
     * by reading its place as it is.
     */
    @Evolving
    default java.util.Optional<org.apache.spark.sql.types.StructType> columnsReading(
            ConnectorOptions options, org.apache.spark.sql.types.StructType written) {
        return java.util.Optional.empty();
    }

    /**
     * Where the source itself writes with these options (a dead letter's directory or topic):
     * a sink that writes the same place, or a directory inside it, is refused before start —
     * the two outputs would mix. Empty when the source writes nothing.
     */
    @Evolving
    default List<Place> writes(ConnectorOptions options) {
        return List.of();
    }

    /**
     * How many records the source had yet to read when a batch ended, per partition of what it
     * reads ({@code orders-0} → 1200), from Spark's progress of that batch (Kafka: the latest
     * offsets minus the batch's end offsets). The pipeline's progress line shows the sum; the
     * metrics endpoint the sum, the spread, and each partition when asked. Per partition because
     * one stuck partition hides in a sum: operators alert on the largest. Empty when the source
     * cannot tell. When Spark's progress lacks the latest offsets (a batch replayed from the
     * checkpoint, the available-now trigger) a source may ask its system, briefly: this runs on
     * the thread that reports every query's progress.
     */
    @Evolving
    default Map<String, Long> backlog(ConnectorOptions options, SourceProgress progress) {
        return Map.of();
    }

    /**
     * What to tell after each committed batch of a query that reads this source, when its options
     * ask for it (Kafka's {@code commitOffsetsTo}); empty by default. Called once per start, on the
     * driver; the listener is closed when the query stops.
     */
    @Evolving
    default java.util.Optional<CommitListener> onCommit(SourceContext context, ConnectorOptions options) {
        return java.util.Optional.empty();
    }

    /**
     * Whether a failure of the query is one this source resolves by being planned and started
     * again on the same checkpoint, and why, in words for the line that reports the restart —
     * for what a source learns only while it runs and takes in only at a start (Kafka: a record
     * written with a schema registered after the pipeline started, whose columns the new start
     * reads). {@code causes} is the failure's chain, outermost first. Empty by default: a failure
     * stops the pipeline.
     *
     * <p>The engine restarts at most once per reason without a committed batch between, so a
     * reason that a restart does not remove fails the pipeline with the source's explanation
     * ({@link Connector#explainFailure}). The failed batch is redone from the checkpoint: sinks
     * that are exactly once stay so across the restart.
     */
    @Evolving
    default java.util.Optional<String> restartFor(List<Throwable> causes) {
        return java.util.Optional.empty();
    }

    /**
     * Checks that need the outside world (the broker, the checkpoint's files), run once by
     * {@code start()} after validation passed and before the query starts; {@link #read}
     * never does I/O, so that validating a pipeline stays offline. Each failure is a message
     * without the connector prefix, reported as a problem of the pipeline.
     */
    @Evolving
    default List<String> preflight(SourceContext context, ConnectorOptions options) {
        return List.of();
    }

    /**
     * A bounded sample of what {@link #read} would produce, for {@code sluice preview}: the
     * latest records of each partition (reading the source's system, as a batch), or the
     * records {@code request} gives, decoded exactly as {@code read} decodes them, with the
     * records that do not decode and why. Writes nothing and commits nothing: a preview must
     * leave production as it found it. Empty when the source cannot take a sample, which the
     * preview says.
     */
    @Evolving
    default java.util.Optional<SourceSample> sample(
            SourceContext context, ConnectorOptions options, SampleRequest request) {
        return java.util.Optional.empty();
    }

    /**
     * The shape of this source's records when they are given by hand instead of read from its
     * system, for a test run ({@code sluice test}): its raw columns, and which given records it
     * would not decode and why. With a fixture, a test runs {@link #read} unchanged on a stream
     * of given batches ({@link SourceContext#stream} answers it), without the source's system.
     * Empty when the source cannot be tested so, which the test run says.
     */
    @Evolving
    default java.util.Optional<SourceFixture> fixture(SourceContext context, ConnectorOptions options) {
        return java.util.Optional.empty();
    }

    /** Builds the streaming {@code Dataset} from validated options, without I/O. */
    Dataset<Row> read(SourceContext context, ConnectorOptions options);

    /**
     * Where the source's system is, in the source's offsets, for the operator's commands on a
     * checkpoint ({@code sluice checkpoint show}, {@code rewind}); empty when the source cannot say
     * (the default). Called outside any query, with the pipeline's options.
     */
    default java.util.Optional<SourcePositions> positions(ConnectorOptions options) {
        return java.util.Optional.empty();
    }

    /**
     * Where the pipeline's expectations may set rows aside ({@code onViolation: quarantine}), when
     * these options give the source a dead letter; empty when they do not (the default), and a
     * pipeline that quarantines is then refused before start with the fix.
     */
    @Evolving
    default java.util.Optional<Quarantine> quarantine(SourceContext context, ConnectorOptions options) {
        return java.util.Optional.empty();
    }
}
