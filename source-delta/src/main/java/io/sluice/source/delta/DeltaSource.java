package io.sluice.source.delta;

import static io.sluice.source.delta.DeltaSourceOptions.*;

import com.google.auto.service.AutoService;
import io.sluice.core.Place;
import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.SourceProgress;

/**
 * The {@code delta} source: a Delta table read as a stream — its appends, or with
 * {@code readChangeFeed} its change feed (each insert, update and delete with its change type and
 * version) — through Delta's own streaming reader, so that a table one pipeline writes is
 * another's input (bronze → silver → gold).
 *
 * <p>Why a connector and not Spark's reader in a user's code: the table is checked before the
 * query starts (it is Delta, its change feed is on when asked for, a starting version or time is
 * one it has) where Delta says these at the first batch as stack traces; and the files the
 * stream has yet to read are the pipeline's backlog, on its progress line and in its metrics.
 */
@AutoService(StreamSource.class)
public final class DeltaSource implements StreamSource {

    @Override
    public String name() {
        return "delta";
    }

    @Override
    public String description() {
        return "Delta Lake tables as a stream: their appends, or their change feed (inserts, updates, deletes)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return ALL;
    }

    /** Another table under the same checkpoint would be read from a version that is not its own. */
    @Override
    public List<OptionSpec<?>> identityOptions() {
        return List.of(PATH, TABLE, READ_CHANGE_FEED);
    }

    @Override
    public List<OptionRule> rules() {
        return List.of(
                OptionRules.exactlyOneOf(PATH, TABLE), OptionRules.atMostOneOf(STARTING_VERSION, STARTING_TIMESTAMP));
    }

    @Override
    public Map<String, String> rejectedOptions() {
        return REJECTED;
    }

    @Override
    public Map<String, String> sessionSettings() {
        return SESSION;
    }

    /** Its directory, when given by path: a pipeline writing there would read its own output. */
    @Override
    public List<Place> reads(ConnectorOptions options) {
        return options.find(PATH)
                .map(path -> List.of(Place.directory(path).byOption(PATH.name())))
                .orElse(List.of());
    }

    /** The table's columns as written, and with the change feed Delta's three change columns after them. */
    @Override
    public java.util.Optional<org.apache.spark.sql.types.StructType> columnsReading(
            ConnectorOptions options, org.apache.spark.sql.types.StructType written) {
        if (!options.get(READ_CHANGE_FEED)) {
            return java.util.Optional.of(written);
        }
        return java.util.Optional.of(written.add("_change_type", org.apache.spark.sql.types.DataTypes.StringType)
                .add("_commit_version", org.apache.spark.sql.types.DataTypes.LongType)
                .add("_commit_timestamp", org.apache.spark.sql.types.DataTypes.TimestampType));
    }

    @Override
    public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
        List<String> problems = new ArrayList<>();
        if (DeltaTableFacts.table(context.spark(), options, problems).isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        Map<String, String> delta = new LinkedHashMap<>();
        if (options.get(READ_CHANGE_FEED)) {
            delta.put(READ_CHANGE_FEED.name(), "true");
        }
        options.find(STARTING_VERSION).ifPresent(v -> delta.put(STARTING_VERSION.name(), v));
        options.find(STARTING_TIMESTAMP).ifPresent(v -> delta.put(STARTING_TIMESTAMP.name(), v));
        options.find(MAX_FILES_PER_TRIGGER).ifPresent(v -> delta.put(MAX_FILES_PER_TRIGGER.name(), String.valueOf(v)));
        options.find(MAX_BYTES_PER_TRIGGER).ifPresent(v -> delta.put(MAX_BYTES_PER_TRIGGER.name(), v));
        if (options.get(IGNORE_DELETES)) {
            delta.put(IGNORE_DELETES.name(), "true");
        }
        if (options.get(SKIP_CHANGE_COMMITS)) {
            delta.put(SKIP_CHANGE_COMMITS.name(), "true");
        }
        DataStreamReader reader = context.spark().readStream().format("delta").options(delta);
        return options.find(PATH).map(reader::load).orElseGet(() -> reader.table(options.get(TABLE)));
    }

    /** The table asked before start: there, Delta, its change feed on when asked for, the start one it has. */
    @Override
    public List<String> preflight(SourceContext context, ConnectorOptions options) {
        return DeltaTableFacts.check(context.spark(), options);
    }

    /** Versions and times of the table, for {@code sluice checkpoint show} and {@code rewind}. */
    @Override
    public java.util.Optional<io.sluice.core.SourcePositions> positions(ConnectorOptions options) {
        return java.util.Optional.of(new DeltaPositions(options));
    }

    /**
     * The commits the stream has yet to read: the table's latest version less the version the
     * batch ended in (Delta's offset). Delta 4.4 reports no count of outstanding files under every
     * trigger, so versions are what can be told; while the first snapshot of a table is read (no
     * {@code startingVersion}), that is 0. Asks the table's log for its latest version.
     */
    @Override
    public Map<String, Long> backlog(ConnectorOptions options, SourceProgress progress) {
        java.util.regex.Matcher version = RESERVOIR_VERSION.matcher(String.valueOf(progress.endOffset()));
        if (!version.find()) {
            return Map.of();
        }
        try {
            org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.active();
            io.delta.tables.DeltaTable table = options.find(PATH)
                    .map(path -> io.delta.tables.DeltaTable.forPath(spark, path))
                    .orElseGet(() -> io.delta.tables.DeltaTable.forName(spark, options.get(TABLE)));
            long latest = table.history(1).select("version").first().getLong(0);
            return Map.of(
                    options.find(PATH).orElseGet(() -> options.get(TABLE)),
                    Math.max(0, latest - Long.parseLong(version.group(1))));
        } catch (RuntimeException e) { // a table gone under a stopping query: no backlog to tell
            return Map.of();
        }
    }

    private static final java.util.regex.Pattern RESERVOIR_VERSION =
            java.util.regex.Pattern.compile("\"reservoirVersion\"\\s*:\\s*(\\d+)");
}
