package io.sluice.sink.jdbc;

import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of the {@code jdbc} sink: Spark's JDBC names where Spark has them ({@code url},
 * {@code dbtable}, {@code user}, {@code password}, {@code driver}, {@code batchsize}), the
 * delta sink's for an upsert ({@code mergeKeys}, {@code sequenceBy}, {@code deleteColumn}).
 * Declared once.
 */
final class JdbcSinkOptions {
    private JdbcSinkOptions() {}

    static final String APPEND = "append";
    static final String UPSERT = "upsert";

    static final OptionSpec<String> URL = OptionSpec.stringOption("url")
            .required()
            .description("JDBC URL of the database (jdbc:postgresql://host:5432/db); the password goes in 'password',"
                    + " not here")
            .check(OptionCheck.of(url -> url.startsWith("jdbc:"), "must be a JDBC URL", "jdbc:..."))
            .build();
    static final OptionSpec<String> DBTABLE = OptionSpec.stringOption("dbtable")
            .required()
            .description("The existing table to write (table or schema.table), as Spark's JDBC writer names it")
            .check(OptionCheck.of(
                    table -> table.matches("[^.\\s\"`]+(\\.[^.\\s\"`]+)?"),
                    "must be a table name or schema.table, unquoted",
                    "orders or sales.orders"))
            .build();
    static final OptionSpec<String> USER = OptionSpec.stringOption("user")
            .description("Database user; the URL's or the driver's default when not set")
            .build();
    static final OptionSpec<String> PASSWORD = OptionSpec.stringOption("password")
            .secret()
            .description("Database password (a secret: masked in every message, log line and plan)")
            .build();
    static final OptionSpec<String> DRIVER = OptionSpec.stringOption("driver")
            .description("JDBC driver class to load, for a driver that does not register itself;"
                    + " PostgreSQL's comes with the sink")
            .build();
    static final OptionSpec<String> MODE = OptionSpec.oneOfOption("mode", APPEND, UPSERT)
            .description("append inserts every row; upsert inserts or updates by 'mergeKeys' (and deletes by"
                    + " 'deleteColumn'). Default: upsert when mergeKeys is set, else append")
            .build();
    static final OptionSpec<List<String>> MERGE_KEYS = OptionSpec.listOption("mergeKeys")
            .description("Upsert by these columns, backed by the table's primary key or a unique index")
            .build();
    static final OptionSpec<String> SEQUENCE_BY = OptionSpec.stringOption("sequenceBy")
            .description("With mergeKeys: a column that orders the changes of a key (an event time, a version, an LSN);"
                    + " a row older than the table's row of its key changes nothing. Without it, rows apply in the order"
                    + " the source gives them (Kafka: offset order within a partition)")
            .build();
    static final OptionSpec<String> DELETE_COLUMN = OptionSpec.stringOption("deleteColumn")
            .description("With mergeKeys: a boolean column; a row where it is true deletes its key from the table"
                    + " (the column itself is not written)")
            .build();
    static final OptionSpec<Integer> BATCH_SIZE = OptionSpec.intOption("batchsize")
            .defaultValue(1000)
            .description("Rows sent to the database per round trip (JDBC batch), as in Spark's JDBC writer")
            .check(OptionCheck.positive())
            .build();
    static final OptionSpec<String> DIALECT = OptionSpec.oneOfOption("dialect", "auto", "postgresql", "merge")
            .defaultValue("auto")
            .description("How an upsert is written: postgresql (INSERT ... ON CONFLICT) or merge (standard SQL MERGE);"
                    + " auto chooses postgresql for jdbc:postgresql: URLs and merge for the others")
            .build();
    static final OptionSpec<String> LEDGER_TABLE = OptionSpec.stringOption("ledgerTable")
            .defaultValue("sluice_batches")
            .description("Table where each written (table, query, batch, partition) is recorded in the same transaction"
                    + " as its rows, so that a replay writes nothing twice; created when missing")
            .check(OptionCheck.of(
                    table -> table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?"),
                    "must be a plain table name or schema.table",
                    "sluice_batches"))
            .build();
    static final OptionSpec<Integer> MAX_RETRIES = OptionSpec.intOption("maxRetries")
            .defaultValue(3)
            .description("Times a batch is tried again after a lost connection, a deadlock or a serialization failure"
                    + " (the partitions already written are skipped) before the batch fails")
            .check(OptionCheck.notNegative())
            .build();

    static final List<OptionSpec<?>> ALL = List.of(
            URL,
            DBTABLE,
            USER,
            PASSWORD,
            DRIVER,
            MODE,
            MERGE_KEYS,
            SEQUENCE_BY,
            DELETE_COLUMN,
            BATCH_SIZE,
            DIALECT,
            LEDGER_TABLE,
            MAX_RETRIES);

    /** Names users bring from other tools, and what Sluice's sink does instead. */
    static final Map<String, String> REJECTED = Map.of(
            "table", "the table is option 'dbtable', as in Spark's JDBC writer",
            "keys", "the key columns of an upsert are option 'mergeKeys', as in the delta sink",
            "truncate", "a stream appends or upserts; emptying the table is a job of its own",
            "createTableOptions", "the sink writes an existing table, checked before start: create it first",
            "createTableColumnTypes", "the sink writes an existing table, checked before start: create it first",
            "isolationLevel",
                    "each partition of a batch is written in one transaction at the database's default isolation",
            "query", "a sink writes a table ('dbtable'); 'query' is for reading");

    /** The mode the options ask for: {@code mode}, else upsert when keys are given. */
    static String mode(io.sluice.core.option.ConnectorOptions options) {
        return options.find(MODE).orElse(options.isSet(MERGE_KEYS) ? UPSERT : APPEND);
    }

    /** The dialect the options ask for, {@code auto} resolved from the URL. */
    static Dialect dialect(io.sluice.core.option.ConnectorOptions options) {
        String dialect = options.get(DIALECT);
        if (dialect.equals("auto")) {
            return options.get(URL).toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")
                    ? Dialect.POSTGRESQL
                    : Dialect.MERGE;
        }
        return dialect.equals("postgresql") ? Dialect.POSTGRESQL : Dialect.MERGE;
    }
}
