package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriteException;
import io.sluice.core.BatchWriter;
import io.sluice.core.ConnectorKind;
import io.sluice.core.Counter;
import io.sluice.core.OutputModes;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamingQueries;
import io.sluice.core.option.ConnectorOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.storage.StorageLevel;

/**
 * The sink of a pipeline that writes several sinks (or one that gets part of the rows): one
 * query, one read of the source per batch, and a {@code foreachBatch} that writes each sink
 * from that batch — kept in memory (or on disk) while they write, so the source is not read
 * again per sink and its counts and dead letters happen once.
 *
 * <h2>Exactly once per sink</h2>
 * When a sink's write ends, a record of that batch is kept for it under the checkpoint
 * ({@link SinkRecords}); when Spark gives a batch again (a sink after it failed, the process
 * was killed), the sinks that have the record are not written again. One window remains: a
 * sink whose write ended and whose record was not yet kept is written again — a sink that
 * {@link StreamSink#deliversOnce delivers once} (file sinks' log, Delta's transaction ids, the
 * JDBC sink's ledger) skips it itself; one that does not (Kafka) writes it twice, as Spark's
 * own Kafka sink does after a crash.
 */
public final class FanOut implements StreamSink {
    /** Its name as a sink: what the checkpoint guard records and messages about it say. */
    public static final String NAME = "sinks";

    private final List<Route> routes;
    private final Optional<String> checkpoint;

    /** One of the sinks: as declared, its connector, and its options as validated. */
    public record Route(SinkSpec spec, StreamSink sink, ConnectorOptions options) {
        public Route {
            requireNonNull(spec, "spec is null");
            requireNonNull(sink, "sink is null");
            requireNonNull(options, "options is null");
        }

        /** The rows and columns of {@code data} this sink gets. */
        public Dataset<Row> apply(Dataset<Row> data) {
            return apply(spec, data);
        }

        /** The rows and columns of {@code data} that {@code spec} gets. */
        public static Dataset<Row> apply(SinkSpec spec, Dataset<Row> data) {
            Dataset<Row> rows = spec.where().map(data::where).orElse(data);
            return spec.columns().isEmpty()
                    ? rows
                    : rows.selectExpr(spec.columns().toArray(String[]::new));
        }
    }

