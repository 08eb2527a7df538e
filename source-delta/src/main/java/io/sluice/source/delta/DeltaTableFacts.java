package io.sluice.source.delta;

import static io.sluice.source.delta.DeltaSourceOptions.*;

import io.delta.tables.DeltaTable;
import io.sluice.core.option.ConnectorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the source's options need the table to be, asked of the table before the query starts:
 * that it is there and is Delta, that its change feed is on when asked for, that a starting
 * version or time is one the table has. Each problem in words with the way out; Delta's own
 * errors for these come at the first batch, as stack traces.
 */
final class DeltaTableFacts {
    static final String CHANGE_FEED = "delta.enableChangeDataFeed";

    private DeltaTableFacts() {}

    /** The table the options name, or why there is none. */
    static Optional<DeltaTable> table(SparkSession spark, ConnectorOptions options, List<String> problems) {
        Optional<String> path = options.find(PATH);
        if (path.isPresent()) {
            if (DeltaTable.isDeltaTable(spark, path.get())) {
                return Optional.of(DeltaTable.forPath(spark, path.get()));
            }
            boolean exists = exists(spark, path.get());
            problems.add("option 'path' names " + path.get() + ", where there is no Delta table ("
                    + (exists ? "the directory has no _delta_log" : "it does not exist")
                    + "): give the table's directory, the one holding _delta_log"
                    + (exists ? "; a directory of parquet files is read by a files source, not this one" : ""));
            return Optional.empty();
        }
        String name = options.get(TABLE);
        if (!spark.catalog().tableExists(name)) {
            problems.add("option 'table' names '" + name
                    + "', which is not a table in the session's catalog: create it," + " or give a 'path'");
            return Optional.empty();
        }
        try {
            return Optional.of(DeltaTable.forName(spark, name));
        } catch (Exception e) { // AnalysisException: not a Delta table
            problems.add("option 'table' names '" + name + "', which is not a Delta table");
            return Optional.empty();
        }
    }

    /** Every problem of the options against the table; empty when the stream can start. */
    static List<String> check(SparkSession spark, ConnectorOptions options) {
        List<String> problems = new ArrayList<>();
        table(spark, options, problems).ifPresent(table -> problems.addAll(against(spark, table, options)));
        return problems;
    }

    private static List<String> against(SparkSession spark, DeltaTable table, ConnectorOptions options) {
        List<String> problems = new ArrayList<>();
        // each question is a Spark job on the table's log (seconds on a small cluster): asked only when an option needs
        // it
        if (options.get(READ_CHANGE_FEED)) {
            Row detail = table.detail().select("properties", "name", "location").first();
            Map<String, String> properties = detail.getJavaMap(0);
            String shown = detail.isNullAt(1) ? "delta.`" + detail.getString(2) + "`" : detail.getString(1);
            if (!"true".equalsIgnoreCase(properties.get(CHANGE_FEED))) {
                problems.add("option 'readChangeFeed' asks for the table's change feed, which is off for " + shown
                        + ": turn it on (ALTER TABLE " + shown + " SET TBLPROPERTIES (" + CHANGE_FEED
                        + " = true)) — changes are recorded from then on — or read the table's appends without"
                        + " readChangeFeed");
            }
        }
        if (options.find(STARTING_VERSION).isEmpty()
                && options.find(STARTING_TIMESTAMP).isEmpty()) {
            return problems;
        }
        Row versions =
                table.history().selectExpr("min(version)", "max(version)").first();
        long earliest = versions.getLong(0);
        long latest = versions.getLong(1);
        options.find(STARTING_VERSION).ifPresent(text -> {
            if (text.equalsIgnoreCase("latest")) {
                return;
            }
            long version;
            try {
                version = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                problems.add("option 'startingVersion' = '" + text + "' is not a version: give a number (the table has"
                        + " " + earliest + " to " + latest + ") or 'latest'");
                return;
            }
            if (version > latest) {
                problems.add("option 'startingVersion' = " + version + " is after the table's latest version, " + latest
                        + ": give " + latest + " or earlier, or 'latest' to read only what comes next");
            } else if (version < earliest) {
                problems.add("option 'startingVersion' = " + version + " is no longer in the table's log (its earliest"
                        + " version is " + earliest + ", the older ones were cleaned up): give " + earliest
                        + " or later");
            }
        });
        options.find(STARTING_TIMESTAMP).ifPresent(text -> {
            Row at = spark.sql("SELECT try_cast('" + text.replace("'", "''") + "' AS TIMESTAMP)")
                    .first();
            if (at.isNullAt(0)) {
                problems.add("option 'startingTimestamp' = '" + text + "' is not a time: give 2026-12-01 or"
                        + " 2026-12-01T08:00:00Z");
                return;
            }
            Row last = table.history(1).select("timestamp").first();
            if (at.getTimestamp(0).after(last.getTimestamp(0))) {
                problems.add("option 'startingTimestamp' = '" + text + "' is after the table's last commit ("
                        + last.getTimestamp(0).toInstant() + ", version " + latest + "): give an earlier time, or"
                        + " startingVersion: latest to read only what comes next");
            }
        });
        return problems;
    }

    private static boolean exists(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
