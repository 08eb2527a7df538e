package io.sluice.source.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.Sluice;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Delta table streamed: its appends, its change feed, and every mistake said before start. */
class DeltaSourceTest {
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        sluice = SharedSluice.get();
    }

    private String table(String name, boolean changeFeed) {
        String path = dir.resolve(name).toString();
        sluice.spark()
                .sql("CREATE TABLE delta.`" + path + "` (id BIGINT, name STRING) USING delta"
                        + (changeFeed ? " TBLPROPERTIES (delta.enableChangeDataFeed = true)" : ""));
        return path;
    }

    private void sql(String statement) {
        sluice.spark().sql(statement);
    }

    private PipelineBuilder stream(String name, String sql, String... options) {
        Map<String, String> source = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            source.put(options[i], options[i + 1]);
        }
        return sluice.pipeline(name)
                .source("delta", source)
                .sql(sql)
                .checkpointLocation(dir.resolve("checkpoint-" + name).toString())
                .sink("delta", Map.of("path", dir.resolve("out-" + name).toString()));
    }

    /** The rows the pipeline {@code name} wrote, in the order {@code orderBy} says. */
    private List<String> rows(String name, String orderBy) {
        return SharedSluice.get()
                .spark()
                .sql("SELECT * FROM delta.`" + dir.resolve("out-" + name) + "` ORDER BY " + orderBy)
                .collectAsList()
                .stream()
                .map(row -> row.mkString("|"))
                .toList();
    }

    @Test
    void followsTheConventionsAndIsDocumented() {
        assertEquals(List.of(), ConnectorConventions.violations(new DeltaSource()));
        assertEquals("", ReadmeTables.checkDocs(new DeltaSource()));
    }

    @Test
    void streamsEachCommitsAppendsOnceWithTheCommitsStillToReadAsBacklog() throws Exception {
        String path = table("appends", false);
        sql("INSERT INTO delta.`" + path + "` VALUES (1, 'a'), (2, 'b')");
        sql("INSERT INTO delta.`" + path + "` VALUES (3, 'c')");
        sql("INSERT INTO delta.`" + path + "` VALUES (4, 'd')");
        PipelineHandle first = Pipelines.runToEnd(stream(
                "delta_appends",
                "SELECT id, name FROM input",
                "path",
                path,
                "maxFilesPerTrigger",
                "1",
                "startingVersion",
                "0"));
        assertEquals(List.of("1|a", "2|b", "3|c", "4|d"), rows("delta_appends", "id"));
        String line = ProgressReporter.format(first.recentProgress().get(0), first.plan());
        System.out.println(
                "METRICS>>> " + first.recentProgress().get(0).sources()[0].metrics() + " "
                        + first.recentProgress().get(0).sources()[0].json());
        assertTrue(
                line.matches("\\[delta_appends] batch 0: \\d records? in.*, 2 behind latest.*"),
                "versions 2 and 3 to read: " + line);

        sql("INSERT INTO delta.`" + path + "` VALUES (5, 'e')");
        Pipelines.runToEnd(stream("delta_appends", "SELECT id, name FROM input", "path", path));
        assertEquals(
                List.of("1|a", "2|b", "3|c", "4|d", "5|e"),
                rows("delta_appends", "id"),
                "after a restart, only the new commit");
    }

    @Test
    void streamsTheChangeFeedWithEachChangesTypeAndVersion() throws Exception {
        String path = table("changes", true);
        sql("INSERT INTO delta.`" + path + "` VALUES (1, 'a'), (2, 'b')");
        sql("UPDATE delta.`" + path + "` SET name = 'B' WHERE id = 2");
        sql("DELETE FROM delta.`" + path + "` WHERE id = 1");
        Pipelines.runToEnd(stream(
                "delta_changes",
                "SELECT id, name, _change_type, _commit_version FROM input",
                "path",
                path,
                "readChangeFeed",
                "true",
                "startingVersion",
                "0"));
        assertEquals(
                List.of(
                        "1|a|insert|1",
                        "2|b|insert|1",
                        "2|b|update_preimage|2",
                        "2|B|update_postimage|2",
                        "1|a|delete|3"),
                rows("delta_changes", "_commit_version, _change_type DESC, id"));
    }

    @Test
    void everyMistakeIsSaidBeforeStartWithTheWayOut() throws Exception {
        String plain = table("plain", false);
        sql("INSERT INTO delta.`" + plain + "` VALUES (1, 'a')");
        String missing = dir.resolve("bronz").toString();
        assertEquals(
                List.of("source 'delta': option 'path' names " + missing
                        + ", where there is no Delta table (it does not"
                        + " exist): give the table's directory, the one holding _delta_log"),
                DeltaTableFacts.check(sluice.spark(), options("path", missing)).stream()
                        .map(p -> "source 'delta': " + p)
                        .toList());
        assertEquals(
                List.of(
                        "option 'readChangeFeed' asks for the table's change feed, which is off for delta.`file:"
                                + plain
                                + "`: turn it on (ALTER TABLE delta.`file:" + plain + "` SET TBLPROPERTIES"
                                + " (delta.enableChangeDataFeed = true)) — changes are recorded from then on — or read"
                                + " the table's appends without readChangeFeed",
                        "option 'startingVersion' = 9 is after the table's latest version, 1: give 1 or earlier, or"
                                + " 'latest' to read only what comes next"),
                DeltaTableFacts.check(
                        sluice.spark(), options("path", plain, "readChangeFeed", "true", "startingVersion", "9")));
        assertEquals(
                List.of("option 'startingTimestamp' = 'last week' is not a time: give 2026-12-01 or"
                        + " 2026-12-01T08:00:00Z"),
                DeltaTableFacts.check(sluice.spark(), options("path", plain, "startingTimestamp", "last week")));
        List<String> late =
                DeltaTableFacts.check(sluice.spark(), options("path", plain, "startingTimestamp", "2999-01-01"));
        assertEquals(1, late.size(), late.toString());
        assertTrue(
                late.get(0).startsWith("option 'startingTimestamp' = '2999-01-01' is after the table's last commit ("),
                late.get(0));
        assertEquals(
                List.of("source 'delta': set at most one of 'startingTimestamp', 'startingVersion' (found:"
                        + " startingTimestamp, startingVersion)"),
                stream(
                                "both",
                                "SELECT * FROM input",
                                "path",
                                plain,
                                "startingVersion",
                                "0",
                                "startingTimestamp",
                                "2026-01-01")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Object::toString)
                        .toList());
        assertEquals(
                List.of("source 'delta': cannot read the stream: option 'path' names " + missing
                        + ", where there is no Delta table (it does not exist): give the table's directory, the one"
                        + " holding _delta_log"),
                stream("missing", "SELECT * FROM input", "path", missing).build().validate().problems().stream()
                        .map(Object::toString)
                        .toList());
    }

    private static io.sluice.core.option.ConnectorOptions options(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return io.sluice.engine.catalog.OptionsValidator.validate(new DeltaSource(), List.of(), raw)
                .options();
    }
}
