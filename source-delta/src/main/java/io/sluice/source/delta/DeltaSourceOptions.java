package io.sluice.source.delta;

import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import java.util.Map;

/** The options of the {@code delta} source, with Delta's names: passed to Delta's streaming reader as they are. */
final class DeltaSourceOptions {
    private DeltaSourceOptions() {}

    static final OptionSpec<String> PATH = OptionSpec.stringOption("path")
            .description("Directory of the Delta table (the one holding _delta_log)")
            .build();
    static final OptionSpec<String> TABLE = OptionSpec.stringOption("table")
            .description("Name of a Delta table in the session's catalog, instead of a path")
            .build();
    static final OptionSpec<Boolean> READ_CHANGE_FEED = OptionSpec.booleanOption("readChangeFeed")
            .defaultValue(false)
            .description("Stream the table's change feed — inserts, updates (pre- and post-image) and deletes, with"
                    + " _change_type, _commit_version and _commit_timestamp — instead of its appends; the table needs"
                    + " delta.enableChangeDataFeed = true")
            .build();
    static final OptionSpec<String> STARTING_VERSION = OptionSpec.stringOption("startingVersion")
            .description("The table version to start from (a number, or 'latest' for only what comes after the start);"
                    + " default: the table as it is, then its changes")
            .build();
    static final OptionSpec<String> STARTING_TIMESTAMP = OptionSpec.stringOption("startingTimestamp")
            .description("Start from the first version committed at or after this time (2026-12-01 or"
                    + " 2026-12-01T08:00:00Z)")
            .build();
    static final OptionSpec<Integer> MAX_FILES_PER_TRIGGER = OptionSpec.intOption("maxFilesPerTrigger")
            .description("At most this many new files per batch (Delta's default: 1000)")
            .check(OptionCheck.positive())
            .build();
    static final OptionSpec<String> MAX_BYTES_PER_TRIGGER = OptionSpec.stringOption("maxBytesPerTrigger")
            .description("About this much new data per batch (e.g. 1g); a soft limit: a batch holds at least one file")
            .build();
    static final OptionSpec<Boolean> IGNORE_DELETES = OptionSpec.booleanOption("ignoreDeletes")
            .defaultValue(false)
            .description("Go on past commits that delete whole partitions (else the stream fails there)")
            .build();
    static final OptionSpec<Boolean> SKIP_CHANGE_COMMITS = OptionSpec.booleanOption("skipChangeCommits")
            .defaultValue(false)
            .description("Skip commits that change or delete existing rows (UPDATE, MERGE, DELETE) and read the appends"
                    + " only (else the stream fails at such a commit; read the change feed to see them)")
            .build();

    static final List<OptionSpec<?>> ALL = List.of(
            PATH,
            TABLE,
            READ_CHANGE_FEED,
            STARTING_VERSION,
            STARTING_TIMESTAMP,
            MAX_FILES_PER_TRIGGER,
            MAX_BYTES_PER_TRIGGER,
            IGNORE_DELETES,
            SKIP_CHANGE_COMMITS);

    /** Delta's options for a stream that are Delta's past, and what replaced them. */
    static final Map<String, String> REJECTED = Map.of(
            "ignoreChanges",
            "Delta replaced it: skipChangeCommits skips commits that rewrite rows (ignoreChanges re-emitted their"
                    + " rows, duplicates included), and readChangeFeed streams the changes themselves",
            "ignoreFileDeletion",
            "Delta replaced it with ignoreDeletes");

    /** What Delta Lake needs in the session: its SQL extension and its catalog. */
    static final Map<String, String> SESSION = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
}
