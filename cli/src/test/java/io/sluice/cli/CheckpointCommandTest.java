package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice checkpoint show}, {@code rewind} and {@code sluice state} on real checkpoints
 * made by real runs against a real broker: a rewind by timestamp replays exactly the records
 * after it; a topic deleted and made again leaves the checkpoint ahead of the log, which show
 * says and a rewind to the latest mends; the state read back is what the pipeline computed; and
 * every refusal, word for word.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class CheckpointCommandTest {
    private static final long T0 = 1_800_000_000_000L; // 2027-01-15T08:00:00Z
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        SharedSluice.get(); // the commands adopt the shared session
    }

    /** Orders, a minute apart, ids from {@code first}, alternating between two partitions. */
    private static List<KafkaRecord> orders(int first, int count) {
        List<KafkaRecord> records = new ArrayList<>();
        for (int id = first; id < first + count; id++) {
            records.add(KafkaRecord.of("k" + id, "{\"id\":" + id + ",\"customer\":\"c" + (id % 3) + "\"}")
                    .toPartition(id % 2)
                    .withTimestamp(T0 + id * 60_000L));
        }
        return records;
    }

    private Path pipeline(String topic, String sql, String sink, String mode) throws Exception {
        return Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT, customer STRING
                    transforms:
                      - sql: %s
                    sink:
                      connector: %s
                      options:
                        %s
                    outputMode: %s
                    trigger: availableNow
                    checkpointLocation: %s/checkpoint
                """.formatted(
                        kafka.bootstrapServers(),
                        topic,
                        sql,
                        sink,
                        sink.equals("console") ? "numRows: 5" : "path: " + dir + "/out",
                        mode,
                        dir));
    }

    private List<Long> ids() {
        return SharedSluice.get()
                .spark()
                .read()
                .parquet(dir.resolve("out").toString())
                .orderBy("id")
                .collectAsList()
                .stream()
                .map(row -> row.getLong(0))
                .toList();
    }

    @Test
    void aRewindByTimestampReplaysExactlyTheRecordsAfterItAndShowSaysWhatWasDone() throws Exception {
        String topic = kafka.newTopic("rewind", 2);
        kafka.produce(topic, orders(0, 10));
        Path file = pipeline(topic, "SELECT id, customer FROM input", "parquet", "append");
        assertEquals(0, Cli.run("run", file.toString()).exit());

        Cli.Result shown = Cli.run("checkpoint", "show", file.toString());
        assertEquals(0, shown.exit(), shown.all());
        String checkpoint = dir.resolve("checkpoint").toString();
        assertTrue(
                shown.out()
                        .startsWith("checkpoint " + checkpoint + "\n  running: no\n  source: kafka (subscribe: " + topic
                                + ")\n  sink: parquet (path: " + dir.resolve("out") + ")\n  output mode: append\n"),
                shown.out());
        assertTrue(shown.out().contains("  batches: planned to 0, committed to 0\n"), shown.out());
        assertTrue(
                shown.out().contains("  next batch reads from: {\"" + topic + "\":{\"0\":5,\"1\":5}}\n"), shown.out());
        assertTrue(
                shown.out().contains("  behind the source's latest: " + topic + "-0 0, " + topic + "-1 0\n"),
                shown.out());
        String shuffle = SharedSluice.get().spark().conf().get("spark.sql.shuffle.partitions");
        assertTrue(shown.out().contains("  shuffle partitions: " + shuffle + "\n  state: none\n"), shown.out());
        assertTrue(shown.out().contains("  sink log: "), shown.out());

        kafka.produce(topic, orders(10, 2)); // 2 more: the checkpoint is behind by one a partition
        assertTrue(Cli.run("checkpoint", "show", file.toString())
                .out()
                .contains("  behind the source's latest: " + topic + "-0 1, " + topic + "-1 1\n"));

        // replay from id 6's time: ids 6..9 again, then the two new ones
        Cli.Result rewound = Cli.run(
                "checkpoint",
                "rewind",
                file.toString(),
                "--to-timestamp",
                java.time.Instant.ofEpochMilli(T0 + 6 * 60_000L).toString());
        assertEquals(0, rewound.exit(), rewound.all());
        assertEquals(
                "pipeline 'orders': rewound: the next batch reads from {\"" + topic + "\":{\"0\":3,\"1\":3}} (was {\""
                        + topic + "\":{\"0\":5,\"1\":5}}); a copy of what changed is in " + checkpoint
                        + "/_sluice/backups/",
                rewound.out().substring(0, rewound.out().indexOf("/_sluice/backups/") + "/_sluice/backups/".length()));
        assertEquals(0, Cli.run("run", file.toString()).exit());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 6L, 7L, 7L, 8L, 8L, 9L, 9L, 10L, 11L), ids());

        Cli.Result after = Cli.run("checkpoint", "show", file.toString(), "--json");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(after.out());
        assertEquals(1, json.get("lastCommitted").asLong());
        assertEquals(1, json.get("history").size());
        assertTrue(json.get("history")
                .get(0)
                .get("what")
                .asText()
                .startsWith("rewind --to-timestamp 2027-01-15T08:06:00Z"));
        assertEquals(0, json.get("history").get(0).get("batch").asLong());
        assertTrue(Files.exists(Path.of(json.get("history").get(0).get("backup").asText(), "offsets", "0")));
        assertTrue(Cli.run("checkpoint", "show", dir.resolve("checkpoint").toString())
                .out()
                .contains("rewind --to-timestamp 2027-01-15T08:06:00Z — batch 0 ends at"));
    }

    @Test
    void aTopicMadeAgainLeavesTheCheckpointAheadWhichShowSaysAndARewindToTheLatestMends() throws Exception {
        String topic = kafka.newTopic("reset", 1);
        kafka.produce(topic, orders(0, 6).stream().map(r -> r.toPartition(0)).toList());
        Path file = pipeline(topic, "SELECT id, customer FROM input", "parquet", "append");
        assertEquals(0, Cli.run("run", file.toString()).exit());
        kafka.admin().deleteTopics(List.of(topic)).all().get();
        waitUntilGone(topic);
        kafka.createTopic(topic, 1);
        kafka.produce(topic, orders(100, 2).stream().map(r -> r.toPartition(0)).toList());

        Cli.Result ahead = Cli.run("run", file.toString());
        assertEquals(1, ahead.exit(), ahead.all());
        assertTrue(
                ahead.err()
                        .contains(
                                "the checkpoint is ahead of what Kafka has (was the topic deleted and made again?): "
                                        + topic
                                        + " partition 0: the checkpoint reads on from offset 6, the partition ends at 2"
                                        + " — move where the pipeline reads next with sluice checkpoint rewind FILE --to-offsets"
                                        + " (-2 for a partition's earliest) or --to-latest, or give it a new checkpointLocation\n"),
                ahead.err());
        assertTrue(Cli.run("checkpoint", "show", file.toString())
                .out()
                .contains("  behind the source's latest: " + topic + "-0 -4 (ahead of the log: was the topic deleted"
                        + " and made again? see checkpoint rewind)\n"));
        Cli.Result refused =
                Cli.run("checkpoint", "rewind", file.toString(), "--to-offsets", "{\"" + topic + "\":{\"0\":6}}");
        assertEquals(1, refused.exit());
        assertEquals(
                "sluice checkpoint rewind: pipeline 'orders': --to-offsets {\"" + topic + "\":{\"0\":6}}: " + topic
                        + "-0 offset 6 is past the latest, 2 (the next record the partition will get) (nothing was"
                        + " changed)\n",
                refused.err());
        Cli.Result earliest =
                Cli.run("checkpoint", "rewind", file.toString(), "--to-offsets", "{\"" + topic + "\":{\"0\":-2}}");
        assertEquals(0, earliest.exit(), earliest.all());
        assertEquals(0, Cli.run("run", file.toString()).exit());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 100L, 101L), ids());
    }

    @Test
    void theStateIsReadBackAsThePipelineComputedItAndARewindOfItNeedsKeepState() throws Exception {
        String topic = kafka.newTopic("state", 2);
        kafka.produce(topic, orders(0, 9));
        Path file = pipeline(
                topic, "SELECT customer, count(*) AS orders FROM input GROUP BY customer", "console", "update");
        assertEquals(0, Cli.run("run", file.toString()).exit());

        Cli.Result state = Cli.run("state", file.toString());
        assertEquals(0, state.exit(), state.all());
        assertTrue(
                state.out()
                        .startsWith(
                                "state 0 (an aggregation (GROUP BY, count, window) by customer string) at batch 0, 3 rows:\n"),
                state.out());
        List<Row> rows = SharedSluice.get()
                .spark()
                .read()
                .format("statestore")
                .load(dir.resolve("checkpoint").toString())
                .selectExpr("key.customer", "value.count")
                .orderBy("customer")
                .collectAsList();
        assertEquals("[[c0,3], [c1,3], [c2,3]]", rows.toString());
        String shuffle = SharedSluice.get().spark().conf().get("spark.sql.shuffle.partitions");
        String shown = Cli.run("checkpoint", "show", file.toString()).out();
        assertTrue(
                shown.contains("  shuffle partitions: " + shuffle + "\n  state 0 (an aggregation (GROUP BY, count,"
                        + " window) by customer string): 3 rows, " + shuffle + " partitions, "),
                shown);

        // another spark.sql.shuffle.partitions at a start: Spark keeps the state's, and the start says so
        var conf = SharedSluice.get().spark().conf();
        String checkpointDir = dir.resolve("checkpoint").toString();
        assertEquals(
                java.util.Optional.empty(),
                io.sluice.engine.checkpoint.CheckpointReport.statePartitionsNote(
                        SharedSluice.get().spark(), checkpointDir));
        conf.set("spark.sql.shuffle.partitions", "5");
        try {
            assertEquals(
                    java.util.Optional.of("the checkpoint's state keeps " + shuffle + " partitions, fixed when the"
                            + " checkpoint began; spark.sql.shuffle.partitions = 5 applies to the query's other shuffles"
                            + " only (to split the state otherwise, start over with a new checkpointLocation)"),
                    io.sluice.engine.checkpoint.CheckpointReport.statePartitionsNote(
                            SharedSluice.get().spark(), checkpointDir));
        } finally {
            conf.set("spark.sql.shuffle.partitions", shuffle);
        }

        Cli.Result refused = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest");
        assertEquals(1, refused.exit());
        assertEquals(
                "sluice checkpoint rewind: pipeline 'orders' keeps state (an aggregation (GROUP BY, count, window)): after a rewind the"
                        + " records read again are counted into that state again — say that is what you want with"
                        + " --keep-state, or start over with a new checkpointLocation (and startingOffsets) for state"
                        + " built from the new place only (nothing was changed)\n",
                refused.err());
        assertEquals(2, Cli.run("state", file.toString(), "--operator", "3").exit());
        assertEquals(
                "sluice state: the checkpoint has no stateful operator 3 (it has: 0 an aggregation (GROUP BY, count, window) by customer string)\n",
                Cli.run("state", file.toString(), "--operator", "3").err());
    }

    @Test
    void whatCannotBeRewoundIsRefusedInWords() throws Exception {
        String topic = kafka.newTopic("refusals", 1);
        Path file = pipeline(topic, "SELECT id, customer FROM input", "parquet", "append");
        Cli.Result before = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest");
        assertEquals(1, before.exit());
        assertEquals(
                "sluice checkpoint rewind: pipeline 'orders': the checkpoint at " + dir.resolve("checkpoint")
                        + " has no committed batch, so the first start reads from startingOffsets: set those instead"
                        + " of rewinding (nothing was changed)\n",
                before.err());
        assertEquals(
                "checkpoint " + dir.resolve("checkpoint")
                        + "\n  does not exist: the pipeline has not run with it yet\n",
                Cli.run("checkpoint", "show", file.toString()).out());

        kafka.produce(topic, orders(0, 2).stream().map(r -> r.toPartition(0)).toList());
        assertEquals(0, Cli.run("run", file.toString()).exit());
        for (String[] bad : List.of(
                new String[] {
                    "{\"" + topic + "\":{\"1\":0}}",
                    "the source reads no partition 1 of topic '" + topic + "'"
                            + " — did you mean '" + topic + "-0'? (it reads " + topic + "-0); give an offset for every"
                            + " partition the source reads: " + topic + "-0 is missing (-2 for its earliest, -1 for its"
                            + " latest)"
                },
                new String[] {
                    "[1]", "'[1]' is not a JSON object of topics: write offsets as {\"topic\":{\"0\":120,\"1\":98}}"
                },
                new String[] {
                    "{\"" + topic + "\":{\"0\":\"x\"}}",
                    "partition 0 of topic '" + topic + "' has offset \"x\"," + " not a whole number"
                })) {
            Cli.Result refused = Cli.run("checkpoint", "rewind", file.toString(), "--to-offsets", bad[0]);
            assertEquals(1, refused.exit(), refused.all());
            assertEquals(
                    "sluice checkpoint rewind: pipeline 'orders': --to-offsets " + bad[0] + ": " + bad[1]
                            + " (nothing was changed)\n",
                    refused.err());
        }
        Cli.Result badTime = Cli.run("checkpoint", "rewind", file.toString(), "--to-timestamp", "yesterday");
        assertEquals(2, badTime.exit());
        assertEquals(
                "sluice checkpoint rewind: --to-timestamp 'yesterday' is not an instant: write it as"
                        + " 2026-12-07T10:00:00Z\n",
                badTime.err());
        Cli.Result two = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest", "--to-offsets", "{}");
        assertEquals(2, two.exit());
        Cli.Result dirGiven =
                Cli.run("checkpoint", "rewind", dir.resolve("checkpoint").toString(), "--to-latest");
        assertEquals(2, dirGiven.exit());
        assertEquals(
                "sluice checkpoint rewind: " + dir.resolve("checkpoint") + " is a directory: give the pipeline file,"
                        + " whose source says where its system is\n",
                dirGiven.err());
        Cli.Result noSuch = Cli.run("checkpoint", "show", file.toString(), "--pipeline", "order");
        assertEquals(2, noSuch.exit());
        assertEquals(
                "sluice checkpoint show: " + file + " has no pipeline 'order' — did you mean 'orders'? (it has:"
                        + " orders)\n",
                noSuch.err());
    }

    @Test
    void aRunningPipelineIsNotRewoundAndABatchStoppedInTheMiddleIsClosedAtTheNewPlace() throws Exception {
        String topic = kafka.newTopic("running", 2);
        kafka.produce(topic, orders(0, 4));
        Path file = pipeline(topic, "SELECT id, customer FROM input", "parquet", "append");
        assertEquals(0, Cli.run("run", file.toString()).exit());
        String checkpoint = dir.resolve("checkpoint").toString();

        io.sluice.engine.pipeline.PipelineHandle running = SharedSluice.get()
                .pipeline("orders")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic, "value.format", "json", "value.schema", "id BIGINT, customer STRING"))
                .sql("SELECT id, customer FROM input")
                .sink("parquet", java.util.Map.of("path", dir.resolve("out").toString()))
                .checkpointLocation(checkpoint)
                .build()
                .start();
        try {
            Cli.Result refused = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest");
            assertEquals(1, refused.exit(), refused.all());
            assertTrue(
                    refused.err()
                            .matches("sluice checkpoint rewind: pipeline 'orders': query 'orders' runs on it since"
                                    + " \\S+ \\(process "
                                    + ProcessHandle.current().pid() + " on this host\\): stop the"
                                    + " pipeline before rewinding it \\(a running query would write its next batch over"
                                    + " the change\\) \\(nothing was changed\\)\n"),
                    refused.err());
            assertTrue(Cli.run("checkpoint", "show", file.toString())
                    .out()
                    .contains("  running: query 'orders' runs on it since "));
        } finally {
            running.stop();
        }

        // a run stopped in the middle of batch 1: planned (offsets/1), never committed
        String planned = Files.readString(Path.of(checkpoint, "offsets", "0"))
                .replace("{\"" + topic + "\":{\"0\":2,\"1\":2}}", "{\"" + topic + "\":{\"0\":2,\"1\":3}}");
        long last = java.util.Arrays.stream(
                        Path.of(checkpoint, "commits").toFile().list())
                .filter(n -> n.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .max()
                .orElseThrow();
        Files.writeString(Path.of(checkpoint, "offsets", String.valueOf(last + 1)), planned);
        Cli.Result rewound = Cli.run(
                "checkpoint", "rewind", file.toString(), "--to-offsets", "{\"" + topic + "\":{\"0\":1,\"1\":-2}}");
        assertEquals(0, rewound.exit(), rewound.all());
        assertTrue(
                rewound.out()
                        .startsWith("pipeline 'orders': rewound (batch " + (last + 1) + ", planned and not written,"
                                + " is planned again from the new place): the next batch reads from {\"" + topic
                                + "\":{\"0\":1,\"1\":0}} (was {\"" + topic + "\":{\"0\":2,\"1\":2}})"),
                rewound.out());
        assertTrue(Files.notExists(Path.of(checkpoint, "offsets", String.valueOf(last + 1))));
        assertEquals(0, Cli.run("run", file.toString()).exit());
        // ids 0..3 once, then from partition 0's offset 1 (id 2) and partition 1's start (ids 1, 3) again
        assertEquals(List.of(0L, 1L, 1L, 2L, 2L, 3L, 3L), ids());

        // a run killed after the sink wrote batch N+1 (its log has it, with no files) and before Spark committed it
        long committed = java.util.Arrays.stream(
                        Path.of(checkpoint, "commits").toFile().list())
                .filter(n -> n.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .max()
                .orElseThrow();
        Files.copy(
                Path.of(checkpoint, "offsets", String.valueOf(committed)),
                Path.of(checkpoint, "offsets", String.valueOf(committed + 1)));
        Files.writeString(dir.resolve("out/_spark_metadata/" + (committed + 1)), "v1");
        kafka.produce(topic, orders(4, 2));
        Cli.Result closed = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest");
        assertEquals(0, closed.exit(), closed.all());
        assertTrue(
                closed.out()
                        .startsWith("pipeline 'orders': rewound (batch " + (committed + 1) + ", written by the sink and"
                                + " not committed, is closed at the new place): the next batch reads from {\"" + topic
                                + "\":{\"0\":3,\"1\":3}}"),
                closed.out());
        assertTrue(Files.exists(Path.of(checkpoint, "commits", String.valueOf(committed + 1))));
        kafka.produce(topic, orders(6, 2));
        assertEquals(0, Cli.run("run", file.toString()).exit());
        // 4 and 5 skipped by the rewind to the latest; 6 and 7 read after it, in batch N+2 — the sink's log unbroken
        assertEquals(List.of(0L, 1L, 1L, 2L, 2L, 3L, 3L, 6L, 7L), ids());
    }

    @Test
    void aFullRefreshStartsOverIntoADeltaTableEmptiedInOneCommitAndIsRefusedForFiles() throws Exception {
        String topic = kafka.newTopic("refresh", 1);
        kafka.produce(topic, orders(0, 4).stream().map(r -> r.toPartition(0)).toList());
        Path files = pipeline(topic, "SELECT id, customer FROM input", "parquet", "append");
        assertEquals(0, Cli.run("run", files.toString()).exit());
        Cli.Result refused = Cli.run("run", files.toString(), "--full-refresh");
        assertEquals(1, refused.exit(), refused.all());
        assertEquals(
                "sluice run: pipeline 'orders': --full-refresh empties the sink before starting over, and sink"
                        + " 'parquet' cannot be emptied in one step (readers would see it part-deleted): write to a new"
                        + " place with a new checkpointLocation instead, then switch readers to it\n"
                        + "sluice run --full-refresh: nothing was changed, nothing was started\n",
                refused.err());
        assertTrue(Files.exists(dir.resolve("checkpoint/commits/0")), "the checkpoint is as it was");

        // the same records into a Delta table, twice: the second run is a full refresh
        io.sluice.engine.util.Directories.deleteRecursively(dir.resolve("checkpoint"));
        io.sluice.engine.util.Directories.deleteRecursively(dir.resolve("out"));
        Path delta = pipeline(topic, "SELECT id, customer FROM input", "delta", "append");
        assertEquals(0, Cli.run("run", delta.toString()).exit());
        kafka.produce(topic, orders(4, 2).stream().map(r -> r.toPartition(0)).toList());
        Cli.Result refreshed = Cli.run("run", delta.toString(), "--full-refresh");
        assertEquals(0, refreshed.exit(), refreshed.all());
        assertTrue(
                refreshed
                        .out()
                        .startsWith("pipeline 'orders': full refresh: the checkpoint moved to "
                                + dir.resolve("checkpoint") + "-before-full-refresh-"),
                refreshed.out());
        assertTrue(
                refreshed
                        .out()
                        .contains("; the table at " + dir.resolve("out") + " emptied in one commit (version 1; the"
                                + " rows before stay readable with VERSION AS OF 0 until vacuumed); it reads again from"
                                + " its startingOffsets\n"),
                refreshed.out());
        var spark = SharedSluice.get().spark();
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L, 5L),
                spark.read().format("delta").load(dir.resolve("out").toString()).orderBy("id").collectAsList().stream()
                        .map(row -> row.getLong(0))
                        .toList(),
                "read again from the beginning into the emptied table: each record once");
        assertEquals(
                4,
                spark.read()
                        .format("delta")
                        .option("versionAsOf", 0)
                        .load(dir.resolve("out").toString())
                        .count(),
                "the rows before stay readable by time travel");
    }

    /** Orders into sinks {@code all} and {@code big} (the amounts of 2 and more), each of {@code connectors}. */
    private Path severalSinks(String topic, String allConnector, String bigConnector) throws Exception {
        return Files.writeString(dir.resolve("several.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT, customer STRING
                    sinks:
                      - name: all
                        connector: %s
                        options:
                          path: %s/all
                      - name: big
                        connector: %s
                        where: id >= 2
                        options:
                          path: %s/big
                    trigger: availableNow
                    checkpointLocation: %s/checkpoint
                """.formatted(
                        kafka.bootstrapServers(), topic, allConnector, dir, bigConnector, dir, dir));
    }

    @Test
    void severalSinksAreShownWithTheBatchEachWroteAndRefreshedWhenEachEmptiesAtomically() throws Exception {
        String topic = kafka.newTopic("several", 1);
        kafka.produce(topic, orders(0, 4).stream().map(r -> r.toPartition(0)).toList());
        Path mixed = severalSinks(topic, "delta", "parquet");
        assertEquals(0, Cli.run("run", mixed.toString()).exit());
        Cli.Result shown = Cli.run("checkpoint", "show", mixed.toString());
        assertEquals(0, shown.exit(), shown.all());
        assertTrue(
                shown.out()
                        .contains("  sinks:\n    all: delta (path: " + dir.resolve("all")
                                + "), wrote to batch 0\n    big: parquet (path: " + dir.resolve("big")
                                + "), wrote to batch 0\n  output mode: append\n"),
                shown.out());
        Cli.Result json = Cli.run("checkpoint", "show", mixed.toString(), "--json");
        var sinks = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out())
                .get("sinks");
        assertEquals("all", sinks.get(0).get("name").asText(), json.out());
        assertEquals(
                "delta (path: " + dir.resolve("all") + ")",
                sinks.get(0).get("writes").asText());
        assertEquals(0, sinks.get(1).get("lastBatch").asLong());

        Cli.Result refused = Cli.run("run", mixed.toString(), "--full-refresh");
        assertEquals(1, refused.exit(), refused.all());
        assertEquals(
                "sluice run: pipeline 'orders': --full-refresh empties the sinks before starting over, and sink 'big'"
                        + " cannot be emptied in one step (readers would see it part-deleted): write to a new place"
                        + " with a new checkpointLocation instead, then switch readers to it\n"
                        + "sluice run --full-refresh: nothing was changed, nothing was started\n",
                refused.err());

        io.sluice.engine.util.Directories.deleteRecursively(dir.resolve("checkpoint"));
        io.sluice.engine.util.Directories.deleteRecursively(dir.resolve("all"));
        io.sluice.engine.util.Directories.deleteRecursively(dir.resolve("big"));
        Path deltas = severalSinks(topic, "delta", "delta");
        assertEquals(0, Cli.run("run", deltas.toString()).exit());
        kafka.produce(topic, orders(4, 2).stream().map(r -> r.toPartition(0)).toList());
        Cli.Result refreshed = Cli.run("run", deltas.toString(), "--full-refresh");
        assertEquals(0, refreshed.exit(), refreshed.all());
        assertTrue(
                refreshed
                        .out()
                        .contains("; sink 'all': the table at " + dir.resolve("all")
                                + " emptied in one commit (version 1;"
                                + " the rows before stay readable with VERSION AS OF 0 until vacuumed); sink 'big': the"
                                + " table at " + dir.resolve("big") + " emptied in one commit (version 1;"),
                refreshed.out());
        var spark = SharedSluice.get().spark();
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L, 5L),
                spark.read().format("delta").load(dir.resolve("all").toString()).orderBy("id").collectAsList().stream()
                        .map(row -> row.getLong(0))
                        .toList(),
                "each record once in the emptied table, read again from the beginning");
        assertEquals(
                List.of(2L, 3L, 4L, 5L),
                spark.read().format("delta").load(dir.resolve("big").toString()).orderBy("id").collectAsList().stream()
                        .map(row -> row.getLong(0))
                        .toList());
    }

    private static void waitUntilGone(String topic) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (kafka.admin().listTopics().names().get().contains(topic) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    void aDeltaSourceIsRewoundToAVersionOrATimeAndAVersionTheTableLacksIsRefused() throws Exception {
        var spark = SharedSluice.get().spark();
        String table = dir.resolve("bronze").toString();
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT) USING delta");
        for (int version = 1; version <= 3; version++) {
            spark.sql("INSERT INTO delta.`" + table + "` VALUES (" + version + ")");
        }
        Path file = dir.resolve("silver.yaml");
        java.nio.file.Files.writeString(file, """
                pipelines:
                  - name: silver
                    source:
                      connector: delta
                      options: {path: %s}
                    sink:
                      connector: delta
                      options: {path: %s}
                    trigger: availableNow
                    checkpointLocation: %s
                """.formatted(table, dir.resolve("silver"), dir.resolve("checkpoint")));
        assertEquals(0, Cli.run("run", file.toString()).exit());
        assertTrue(
                Cli.run("checkpoint", "show", file.toString())
                        .out()
                        .contains("  behind the source's latest: " + table + " 0"),
                Cli.run("checkpoint", "show", file.toString()).out());

        Cli.Result refused = Cli.run("checkpoint", "rewind", file.toString(), "--to-offsets", "9");
        assertEquals(1, refused.exit());
        assertEquals(
                "sluice checkpoint rewind: pipeline 'silver': --to-offsets 9: version 9 is after the table's latest, 3"
                        + " (4 reads what comes next) (nothing was changed)\n",
                refused.err());
        Cli.Result rewound = Cli.run("checkpoint", "rewind", file.toString(), "--to-offsets", "2");
        assertEquals(0, rewound.exit(), rewound.all());
        assertEquals(0, Cli.run("run", file.toString()).exit());
        assertEquals(
                List.of(1L, 2L, 2L, 3L, 3L),
                spark.sql("SELECT id FROM delta.`" + dir.resolve("silver") + "` ORDER BY id").collectAsList().stream()
                        .map(row -> row.getLong(0))
                        .toList(),
                "versions 2 and 3 read again");

        spark.sql("INSERT INTO delta.`" + table + "` VALUES (4)");
        Cli.Result latest = Cli.run("checkpoint", "rewind", file.toString(), "--to-latest");
        assertEquals(0, latest.exit(), latest.all());
        spark.sql("INSERT INTO delta.`" + table + "` VALUES (5)");
        assertEquals(0, Cli.run("run", file.toString()).exit());
        assertEquals(
                List.of(1L, 2L, 2L, 3L, 3L, 5L),
                spark.sql("SELECT id FROM delta.`" + dir.resolve("silver") + "` ORDER BY id").collectAsList().stream()
                        .map(row -> row.getLong(0))
                        .toList(),
                "version 4 skipped, version 5 read");
    }
}
