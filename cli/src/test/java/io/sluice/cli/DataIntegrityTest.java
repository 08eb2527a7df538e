package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.TaskBlocker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-integrity defects as a new user met them, with pipeline files written from the
 * README and a real broker: each of these once passed validation and wrote wrong data, or told
 * the operator something false.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DataIntegrityTest {
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        SharedSluice.get(); // the command adopts this session
    }

    private static String file(String transforms, String sink, String more) {
        return """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        subscribe: ${TOPIC}
                        startingOffsets: earliest
                        maxOffsetsPerTrigger: 40
                        value.format: json
                        value.schema: id BIGINT, customer STRING, status STRING, amount DOUBLE
                        badRecords: ${BAD:-skip}
                    transforms:
                      - sql: %s
                    sink:
                %s
                    checkpointLocation: ${WORK}/checkpoint
                    trigger: availableNow
                %s""".formatted(transforms, sink.indent(6).stripTrailing(), more);
    }

    private static List<String> orders(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "{\"id\":" + i + ",\"customer\":\"c" + (i % 3) + "\",\"status\":\"s" + (i % 2)
                        + "\",\"amount\":" + i + ".5}")
                .toList();
    }

    private Cli.Result sluice(String command, Path file, String topic, String... more) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of(
                command, file.toString(), "--set", "BROKERS=" + kafka.bootstrapServers(), "--set", "TOPIC=" + topic));
        if (Files.readString(file).contains("${WORK}")) { // a --set no file uses is a mistake the command reports
            args.addAll(List.of("--set", "WORK=" + dir));
        }
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private long records(String topic) {
        return kafka.endOffsets(topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    @Test
    void aKafkaSinkThatWouldWriteBackIntoItsSourceTopicIsRefusedByValidateAndRun() throws Exception {
        String topic = kafka.newTopic("cli-loop", 1);
        kafka.produceValues(topic, orders(0, 10));
        Path file = Files.writeString(
                dir.resolve("loop.yaml"),
                file(
                        "SELECT * FROM input WHERE amount > 0",
                        "connector: kafka\noptions:\n  kafka.bootstrap.servers: ${BROKERS}",
                        ""));
        String refusal = file
                + ":15:5: sink 'kafka': without option 'topic', each row goes to the topic in its column 'topic', and"
                + " that column is the kafka source's own: every record would go back to the topic it was read from, and be read"
                + " again, without end; set option 'topic' to the topic to write, or compute the column in the SQL (e.g."
                + " concat(topic, '-out') AS topic)";

        Cli.Result validate = sluice("validate", file, topic);
        assertEquals(1, validate.exit(), validate.all());
        assertEquals(List.of(refusal, "1 problem"), validate.out().lines().toList());

        Cli.Result run = sluice("run", file, topic);
        assertEquals(1, run.exit(), run.all());
        assertEquals(
                List.of(refusal, "1 problem: nothing was started"),
                run.err().lines().toList());
        assertEquals(10, records(topic), "not one record written back");
    }

    @Test
    void aKafkaSinkWithoutACheckpointIsRefusedInAFile() throws Exception {
        String topic = kafka.newTopic("cli-forgetful", 1);
        Path file = Files.writeString(
                dir.resolve("forgetful.yaml"),
                file(
                                "SELECT id, amount FROM input",
                                "connector: kafka\noptions:\n  kafka.bootstrap.servers: ${BROKERS}\n  topic: elsewhere",
                                "")
                        .replace("    checkpointLocation: ${WORK}/checkpoint\n", ""));
        Cli.Result validate = sluice("validate", file, topic);
        assertEquals(1, validate.exit(), validate.all());
        assertEquals(
                List.of(
                        file
                                + ":17:7: sink 'kafka': missing required option 'checkpointLocation' (set it on the sink or on"
                                + " the pipeline): it is where the pipeline keeps how far it got, so that a restart goes on from there instead of"
                                + " writing its input again",
                        "1 problem"),
                validate.out().lines().toList());
    }

    /** An UPDATE-mode aggregation of the orders in {@code topic} into a Kafka topic, as a pipeline file named {@code name}. */
    private Path aggregation(String name, String sql, String out) throws IOException {
        String sink = "connector: kafka\noptions:\n  kafka.bootstrap.servers: ${BROKERS}\n  topic: " + out;
        return Files.writeString(dir.resolve(name + ".yaml"), file(sql, sink, "    outputMode: update\n"));
    }

    /** Topics of a count per customer that has run once over {@code orders} orders into its checkpoint. */
    private record Counted(String topic, String out) {}

    private Counted countedOnce(String prefix, int orders) throws IOException {
        Counted counted = new Counted(kafka.newTopic(prefix, 1), kafka.newTopic(prefix + "-out", 1));
        kafka.produceValues(counted.topic(), orders(0, orders));
        Path original =
                aggregation("totals", "SELECT customer, count(*) AS n FROM input GROUP BY customer", counted.out());
        assertEquals(0, sluice("run", original, counted.topic()).exit());
        return counted;
    }

    @Test
    void aChangedAggregationIsRefusedBeforeStartAndOnlyACommittedBatchChangesTheCheckpointsRecord() throws Exception {
        Counted counted = countedOnce("cli-grouped", 30);
        String topic = counted.topic();
        String out = counted.out();
        Path record = dir.resolve("checkpoint/_sluice/pipeline.json");

        Path grouped = aggregation(
                "grouped", "SELECT customer, status, count(*) AS n FROM input GROUP BY customer, status", out);
        Cli.Result refused = sluice("run", grouped, topic);
        assertEquals(1, refused.exit(), refused.all());
        assertEquals(
                grouped + ":13:5: pipeline 'orders': the checkpoint at " + dir.resolve("checkpoint") + " belongs to"
                        + " a pipeline with an aggregation (GROUP BY, count, window) keeping its state by (customer string), and this one"
                        + " keeps it by (customer string, status string): Spark cannot restore state kept under other keys; give the"
                        + " changed pipeline a new checkpointLocation (it then starts from its startingOffsets), or undo the change"
                        + "\n1 problem: nothing was started",
                refused.err().strip());
        String recorded = Files.readString(record); // the first run's description, in force since its first commit

        Path summed = aggregation(
                "summed", "SELECT customer, count(*) AS n, sum(amount) AS total FROM input GROUP BY customer", out);
        Cli.Result reshaped = sluice("run", summed, topic);
        assertEquals(1, reshaped.exit(), reshaped.all());
        assertTrue(
                reshaped.err()
                        .contains("keeping count(1) per key, and this one keeps count(1), sum(amount): Spark cannot"
                                + " restore state of another shape"),
                reshaped.err());
        assertEquals(recorded, Files.readString(record), "a refused start leaves the checkpoint's record as it was");
    }

    @Test
    void sparksOwnStateSchemaErrorIsSaidInWordsWhenTheCheckpointPredatesTheCheck() throws Exception {
        Counted counted = countedOnce("cli-old-checkpoint", 10);
        String topic = counted.topic();
        String out = counted.out();
        // a checkpoint written before Sluice described state: only Spark can tell, once data arrives
        Files.walk(dir.resolve("checkpoint/_sluice"))
                .filter(Files::isRegularFile)
                .forEach(f -> f.toFile().delete());
        kafka.produceValues(topic, orders(10, 5));
        Path grouped = aggregation(
                "grouped", "SELECT customer, status, count(*) AS n FROM input GROUP BY customer, status", out);
        Cli.Result failed = sluice("run", grouped, topic);
        assertEquals(1, failed.exit(), failed.all());
        assertEquals(
                "sluice: pipeline 'orders' failed: query 'orders', batch 1: the checkpoint's state was kept by another"
                        + " version of the query (its keys or what it keeps per key changed: a GROUP BY, a deduplication, an aggregate"
                        + " function), and Spark cannot restore it into this one: give the changed pipeline a new checkpointLocation (it"
                        + " then starts from its startingOffsets), or undo the change",
                failed.err().lines().findFirst().orElseThrow());
    }

    @Test
    void aChangeThatStartsButCommitsNoBatchLeavesTheCheckpointsRecordAsItWas() throws Exception {
        String topic = kafka.newTopic("cli-pending", 1);
        kafka.produceValues(topic, orders(0, 10));
        String sink = "connector: parquet\noptions:\n  path: ${WORK}/out";
        Path original = Files.writeString(dir.resolve("original.yaml"), file("SELECT id, amount FROM input", sink, ""));
        assertEquals(0, sluice("run", original, topic).exit());
        Path changed = Files.writeString(
                dir.resolve("changed.yaml"),
                file("SELECT CAST(id AS STRING) AS id, amount FROM input", sink, "    acceptChanges: [schema]\n"));

        assertEquals(0, sluice("run", changed, topic).exit(), "accepted, and nothing new to read: no batch commits");
        assertEquals(0, sluice("run", original, topic).exit(), "the checkpoint still describes the original");

        kafka.produceValues(topic, orders(10, 5));
        assertEquals(0, sluice("run", changed, topic).exit(), "a batch of the changed pipeline commits");
        Cli.Result refused = sluice("run", original, topic);
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.err().contains("whose column 'id' was string, and it is bigint now"), refused.err());
    }

    @Test
    void aFailureAfterARestartNamesTheBatchThatFailedFromTheOffsetLog() throws Exception {
        String topic = kafka.newTopic("cli-batch", 1);
        String out = kafka.newTopic("cli-batch-out", 1);
        kafka.produceValues(topic, orders(0, 100));
        Path file = Files.writeString(
                dir.resolve("strict.yaml"),
                file(
                        "SELECT id, amount FROM input",
                        "connector: kafka\noptions:\n  kafka.bootstrap.servers: ${BROKERS}\n  topic: " + out,
                        ""));
        assertEquals(0, sluice("run", file, topic, "--set", "BAD=fail").exit(), "batches 0, 1 and 2 committed");
        kafka.produceValues(topic, List.of("not json"));

        Cli.Result failed = sluice("run", file, topic, "--set", "BAD=fail");
        assertEquals(1, failed.exit(), failed.all());
        String message = failed.err().lines().findFirst().orElseThrow();
        assertTrue(message.startsWith("sluice: pipeline 'orders' failed: query 'orders', batch 3: "), message);
    }

    @Test
    void theMemorySinkShowsItsRowsWhenTheRunEnds() throws Exception {
        String topic = kafka.newTopic("cli-memory", 1);
        kafka.produceValues(topic, orders(0, 30));
        Path file = Files.writeString(
                dir.resolve("memory.yaml"),
                file(
                                "SELECT customer, count(*) AS n FROM input GROUP BY customer",
                                "connector: memory",
                                "    outputMode: complete\n")
                        .replace("    checkpointLocation: ${WORK}/checkpoint\n", ""));
        Cli.Result run = sluice("run", file, topic);
        assertEquals(0, run.exit(), run.all());
        List<String> lines = run.out().lines().toList();
        assertEquals(
                "started pipeline 'orders' (kafka -> memory): its rows stay in this process, in the table 'orders', and are"
                        + " printed when the run ends",
                lines.get(0));
        int table = lines.indexOf("rows of pipeline 'orders' (table 'orders', 3 rows):");
        assertTrue(table > 0, run.out());
        assertEquals(
                List.of("+--------+---+", "|customer|  n|", "+--------+---+"), lines.subList(table + 1, table + 4));
        assertEquals(
                List.of("|      c0| 10|", "|      c1| 10|", "|      c2| 10|"),
                lines.subList(table + 4, table + 7).stream().sorted().toList());
    }

    @Test
    void aSecondSignalSaysWhichBatchItInterruptedAndThatItWillBeRedone() throws Exception {
        String topic = kafka.newTopic("cli-second-signal", 1);
        String out = kafka.newTopic("cli-second-signal-out", 1);
        kafka.produce(topic, orders(0, 50).stream().map(KafkaRecord::value).toList());
        Sluice sluice = SharedSluice.get();
        TaskBlocker.blockAt(0, 45);
        Pipeline pipeline = sluice.pipeline("signalled")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, amount DOUBLE",
                                "maxOffsetsPerTrigger",
                                "20"))
                .sql("SELECT id, amount, partition, offset FROM input")
                .transform("block one record", TaskBlocker::apply)
                .sink("kafka", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out))
                .checkpointLocation(dir.resolve("signal-checkpoint").toString())
                .trigger(StreamTrigger.processingTime(Duration.ZERO))
                .build();
        StringWriter printed = new StringWriter();
        Runner runner = new Runner(
                new PrintWriter(printed, true),
                new PrintWriter(printed, true),
                Secrets.of(List.of(), sluice.connectors()),
                false);
        try {
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    Checked.Plans plans = new Checked.Plans(
                            List.of(),
                            List.of(pipeline),
                            List.of(pipeline.validate()),
                            List.of(),
                            io.sluice.engine.graph.PipelineGraph.of(
                                    sluice.connectors(), List.of(pipeline.definition())),
                            List.of(pipeline));
                    return runner.run(plans, plan -> {}, Duration.ofMinutes(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(TaskBlocker.awaitBlocked(Duration.ofMinutes(1)), "batch 2 reached record 45");
            runner.requestStop("SIGTERM");
            Thread.sleep(500); // the graceful stop waits for the blocked batch
            runner.requestStop("SIGTERM");
            assertEquals(0, run.get().intValue(), printed.toString());
        } finally {
            TaskBlocker.release();
            TaskBlocker.disarm();
        }
        List<String> lines = printed.toString().lines().toList();
        assertTrue(lines.contains("sluice: SIGTERM received again: stopping at once"), printed.toString());
        assertEquals(
                "stopped at once on the second signal: batch 2 of pipeline 'signalled' was interrupted and will be redone on"
                        + " restart",
                lines.get(lines.size() - 1));
        assertFalse(printed.toString().contains("stopped gracefully"), printed.toString());
    }
}
