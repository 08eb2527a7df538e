package io.sluice.sink.delta;

import static io.sluice.sink.delta.DeltaSinkOptions.*;

import com.google.auto.service.AutoService;
import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.Messages;
import io.sluice.core.OutputMode;
import io.sluice.core.PathCheck;
import io.sluice.core.Place;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code delta} sink: streaming into a Delta Lake table, exactly once for every reader
 * of the table (Delta's log is the commit, not a side file that readers must know about).
 *
 * <ul>
 *   <li>APPEND and COMPLETE go through Delta's own streaming sink (one table version per
 *   batch; COMPLETE replaces the table's rows with the latest result).</li>
 *   <li>With {@code mergeKeys} each batch is upserted by key ({@code MERGE}) through
 *   {@code foreachBatch}, with Delta's idempotent-write settings set to the query's id and the
 *   batch id: a batch Spark replays after a crash changes nothing. That is how UPDATE-mode
 *   aggregations and change streams land in a table once.</li>
 * </ul>
 */
@AutoService(StreamSink.class)
public final class DeltaSink implements BatchSink {

    @Override
    public String name() {
        return "delta";
    }

    @Override
    public String description() {
        return "Delta Lake tables: appends, replaces (complete) or upserts by key (mergeKeys), exactly once for every reader";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return ALL;
    }

    /** Another table under the same checkpoint would lack everything written before. */
    @Override
    public List<OptionSpec<?>> identityOptions() {
        return List.of(PATH, TABLE);
    }

    @Override
    public List<OptionRule> rules() {
        return List.of(
                OptionRules.exactlyOneOf(PATH, TABLE),
                OptionRules.requires(DELETE_COLUMN, MERGE_KEYS),
                OptionRules.requires(SEQUENCE_BY, MERGE_KEYS),
                OptionRules.requires(OPTIMIZE_ZORDER_BY, OPTIMIZE_EVERY));
    }

    @Override
    public Map<String, String> rejectedOptions() {
        return REJECTED;
    }

    @Override
    public Map<String, String> sessionSettings() {
        return SESSION;
    }

    /** Its directory, when given by path (a table's is the catalog's to know). */
    @Override
    public List<Place> writes(ConnectorOptions options) {
        return options.find(PATH)
                .map(path -> List.of(Place.directory(path).byOption(PATH.name())))
                .orElse(List.of());
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        List<String> problems = new ArrayList<>();
        options.find(PATH)
                .flatMap(path -> PathCheck.directory(PATH.name(), path, context.spark()))
                .ifPresent(problems::add);
        boolean merge = options.isSet(MERGE_KEYS);
        if (context.outputMode() == OutputMode.UPDATE && !merge) {
            problems.add(
                    "output mode UPDATE rewrites rows, which Delta's streaming sink cannot: set 'mergeKeys' to upsert"
                            + " each batch by key");
        }
        if (context.outputMode() == OutputMode.COMPLETE && merge) {
            problems.add("output mode COMPLETE replaces the table every batch, so 'mergeKeys' has nothing to merge:"
                    + " drop mergeKeys, or use outputMode update to merge the changed rows");
        }
        List<String> columns = List.of(schema.fieldNames());
        for (OptionSpec<List<String>> spec : List.of(MERGE_KEYS, PARTITION_BY)) {
            problems.addAll(
                    Messages.missingColumns(spec.name(), options.find(spec).orElse(List.of()), schema));
        }
        problems.addAll(Messages.missingColumns(
                SEQUENCE_BY.name(), options.find(SEQUENCE_BY).stream().toList(), schema));
        problems.addAll(Messages.missingColumns(
                OPTIMIZE_ZORDER_BY.name(), options.find(OPTIMIZE_ZORDER_BY).orElse(List.of()), schema));
        List<String> partitions = options.find(PARTITION_BY).orElse(List.of());
        options.find(OPTIMIZE_ZORDER_BY).orElse(List.of()).stream()
                .filter(partitions::contains)
                .findFirst()
                .ifPresent(column -> problems.add("option 'optimizeZOrderBy' names '" + column
                        + "', a column the table is partitioned by ('partitionBy'): each file holds one value of it"
                        + " already, so Delta refuses to cluster by it; name other columns"));
        if (merge
                && columns.containsAll(options.get(MERGE_KEYS))
                && !options.isSet(SEQUENCE_BY)
                && order(context, options).isEmpty()
                && !context.facts().uniquePerBatch(options.get(MERGE_KEYS))) {
            problems.add(
                    "option 'mergeKeys' merges one row per key, and a batch of this query can hold several rows of a key"
                            + " with nothing to say which came last: set 'sequenceBy' to a column that orders them (an event time, a"
                            + " version)"
                            + context.facts()
                                    .recordOrderColumns()
                                    .map(order -> ", or pass the source's "
                                            + String.join(" and ", order)
                                            + " columns through the query unchanged (SELECT ..., "
                                            + String.join(", ", order)
                                            + ")")
                                    .orElse("")
                            + ", and the last row of each key is merged");
        }
        options.find(DELETE_COLUMN).ifPresent(column -> {
            problems.addAll(Messages.missingColumns(DELETE_COLUMN.name(), List.of(column), schema));
            Messages.notBoolean(DELETE_COLUMN.name(), column, schema).ifPresent(problems::add);
        });
        if (problems.isEmpty()) {
            DeltaLocation.resolve(context.spark(), options)
                    .ifPresentOrElse(
                            location -> problems.addAll(TableSchema.compare(
                                    context.spark(),
                                    location,
                                    DeltaMerge.written(schema, options.find(DELETE_COLUMN)),
                                    options.get(MERGE_SCHEMA))),
                            () -> problems.add("option 'table' names '" + options.get(TABLE)
                                    + "', which is not a Delta table in the"
                                    + " session's catalog: create it first, or give a 'path'"));
        }
        return problems;
    }

    /**
     * Delta's own streaming sink, unless each batch needs more than one append: a merge by key, or
     * upkeep after it ({@code optimizeEvery}, {@code vacuumEvery}) — then {@code foreachBatch},
     * with the same transaction ids Delta's sink would use.
     */
    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        if (options.isSet(MERGE_KEYS) || options.isSet(OPTIMIZE_EVERY) || options.isSet(VACUUM_EVERY)) {
            return BatchSink.super.write(context, data, options);
        }
        String location = DeltaLocation.resolve(context.spark(), options).orElseThrow();
        DataStreamWriter<Row> writer = data.writeStream()
                .format("delta")
                .option("path", location)
                .option("mergeSchema", options.get(MERGE_SCHEMA));
        options.find(PARTITION_BY).ifPresent(columns -> writer.partitionBy(columns.toArray(String[]::new)));
        return writer;
    }

    @Override
    public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
        String location = DeltaLocation.resolve(context.spark(), options).orElseThrow();
        List<String> partitionBy = options.find(PARTITION_BY).orElse(List.of());
        BatchWriter write = options.isSet(MERGE_KEYS)
                ? new DeltaMerge(
                        location,
                        options.get(MERGE_KEYS),
                        order(context, options),
                        options.find(SEQUENCE_BY),
                        options.find(DELETE_COLUMN),
                        partitionBy,
                        options.get(MERGE_SCHEMA),
                        schema)::write
                : new DeltaAppend(
                                location,
                                context.outputMode() == OutputMode.COMPLETE,
                                partitionBy,
                                options.get(MERGE_SCHEMA))::write;
        return DeltaMaintenance.of(
                        context,
                        location,
                        options.find(OPTIMIZE_EVERY),
                        options.find(OPTIMIZE_ZORDER_BY).orElse(List.of()),
                        options.find(VACUUM_EVERY))
                .<BatchWriter>map(upkeep -> (batch, rows) -> {
                    write.write(batch, rows);
                    upkeep.after(rows.sparkSession(), batch);
                })
                .orElse(write);
    }

    /**
     * The columns that say which row of a key in one batch is the last, most significant
     * first: {@code sequenceBy}, then the source's record order when the query passes it
     * through (a tie-break for rows of one sequence value); empty when the plan proves each
     * key unique per batch (an UPDATE-mode aggregation by the keys) or nothing orders the rows.
     */
    private static List<String> order(SinkContext context, ConnectorOptions options) {
        if (!options.isSet(SEQUENCE_BY) && context.facts().uniquePerBatch(options.get(MERGE_KEYS))) {
            return List.of();
        }
        List<String> order = new ArrayList<>();
        options.find(SEQUENCE_BY).ifPresent(order::add);
        context.facts().sourceOrder().ifPresent(order::addAll);
        return order;
    }

    /** Delta's log says: each batch commits with the query's id and the batch id, and a batch it has is skipped. */
    @Override
    public java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        return DeltaLocation.resolve(spark, options)
                .map(location -> {
                    java.util.OptionalLong last = DeltaTransactions.lastBatch(spark, location, queryId);
                    return last.isPresent() && last.getAsLong() >= batchId;
                })
                .or(() -> java.util.Optional.of(false)); // no table yet: nothing written
    }

    /** A Delta table is emptied in one commit: readers see the rows before or none, and time travel keeps the old ones. */
    @Override
    public boolean emptiesAtomically(ConnectorOptions options) {
        return true;
    }

    @Override
    public String emptyAtomically(org.apache.spark.sql.SparkSession spark, ConnectorOptions options) {
        java.util.Optional<String> location = DeltaLocation.resolve(spark, options);
        if (location.isEmpty() || !io.delta.tables.DeltaTable.isDeltaTable(spark, location.get())) {
            return "no table at " + location.orElse(options.get(TABLE)) + " yet: nothing to empty";
        }
        io.delta.tables.DeltaTable table = io.delta.tables.DeltaTable.forPath(spark, location.get());
        table.delete();
        long version = table.history(1).first().getAs("version");
        return "the table at " + location.get() + " emptied in one commit (version " + version + "; the rows before"
                + " stay readable with VERSION AS OF " + (version - 1) + " until vacuumed)";
    }
}
