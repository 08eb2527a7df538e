package io.sluice.sink.jdbc;

import static io.sluice.sink.jdbc.JdbcSinkOptions.*;

import com.google.auto.service.AutoService;
import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.Messages;
import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code jdbc} sink: each micro-batch appended or upserted into an existing table of a
 * JDBC database — PostgreSQL first ({@code INSERT ... ON CONFLICT}), any database with the
 * standard {@code MERGE} — exactly once.
 *
 * <p>Every partition of a batch is written in one transaction together with its row in a
 * ledger table ({@link Ledger}), so a batch Spark delivers again after a crash, or a task it
 * runs again, writes nothing twice. Before start the database is asked whether the table is
 * there, whether the rows fit its columns (column by column) and whether the upsert's keys are
 * a unique key; at run time a refused row is named by its key, and a lost connection is
 * tried again a bounded number of times before the batch fails.
 */
@AutoService(StreamSink.class)
public final class JdbcSink implements BatchSink {

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "Tables in PostgreSQL and other JDBC databases: appends or upserts (and deletes) by key, exactly once";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return ALL;
    }

    /** Another database or table under the same checkpoint would lack everything written before. */
    @Override
    public List<OptionSpec<?>> identityOptions() {
        return List.of(URL, DBTABLE);
    }

    @Override
    public List<OptionRule> rules() {
        return List.of(
                OptionRules.requiredWhen(MERGE_KEYS, MODE, UPSERT, "the columns an upsert finds a row by"),
                OptionRules.requires(SEQUENCE_BY, MERGE_KEYS),
                OptionRules.requires(DELETE_COLUMN, MERGE_KEYS));
    }

    @Override
    public Map<String, String> rejectedOptions() {
        return REJECTED;
    }

    /** A whole result replaced every batch is not a table write; an upsert of the changed rows is. */
    @Override
    public OutputModes outputModes() {
        return OutputModes.only(
                "the jdbc sink does not replace a table every batch: use outputMode update with 'mergeKeys', and each"
                        + " batch upserts the rows that changed",
                OutputMode.APPEND,
                OutputMode.UPDATE);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        List<String> problems = new ArrayList<>();
        if (JdbcUrls.hasPassword(options.get(URL))) {
            problems.add("option 'url' carries a password (" + JdbcUrls.masked(options.get(URL)) + "), which would"
                    + " show wherever the URL is printed: take it out of the URL and set option 'password' (a secret,"
                    + " masked everywhere)");
        }
        boolean upsert = mode(options).equals(UPSERT);
        if (!upsert && options.isSet(MERGE_KEYS)) {
            problems.add("option 'mergeKeys' is for an upsert, and option 'mode' = 'append' inserts every row: set mode"
                    + " upsert, or drop mergeKeys");
        }
        if (context.outputMode() == OutputMode.UPDATE && !upsert) {
            problems.add(
                    "output mode UPDATE rewrites rows, which an append cannot: set 'mergeKeys' to upsert each batch"
                            + " by key");
        }
        problems.addAll(Messages.missingColumns(
                MERGE_KEYS.name(), options.find(MERGE_KEYS).orElse(List.of()), schema));
        problems.addAll(Messages.missingColumns(
                SEQUENCE_BY.name(), options.find(SEQUENCE_BY).stream().toList(), schema));
        options.find(DELETE_COLUMN).ifPresent(column -> {
            problems.addAll(Messages.missingColumns(DELETE_COLUMN.name(), List.of(column), schema));
            Messages.notBoolean(DELETE_COLUMN.name(), column, schema).ifPresent(problems::add);
            if (options.find(MERGE_KEYS).orElse(List.of()).contains(column)) {
                problems.add("option 'deleteColumn' names key column '" + column + "': a delete needs its own boolean"
                        + " column");
            }
        });
        return problems;
    }

    /** The database answers, the table is there, the rows fit it, the upsert's keys are a unique key. */
    @Override
    public List<String> preflight(SinkContext context, ConnectorOptions options, StructType schema) {
        Database database = database(context, options);
        Connection db;
        try {
            db = database.connect();
        } catch (SQLException e) {
            return List.of(JdbcFailures.unreachable(database, e).getMessage());
        }
        try (db) {
            return WritePlan.inspect(db, database, options, schema, zone(context))
                    .problems();
        } catch (SQLException e) {
            return List.of("cannot read the description of table '" + options.get(DBTABLE) + "' from " + database.who()
                    + ": " + JdbcFailures.firstLine(e));
        }
    }

    @Override
    public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
        return new JdbcBatchWriter(
                database(context, options), options, schema, zone(context), options.get(MAX_RETRIES));
    }

    /** A refused row, a database that does not answer, a permission: the sink's own words. */
    @Override
    public Optional<String> explainFailure(List<Throwable> causes, Optional<Duration> silentFor) {
        return JdbcWriteException.in(causes)
                .map(failure -> failure.retriable()
                        ? failure.getMessage() + " — once the database answers, " + Messages.RESUMES
                        : failure.getMessage());
    }

    /** The ledger says: a partition of the batch recorded there is one the sink skips when given it again. */
    @Override
    public Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        String ledger = options.get(JdbcSinkOptions.LEDGER_TABLE);
        try (java.sql.Connection db = Database.of(options, "sluice checkpoint").connect()) {
            Optional<TableShape> table = TableShape.read(db, options.get(JdbcSinkOptions.DBTABLE));
            if (table.isEmpty() || TableShape.read(db, ledger).isEmpty()) {
                return Optional.of(false);
            }
            try (java.sql.PreparedStatement written = db.prepareStatement(
                    "SELECT count(*) FROM " + ledger + " WHERE target_table = ? AND query_id = ? AND batch_id = ?")) {
                written.setString(1, table.get().target());
                written.setString(2, queryId);
                written.setLong(3, batchId);
                try (java.sql.ResultSet rows = written.executeQuery()) {
                    return Optional.of(rows.next() && rows.getLong(1) > 0);
                }
            }
        } catch (java.sql.SQLException e) {
            org.slf4j.LoggerFactory.getLogger(JdbcSink.class)
                    .warn("cannot read the ledger {} to say whether batch {} was written", ledger, batchId, e);
            return Optional.empty();
        }
    }

    private static Database database(SinkContext context, ConnectorOptions options) {
        return Database.of(options, "sluice " + context.pipelineName());
    }

    private static String zone(SinkContext context) {
        return context.spark().conf().get("spark.sql.session.timeZone");
    }
}