    public FanOut(List<Route> routes, Optional<String> checkpoint) {
        this.routes = List.copyOf(requireNonNull(routes, "routes is null"));
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * Among a plan's counters, the rows each sink got: one counter per sink, named after it
     * (what the progress line, the metrics and {@code /status} show per sink).
     */
    public static java.util.stream.Stream<Counter> written(List<Counter> counters) {
        return counters.stream().filter(counter -> counter.group().equals(NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Writes each batch to several sinks, exactly once per sink where the sink is";
    }

    /** A mode every sink writes; each sink's own refusal is said at its place. */
    @Override
    public OutputModes outputModes() {
        return OutputModes.all();
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public boolean schemaIsPermanent() {
        return routes.stream().anyMatch(route -> route.sink().schemaIsPermanent());
    }

    /** Each sink's checks, each message naming the sink it is about. */
    @Override
    public List<String> preflight(
            SinkContext context, ConnectorOptions options, org.apache.spark.sql.types.StructType schema) {
        List<String> problems = new ArrayList<>();
        for (Route route : routes) {
            org.apache.spark.sql.types.StructType routed = routedSchema(context, route, schema);
            route.sink()
                    .preflight(contextOf(context, route), route.options(), routed)
                    .forEach(message -> problems.add(route.spec().subject() + ": " + message));
        }
        return problems;
    }

    /**
     * The last batch sink {@code sink} of the pipeline checkpointed at {@code checkpoint} has
     * written, by its records; empty when it has none.
     */
    public static java.util.OptionalLong lastWritten(
            org.apache.hadoop.conf.Configuration hadoop, String checkpoint, String sink) {
        return SinkRecords.of(checkpoint, sink).last(hadoop);
    }

    /** The sinks that cannot empty themselves in one step, by name: none when a full refresh can empty them all. */
    public List<String> notEmptiedAtomically() {
        return routes.stream()
                .filter(route -> !route.sink().emptiesAtomically(route.options()))
                .map(route -> route.spec().name())
                .toList();
    }

    /**
     * Each sink in one step of its own (a Delta table in one commit): a reader of one table sees
     * it whole or empty, though two tables are emptied one after the other.
     */
    @Override
    public boolean emptiesAtomically(ConnectorOptions options) {
        return notEmptiedAtomically().isEmpty();
    }

    @Override
    public String emptyAtomically(org.apache.spark.sql.SparkSession spark, ConnectorOptions options) {
        return routes.stream()
                .map(route ->
                        "sink '" + route.spec().name() + "': " + route.sink().emptyAtomically(spark, route.options()))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /**
     * Written when every sink has the batch's record: a sink that has it skips the batch if
     * planned again, so for a rewind, one that has it is as good as all.
     */
    @Override
    public Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        return Optional.of(routes.stream()
                .anyMatch(route ->
                        SinkRecords.of(checkpoint.get(), route.spec().name()).has(hadoop, batchId)));
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        String location = checkpoint.orElseThrow(() -> new IllegalStateException(
                "a pipeline with several sinks needs a checkpoint location: validation should have said"));
        List<Writing> writings = new ArrayList<>();
        for (Route route : routes) {
            Dataset<Row> routed = route.apply(data);
            BatchWriter writer = route.sink().batchWriter(contextOf(context, route), route.options(), routed.schema());
            writings.add(new Writing(
                    route.spec(),
                    writer,
                    SinkRecords.of(location, route.spec().name()),
                    context.counter(NAME, route.spec().name())));
        }
        List<Writing> all = List.copyOf(writings);
        VoidFunction2<Dataset<Row>, Long> eachBatch = (rows, batchId) -> writeAll(all, rows, batchId);
        return data.writeStream().foreachBatch(eachBatch);
    }

    /** One sink as the batch loop holds it. */
    private record Writing(SinkSpec spec, BatchWriter writer, SinkRecords records, Counter written)
            implements Serializable {}

    private static void writeAll(List<Writing> writings, Dataset<Row> rows, long batchId) throws Exception {
        org.apache.hadoop.conf.Configuration hadoop =
                rows.sparkSession().sparkContext().hadoopConfiguration();
        List<Writing> pending = new ArrayList<>();
        for (Writing writing : writings) {
            if (!writing.records().has(hadoop, batchId)) {
                pending.add(writing);
            }
        }
        if (pending.isEmpty()) {
            return; // every sink wrote it; Spark had not yet recorded the batch as done
        }
        String queryId = StreamingQueries.currentQueryId(rows);
        Dataset<Row> kept = rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] counts = counts(kept, pending);
            for (int i = 0; i < pending.size(); i++) {
                Writing writing = pending.get(i);
                try {
                    writing.writer()
                            .write(
                                    new Batch(queryId, writing.spec().name(), batchId),
                                    Route.apply(writing.spec(), kept));
                } catch (BatchWriteException e) { // a batch sink's, named after its connector: named after this sink
                    throw new BatchWriteException(writing.spec().name(), batchId, e.getCause());
                } catch (Exception e) {
                    throw BatchSink.isStop(e)
                            ? e
                            : new BatchWriteException(writing.spec().name(), batchId, e);
                }
                writing.records().record(hadoop, batchId);
                writing.written().add(counts[i]);
            }
        } finally {
            kept.unpersist(false);
        }
    }

    /**
     * The rows each sink gets, counted in one pass that also fills the cache the sinks then read
     * (the source read once, here).
     */
    private static long[] counts(Dataset<Row> kept, List<Writing> pending) {
        List<Column> columns = new ArrayList<>();
        for (Writing writing : pending) {
            columns.add(writing.spec()
                    .where()
                    .map(where -> functions.sum(
                            functions.when(functions.expr(where), 1).otherwise(0)))
                    .orElse(functions.count(functions.lit(1))));
        }
        Row row = kept.agg(columns.get(0), columns.subList(1, columns.size()).toArray(Column[]::new))
                .first();
        long[] counts = new long[pending.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = row.isNullAt(i) ? 0 : ((Number) row.get(i)).longValue();
        }
        return counts;
    }

    private static org.apache.spark.sql.types.StructType routedSchema(
            SinkContext context, Route route, org.apache.spark.sql.types.StructType schema) {
        return route.spec().routes()
                ? route.apply(context.spark().createDataFrame(List.<Row>of(), schema))
                        .schema()
                : schema;
    }

    /**
     * The pipeline's settings as this sink sees them: its own name as the query's (the memory
     * sink names its table after it), and what the plan says of the rows unless its columns are
     * its own.
     */
    static SinkContext contextOf(SinkContext context, Route route) {
        return new SinkContext(
                context.spark(),
                context.pipelineName(),
                route.spec().name(),
                context.outputMode(),
                context.checkpointLocation(),
                context.trigger(),
                route.spec().columns().isEmpty() ? context.facts() : io.sluice.core.QueryFacts.unknown(),
                context.tracker());
    }

    /** In messages: the sink of a pipeline with several. */
    static String subject() {
        return ConnectorKind.SINK.subject(NAME);
    }
}
