package io.sluice.source.delta;

import static io.sluice.source.delta.DeltaSourceOptions.*;

import io.delta.tables.DeltaTable;
import io.sluice.core.SourcePositions;
import io.sluice.core.option.ConnectorOptions;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A Delta table's places, in the offsets Delta's source writes ({@code {"sourceVersion":1,
 * "reservoirId":..., "reservoirVersion":5, "index":-1, "isStartingVersion":false}}: the next batch
 * reads version 5's changes from its first file). A rewind names a version ({@code --to-offsets 5}),
 * a time (the first commit at or after it), or the latest (what comes after the last commit);
 * the table's id goes into the offset as Delta checks it, and a version the log no longer has, or
 * does not have yet, is refused in words.
 */
final class DeltaPositions implements SourcePositions {
    private static final Pattern VERSION = Pattern.compile("\"reservoirVersion\"\\s*:\\s*(\\d+)");
    private static final Pattern INDEX = Pattern.compile("\"index\"\\s*:\\s*(-?\\d+)");

    private final ConnectorOptions options;

    DeltaPositions(ConnectorOptions options) {
        this.options = options;
    }

    private DeltaTable table() {
        SparkSession spark = SparkSession.active();
        return options.find(PATH)
                .map(path -> DeltaTable.forPath(spark, path))
                .orElseGet(() -> DeltaTable.forName(spark, options.get(TABLE)));
    }

    private String shown() {
        return options.find(PATH).orElseGet(() -> options.get(TABLE));
    }

    /** The versions the table's log has: the earliest and the latest. */
    private long[] versions(DeltaTable table) {
        Row row = table.history().selectExpr("min(version)", "max(version)").first();
        return new long[] {row.getLong(0), row.getLong(1)};
    }

    private String offset(DeltaTable table, long version) {
        String id = table.detail().select("id").first().getString(0);
        return "{\"sourceVersion\":1,\"reservoirId\":\"" + id + "\",\"reservoirVersion\":" + version
                + ",\"index\":-1,\"isStartingVersion\":false}";
    }

    /** After the last commit: the next version. */
    @Override
    public String latest() {
        DeltaTable table = table();
        return offset(table, versions(table)[1] + 1);
    }

    /** The first commit at or after {@code time}; after the last commit when none is that recent. */
    @Override
    public String at(Instant time) {
        DeltaTable table = table();
        Row first = table.history()
                .filter(functions.col("timestamp").geq(functions.lit(java.sql.Timestamp.from(time))))
                .agg(functions.min("version"))
                .first();
        return first.isNullAt(0) ? offset(table, versions(table)[1] + 1) : offset(table, first.getLong(0));
    }

    /** A version ({@code 5}), or an offset as Delta writes it; one the log has, or the next. */
    @Override
    public String checked(String offsets) {
        String text = offsets.trim();
        long version;
        if (text.matches("\\d+")) {
            version = Long.parseLong(text);
        } else {
            Matcher found = VERSION.matcher(text);
            if (!found.find()) {
                throw new IllegalArgumentException(
                        "give the table version to read next (a number, e.g. 5), not '" + text + "'");
            }
            version = Long.parseLong(found.group(1));
        }
        DeltaTable table = table();
        long[] versions = versions(table);
        if (version > versions[1] + 1) {
            throw new IllegalArgumentException("version " + version + " is after the table's latest, " + versions[1]
                    + " (" + (versions[1] + 1) + " reads what comes next)");
        }
        if (version < versions[0]) {
            throw new IllegalArgumentException("version " + version + " is no longer in the table's log (its earliest"
                    + " is " + versions[0] + ")");
        }
        return offset(table, version);
    }

    /** The commits after the one the offsets are in (the version itself too when none of it was read). */
    @Override
    public Map<String, Long> behind(String offsets) {
        Matcher version = VERSION.matcher(offsets);
        if (!version.find()) {
            return Map.of();
        }
        Matcher index = INDEX.matcher(offsets);
        boolean untouched = index.find() && Long.parseLong(index.group(1)) == -1;
        long latest = versions(table())[1];
        long at = Long.parseLong(version.group(1));
        return Map.of(shown(), Math.max(0, latest - at + (untouched ? 1 : 0)));
    }
}
