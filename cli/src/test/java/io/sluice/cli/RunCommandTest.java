package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.SharedSluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** sluice run against a real broker and real files: what it prints, what it writes, how it fails. */
@ExtendWith(EmbeddedKafkaExtension.class)
class RunCommandTest {
    private static EmbeddedKafka kafka;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        spark = SharedSluice.get().spark(); // the command adopts this session
    }

    /** The demo's shape: JSON orders, a dead letter for the bad ones, parquet for the rest. */
    static String ordersFile(String sinkPath) {
        return """
                spark:
                  spark.sql.shuffle.partitions: 2
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        subscribe: ${TOPIC}
                        startingOffsets: earliest
                        maxOffsetsPerTrigger: 40
                        kafka.sasl.jaas.config: ${JAAS:-org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";}
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                        badRecords: dead_letter
                        deadLetter.path: ${WORK}/dead-letter
                    transforms:
                      - sql: SELECT id, amount, partition, offset FROM input
                    sink:
                      connector: parquet
                      options:
                        path: %s
                    checkpointLocation: ${WORK}/checkpoint
                    trigger: availableNow
                """.formatted(sinkPath);
    }

    static List<String> orders(int good, int bad) {
        List<String> values = new ArrayList<>();
        IntStream.range(0, good).forEach(i -> values.add("{\"id\":" + i + ",\"amount\":" + i + ".5}"));
        IntStream.range(0, bad).forEach(i -> values.add("not json " + i));
        return values;
    }

    private Cli.Result run(Path file, String topic, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                file.toString(),
                "--set",
                "BROKERS=" + kafka.bootstrapServers(),
                "--set",
                "TOPIC=" + topic,
                "--set",
                "WORK=" + dir));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void runsThePipelineOfAFileToTheEndWithAProgressLinePerBatch() throws IOException {
        String topic = kafka.newTopic("cli-run", 2);
        kafka.produceValues(topic, orders(100, 3));
        Path file = Files.writeString(dir.resolve("orders.yaml"), ordersFile("${WORK}/orders"));

        Cli.Result result = run(file, topic, "--set", "JAAS=" + Cli.JAAS_WITH_SECRET);
        assertEquals(0, result.exit(), result.all());
        assertFalse(result.all().contains("hunter2"));
        List<String> lines = result.out().lines().toList();
        assertEquals("started pipeline 'orders' (kafka -> parquet)", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[orders] batch 0: ")), result.out());
        // available-now: Spark's progress has no latest offsets, the cluster is asked
        List<String> batches =
                lines.stream().filter(l -> l.startsWith("[orders] batch ")).toList();
        assertTrue(batches.stream().allMatch(l -> l.contains(" behind latest")), result.out());
        assertTrue(batches.get(batches.size() - 1).contains(", 0 behind latest"), result.out());
        assertEquals("all pipelines finished", lines.get(lines.size() - 1));

        assertEquals(100, spark.read().parquet(dir.resolve("orders").toString()).count());
        assertEquals(
                100,
                spark.read()
                        .parquet(dir.resolve("orders").toString())
                        .select("id")
                        .distinct()
                        .count());
        assertEquals(3, spark.read().json(dir.resolve("dead-letter").toString()).count());
    }

    @Test
    void aPipelineThatFailsEndsTheRunWithOneShortMessageAndNoSecret() throws IOException {
        String topic = kafka.newTopic("cli-fail", 1);
        kafka.produceValues(topic, orders(10, 0));
        // a parent the process cannot make a directory in passes the checks before start (it is not a file), and fails
        // when Spark writes: a directory whose name is taken by a file, made after validation, by the pipeline itself
        Path file = Files.writeString(
                dir.resolve("orders.yaml"),
                ordersFile("${WORK}/orders")
                        .replace(
                                "      - sql: SELECT id, amount, partition, offset FROM input",
                                "      - sql: SELECT id, amount, partition, offset FROM input\n"
                                        + "      - sql: SELECT id, amount, partition, offset, CAST(raise_error('the disk is"
                                        + " on fire') AS STRING) AS boom FROM input"));
        Cli.Result result = run(file, topic, "--set", "JAAS=" + Cli.JAAS_WITH_SECRET);
        assertEquals(1, result.exit(), result.all());
        List<String> errors = result.err().lines().toList();
        assertEquals(2, errors.size(), result.err());
        assertTrue(
                errors.get(0).startsWith("sluice: pipeline 'orders' failed: query 'orders', batch 0: "), errors.get(0));
        assertTrue(errors.get(0).contains("the disk is on fire"), errors.get(0));
        assertTrue(errors.get(1).startsWith("the stack trace is in the log"), errors.get(1));
        assertFalse(result.all().contains("hunter2"));
        assertFalse(result.all().contains("\tat "), "no stack trace without --verbose");

        Cli.Result verbose = run(file, topic, "--set", "JAAS=" + Cli.JAAS_WITH_SECRET, "--verbose");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the trace");
        assertFalse(verbose.all().contains("hunter2"));
    }

    @Test
    void aSinkPathWhereAFileIsIsAProblemBeforeStart() throws IOException {
        String topic = kafka.newTopic("cli-file", 1);
        Path notADirectory =
                Files.writeString(dir.resolve("not-a-directory"), "a file where the sink's directory should be");
        Path file = Files.writeString(dir.resolve("orders.yaml"), ordersFile(notADirectory + "/orders"));
        Cli.Result result = run(file, topic);
        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        file + ":19:5: sink 'parquet': option 'path' = '" + notADirectory + "/orders' lies under '"
                                + notADirectory + "', which is a regular file: name a directory that is not inside a"
                                + " file\n1 problem: nothing was started\n"),
                result);
        Cli.Result offline = Cli.run(
                "validate",
                file.toString(),
                "--set",
                "BROKERS=localhost:9092",
                "--set",
                "TOPIC=t",
                "--set",
                "WORK=" + dir);
        assertEquals(1, offline.exit(), "validate sees it too, offline: " + offline.all());
    }

    @Test
    void problemsStopTheRunBeforeAnythingStarts() throws IOException {
        Path file = Files.writeString(
                dir.resolve("orders.yaml"), ordersFile("${WORK}/orders").replace("subscribe:", "subscrib:"));
        Cli.Result result = run(file, "never-read");
        assertEquals(1, result.exit(), result.all());
        assertEquals(
                List.of(
                        file
                                + ":9:9: source 'kafka': unknown option 'subscrib' — did you mean 'subscribe'? (options: assign, badRecords,"
                                + " commitOffsetsTo, deadLetter.format, deadLetter.path, deadLetter.topic, failOnDataLoss, fetchOffset.numRetries, fetchOffset.retryIntervalMs,"
                                + " groupIdPrefix, includeHeaders, kafka.*, kafka.bootstrap.servers,"
                                + " kafka.max.partition.fetch.bytes, kafka.max.poll.records, kafka.receive.buffer.bytes,"
                                + " kafkaConsumer.pollTimeoutMs, key.avroSchema, key.format,"
                                + " key.onNewSchema, key.protobuf.descriptorFile, key.protobuf.message, key.schema, key.subject, key.subject.version, maxOffsetsPerTrigger, maxRecordsPerPartition, maxTriggerDelay, minOffsetsPerTrigger,"
                                + " minPartitions, schemaRegistry.basic.auth.user.info, schemaRegistry.bearer.auth.token, schemaRegistry.ssl.key.password, schemaRegistry.ssl.keystore.location, schemaRegistry.ssl.keystore.password, schemaRegistry.ssl.keystore.type, schemaRegistry.ssl.truststore.location, schemaRegistry.ssl.truststore.password, schemaRegistry.ssl.truststore.type, schemaRegistry.url, startingOffsets, startingOffsetsByTimestamp, startingOffsetsByTimestampStrategy,"
                                + " startingTimestamp, subscribe, subscribePattern, value.avroSchema, value.columns, value.format, value.onNewSchema, value.protobuf.descriptorFile, value.protobuf.message, value.schema, value.subject, value.subject.version)",
                        "1 problem: nothing was started"),
                result.err().lines().toList());
        assertEquals("", result.out());
    }

    @Test
    void aMetricsEndpointThatCannotListenOrFilesThatDisagreeStartNothing() throws IOException {
        String topic = kafka.newTopic("cli-metrics", 1);
        Path first =
                Files.writeString(dir.resolve("first.yaml"), "metrics:\n  port: 9464\n" + ordersFile("${WORK}/first"));
        Path second = Files.writeString(
                dir.resolve("second.yaml"),
                "metrics:\n  port: 9465\n"
                        + ordersFile("${WORK}/second")
                                .replace("name: orders", "name: refunds")
                                .replace("${WORK}/checkpoint", "${WORK}/checkpoint2")
                                .replace("${WORK}/dead-letter", "${WORK}/dead-letter2"));
        Cli.Result disagree = run(first, topic, second.toString());
        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        second + ":2:3: 'metrics' here (127.0.0.1:9465) differs from the one in " + first
                                + " (127.0.0.1:9464): one process serves one endpoint; declare it in one file, or give"
                                + " --metrics-port\n1 problem: nothing was started\n"),
                disagree);

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result busy = run(first, topic, "--metrics-port", String.valueOf(taken.getLocalPort()));
            assertEquals(
                    new Cli.Result(
                            1,
                            "",
                            "sluice run: the metrics endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                    + ": Address already in use; choose another port (metrics.port, --metrics-port),"
                                    + " or 0 for any free one; nothing was started\n"),
                    busy);
        }
        Cli.Result notAPort = run(first, topic, "--metrics-port", "70000");
        assertEquals(
                new Cli.Result(
                        2,
                        "",
                        "sluice run: --metrics-port 70000 is not a port: give 1 to 65535, or 0 for any free one;"
                                + " nothing was started\n"),
                notAPort);
        assertFalse(Files.exists(dir.resolve("first")), "nothing ran");
    }

    @Test
    void whatNeedsNoSessionComesFirstAndAMasterThatDoesNotAnswerIsOneLine() throws IOException {
        String topic = kafka.newTopic("cli-master", 1);
        String nobody = "spark://127.0.0.1:" + EmbeddedKafka.freePort();
        Path typo = Files.writeString(
                dir.resolve("typo.yaml"),
                ordersFile("${WORK}/orders").replace("maxOffsetsPerTrigger", "maxOfsetsPerTrigger"));
        Cli.Result misspelt = run(typo, topic, "--master", nobody);
        assertEquals(1, misspelt.exit(), misspelt.all());
        assertTrue(
                misspelt.err()
                        .startsWith(typo + ":11:9: source 'kafka': unknown option 'maxOfsetsPerTrigger' — did"
                                + " you mean 'maxOffsetsPerTrigger'? (options: "),
                misspelt.err());
        assertTrue(misspelt.err().endsWith("\n1 problem: nothing was started\n"), misspelt.err());

        Path valid = Files.writeString(dir.resolve("valid.yaml"), ordersFile("${WORK}/orders"));
        Cli.Result noMaster = run(valid, topic, "--master", nobody);
        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        "sluice run: cannot reach the Spark master at " + nobody + ": " + nobody.substring(8)
                                + " (Connection refused) — check --master (or spark.master in the file's spark: map),"
                                + " and that the master is up and reachable from here; nothing was started\n"),
                noMaster);
    }

    @Test
    void validateConnectAsksTheBrokerAndValidateAloneStaysOffline() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.yaml"), ordersFile("${WORK}/orders"));
        String missing = "cli-no-such-topic";
        List<String> args = List.of(
                file.toString(),
                "--set",
                "BROKERS=" + kafka.bootstrapServers(),
                "--set",
                "TOPIC=" + missing,
                "--set",
                "WORK=" + dir);
        Cli.Result offline = Cli.run(concat(List.of("validate"), args));
        assertEquals(0, offline.exit(), offline.all());
        Cli.Result connected = Cli.run(concat(List.of("validate", "--connect"), args));
        assertEquals(
                new Cli.Result(
                        1,
                        file + ":5:5: source 'kafka': option 'subscribe' names topic '" + missing + "', which does not"
                                + " exist on " + kafka.bootstrapServers()
                                + " (create it first, or correct 'subscribe')\n"
                                + "1 problem\n",
                        ""),
                connected);
    }

    @Test
    void aRestartFromACheckpointSaysWhereItResumes() throws IOException {
        String topic = kafka.newTopic("cli-resume", 1);
        kafka.produceValues(topic, orders(30, 0));
        Path file = Files.writeString(dir.resolve("orders.yaml"), ordersFile("${WORK}/orders"));
        Cli.Result first = run(file, topic);
        assertEquals(0, first.exit(), first.all());
        assertEquals(
                "started pipeline 'orders' (kafka -> parquet)",
                first.out().lines().findFirst().orElseThrow());
        kafka.produceValues(topic, orders(5, 0));
        Cli.Result second = run(file, topic);
        assertEquals(0, second.exit(), second.all());
        assertTrue(
                second.out().startsWith("started pipeline 'orders' (kafka -> parquet), resuming after batch 0\n"),
                second.out());
    }

    @Test
    void aBrokerThatDoesNotAnswerAtStartIsOneProblemAtItsLineWithinSeconds() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.yaml"), ordersFile("${WORK}/orders"));
        String nobody = "127.0.0.1:" + EmbeddedKafka.freePort();
        Cli.Result result = Cli.run(
                "run", file.toString(), "--set", "BROKERS=" + nobody, "--set", "TOPIC=orders", "--set", "WORK=" + dir);
        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        file + ":5:5: source 'kafka': Kafka did not answer at " + nobody + " within 10 s: check"
                                + " kafka.bootstrap.servers, that the brokers are up and reachable from here, and"
                                + " kafka.security.protocol\n1 problem: nothing was started\n"),
                result);
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }
}
