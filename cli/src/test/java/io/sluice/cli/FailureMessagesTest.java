package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline that fails at run time ends {@code sluice run} with one line in words — what
 * failed, where, what to do — and no stack trace, for each cause an operator meets, each
 * made real: a broker stopped, records deleted from Kafka, a sink path that cannot be
 * written, a full disk (a 1 MB tmpfs, mounted as root does in this build's CI container).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FailureMessagesTest {
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        SharedSluice.get(); // the command adopts this session
    }

    private static String file(String sinkPath, String trigger, String... sourceOptions) {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < sourceOptions.length; i += 2) {
            extra.append("        ")
                    .append(sourceOptions[i])
                    .append(": ")
                    .append(sourceOptions[i + 1])
                    .append('\n');
        }
        return """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        subscribe: ${TOPIC}
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT, note STRING
                %s    sink:
                      connector: parquet
                      options:
                        path: %s
                    checkpointLocation: ${WORK}/checkpoint
                    trigger: %s
                """.formatted(extra, sinkPath, trigger);
    }

    /** Runs the file in the background; {@code fault} is applied once the first batch is committed. */
    private Cli.Result runWithFault(String yaml, String brokers, String topic, Fault fault) throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), yaml);
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run(
                "run",
                file.toString(),
                "--set",
                "BROKERS=" + brokers,
                "--set",
                "TOPIC=" + topic,
                "--set",
                "WORK=" + dir));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.exists(dir.resolve("checkpoint/commits/0")) && System.nanoTime() < deadline && !run.isDone()) {
            Thread.sleep(100);
        }
        assertFalse(
                run.isDone(),
                () -> "the pipeline ended before its first batch: " + run.join().all());
        fault.apply();
        Cli.Result result = run.get(3, TimeUnit.MINUTES);
        assertEquals(1, result.exit(), result.all());
        assertFalse(result.all().contains("\tat "), result.all());
        return result;
    }

    private interface Fault {
        void apply() throws Exception;
    }

    private static String failure(Cli.Result result) {
        return result.err()
                .lines()
                .filter(l -> l.startsWith("sluice: pipeline"))
                .findFirst()
                .orElse(result.err());
    }

    private static List<String> orders(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "{\"id\":" + i + ",\"note\":\"n\"}")
                .toList();
    }

    @Test
    void aStoppedBrokerIsNamedWithHowLongItDidNotAnswer() throws Exception {
        EmbeddedKafka own = EmbeddedKafka.start();
        String topic = own.newTopic("failing-broker", 1);
        own.produceValues(topic, orders(0, 10));
        Cli.Result result = runWithFault(
                file(
                        "${WORK}/orders",
                        "1 second",
                        "kafka.default.api.timeout.ms",
                        "4000",
                        "kafka.request.timeout.ms",
                        "2000",
                        "fetchOffset.numRetries",
                        "1",
                        "fetchOffset.retryIntervalMs",
                        "100"),
                own.bootstrapServers(),
                topic,
                own::close);
        assertTrue(
                failure(result)
                        .matches("sluice: pipeline 'orders' failed: query 'orders', batch \\d+: Kafka did not answer"
                                + " for \\d+ s \\(the brokers are down or cannot be reached from here\\): check the brokers and the network,"
                                + " then start the pipeline again: it resumes from its checkpoint"),
                result.err());
    }

    @Test
    void recordsDeletedBeforeTheyWereReadAreNamedWithTheirPartition() throws Exception {
        String topic = kafka.newTopic("deleted-records", 1);
        kafka.produceValues(topic, orders(0, 10));
        Cli.Result result = runWithFault(file("${WORK}/orders", "3 seconds"), kafka.bootstrapServers(), topic, () -> {
            kafka.produceValues(topic, orders(10, 10));
            kafka.admin()
                    .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(15)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        });
        assertEquals(
                "sluice: pipeline 'orders' failed: query 'orders', batch 1: records were deleted from Kafka before the pipeline"
                        + " read them (at " + topic
                        + "-0) — by retention, or the topic was deleted and created again: they are gone;"
                        + " set failOnDataLoss false to go on from the earliest records left, or start with a new checkpoint",
                failure(result),
                result.err());
    }

    @Test
    void aSinkPathThatCannotBeWrittenIsNamed() throws Exception {
        String topic = kafka.newTopic("unwritable", 1);
        kafka.produceValues(topic, orders(0, 10));
        Path sink = dir.resolve("orders");
        Cli.Result result = runWithFault(file(sink.toString(), "1 second"), kafka.bootstrapServers(), topic, () -> {
            try (var files = Files.walk(sink)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
            Files.writeString(sink, "a file where the sink's directory was");
            kafka.produceValues(topic, orders(10, 10));
        });
        assertTrue(
                failure(result)
                        .matches("sluice: pipeline 'orders' failed: query 'orders', batch 1: cannot write at (file:)?"
                                + java.util.regex.Pattern.quote(sink.toString())
                                + "\\S* \\(.+\\): make it a writable directory or choose another path,"
                                + " then start the pipeline again: it resumes from its checkpoint"),
                result.err());
    }

    /** A sink directory that exists but cannot be written is refused before start, not by the first batch. */
    @Test
    void aSinkDirectoryThatCannotBeWrittenIsRefusedBeforeStart() throws Exception {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        mount("mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", readOnly.toString());
        try {
            Path file = Files.writeString(dir.resolve("orders.yaml"), file(readOnly.toString(), "1 second"));
            Cli.Result result = Cli.run(
                    "validate",
                    file.toString(),
                    "--set",
                    "BROKERS=127.0.0.1:9",
                    "--set",
                    "TOPIC=t",
                    "--set",
                    "WORK=" + dir);
            assertEquals(
                    new Cli.Result(
                            1,
                            file + ":11:5: sink 'parquet': option 'path' = '" + readOnly + "' cannot be written: the"
                                    + " directory is not writable by user '" + System.getProperty("user.name")
                                    + "' (its file system is mounted read-only): make it writable, or choose"
                                    + " another\n1 problem\n",
                            ""),
                    result);
        } finally {
            mount("umount", "-l", readOnly.toString());
        }
    }

    @Test
    void aFullDiskIsNamedWithItsPath() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small-disk"));
        mount("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        try {
            String topic = kafka.newTopic("full-disk", 1);
            kafka.produceValues(topic, orders(0, 10));
            Cli.Result result = runWithFault(
                    file(small.resolve("orders").toString(), "1 second"),
                    kafka.bootstrapServers(),
                    topic,
                    () -> kafka.produceValues(topic, incompressible(10, 300, 8_000)));
            assertTrue(
                    failure(result)
                            .matches(
                                    "sluice: pipeline 'orders' failed: query 'orders', batch \\d+: the disk is full at (file:)?"
                                            + java.util.regex.Pattern.quote(small.toString())
                                            + "\\S*: free space there \\(or move the output elsewhere\\),"
                                            + " then start the pipeline again: it resumes from its checkpoint"),
                    result.err());
        } finally {
            mount("umount", "-l", small.toString());
        }
    }

    /** Records whose notes parquet cannot compress, so a few of them fill a small disk. */
    private static List<String> incompressible(int from, int count, int noteBytes) {
        Random random = new Random(42);
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            byte[] note = new byte[noteBytes];
            random.nextBytes(note);
            values.add("{\"id\":" + i + ",\"note\":\"" + Base64.getEncoder().encodeToString(note) + "\"}");
        }
        return values;
    }

    private static void mount(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(
                0,
                process.waitFor(),
                String.join(" ", command) + " failed (this test needs to mount a tmpfs, as root): " + output);
    }
}
