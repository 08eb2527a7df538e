package io.sluice.sink.delta;

import io.sluice.core.option.OptionSpec;
import java.util.List;
import java.util.Map;

/** The options of the {@code delta} sink, with Delta's names where Delta has them. Declared once. */
final class DeltaSinkOptions {
    private DeltaSinkOptions() {}

    static final OptionSpec<String> PATH = OptionSpec.stringOption("path")
            .description("Directory of the Delta table; created by the first batch")
            .build();
    static final OptionSpec<String> TABLE = OptionSpec.stringOption("table")
            .description("Name of an existing Delta table in the session's catalog, instead of a path")
            .build();
    static final OptionSpec<List<String>> PARTITION_BY = OptionSpec.listOption("partitionBy")
            .description("Columns the table is partitioned by, when the sink creates it")
            .build();
    static final OptionSpec<Boolean> MERGE_SCHEMA = OptionSpec.booleanOption("mergeSchema")
            .defaultValue(false)
            .description("Add the query's new columns to the table's schema instead of refusing them")
            .build();
    static final OptionSpec<List<String>> MERGE_KEYS = OptionSpec.listOption("mergeKeys")
            .description("Upsert each batch by these key columns (MERGE), once per batch even when Spark replays it:"
                    + " for UPDATE-mode aggregations and change streams")
            .build();
    static final OptionSpec<String> SEQUENCE_BY = OptionSpec.stringOption("sequenceBy")
            .description(
                    "With mergeKeys: a column that orders the rows of a key (an event time, a version); of several rows"
                            + " of a key in a batch the last by it is merged, and a row older than the table's changes nothing."
                            + " Without it, the source's order (Kafka: partition, offset) when the query passes it through")
            .build();
    static final OptionSpec<String> DELETE_COLUMN = OptionSpec.stringOption("deleteColumn")
            .description("With mergeKeys: a boolean column; a row where it is true deletes its key from the table"
                    + " (the column itself is not written)")
            .build();

    static final OptionSpec<Integer> OPTIMIZE_EVERY = OptionSpec.intOption("optimizeEvery")
            .description("Compact the table's small files (Delta's OPTIMIZE) at the end of every N-th batch, its time"
                    + " counted in that batch and shown on its progress line; off when unset")
            .check(io.sluice.core.option.OptionCheck.positive())
            .build();
    static final OptionSpec<List<String>> OPTIMIZE_ZORDER_BY = OptionSpec.listOption("optimizeZOrderBy")
            .description("With optimizeEvery: cluster the compacted files by these columns (OPTIMIZE ... ZORDER BY), so"
                    + " that reads filtering on them skip files")
            .build();
    static final OptionSpec<java.time.Duration> VACUUM_EVERY = OptionSpec.durationOption("vacuumEvery")
            .description("Delete files the table no longer references (Delta's VACUUM) at the end of a batch when this"
                    + " long has passed since the table's last vacuum; files stay for the table's"
                    + " delta.deletedFileRetentionDuration (Delta's default: 7 days), which time travel and slow readers"
                    + " need; off when unset")
            .check(io.sluice.core.option.OptionCheck.positive())
            .build();

    static final List<OptionSpec<?>> ALL = List.of(
            PATH,
            TABLE,
            PARTITION_BY,
            MERGE_SCHEMA,
            MERGE_KEYS,
            SEQUENCE_BY,
            DELETE_COLUMN,
            OPTIMIZE_EVERY,
            OPTIMIZE_ZORDER_BY,
            VACUUM_EVERY);

    /** What a stream cannot do with a Delta table, and what to do instead. */
    static final Map<String, String> REJECTED = Map.of(
            "overwriteSchema",
                    "a stream cannot replace the table's schema between batches; add columns with mergeSchema,"
                            + " or rewrite the table with a batch job",
            "replaceWhere",
                    "a stream appends, replaces (outputMode complete) or merges (mergeKeys); replacing a slice is a batch job",
            "txnAppId", "Sluice sets it to the query's id, so that a replayed batch is written once",
            "txnVersion", "Sluice sets it to the batch id, so that a replayed batch is written once");

    /** What Delta Lake needs in the session: its SQL extension and its catalog. */
    static final Map<String, String> SESSION = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
}
