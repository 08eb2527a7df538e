package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.JavaProcess;
import io.sluice.testkit.KafkaBrokerProcess;
import io.sluice.testkit.SharedSluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's worst day does to a pipeline: a broker and a {@code sluice run} each in
 * a JVM of their own, a producer writing JSON orders with 1 % malformed ones (and a rule that
 * quarantines one good order in ten), the pipeline
 * killed with {@code kill -9} at random moments and started again, and halfway through the
 * broker killed too and restarted on the same data and port. After a drain, every record of
 * the topic is in the parquet output (read through its metadata log) or in the dead letter,
 * exactly once.
 *
 * <p>{@code -Dsluice.kills=N} (default 3) and {@code -Dsluice.killRecords=N} (default 20,000) size it:
 * {@code ./mvnw -pl cli verify -Dit.test=KillIT -Dsluice.kills=20 -Dsluice.killRecords=300000}; {@code -Dsluice.killSeed=N} replays
 * the random moments of a run (each run prints its seed).
 */
class KillIT {
    private static final int KILLS = Integer.getInteger("sluice.kills", 3);
    private static final int RECORDS = Integer.getInteger("sluice.killRecords", 20_000);
    /** RunCommandTest's orders, read on as they come, in bigger batches. */
    /** A rule that sets one good order in ten aside into the dead letter, exactly once like the bad records. */
    private static final String QUARANTINE = """
                expectations:
                  - name: id_not_7
                    expect: id % 10 <> 7
                    onViolation: quarantine
            """;

    private static final String PIPELINE = RunCommandTest.ordersFile("${WORK}/orders")
            .replace("maxOffsetsPerTrigger: 40", "maxOffsetsPerTrigger: 5000")
            .replace("trigger: availableNow", "trigger: ${TRIGGER}")
            .replace("    sink:\n", QUARANTINE + "    sink:\n");

    @TempDir
    Path dir;

    @Test
    void killedPipelinesAndARestartedBrokerLoseNothingAndDuplicateNothing() throws Exception {
        long seed = Long.getLong("sluice.killSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("kill test: seed %d (-Dsluice.killSeed=%d replays its moments)%n", seed, seed);
        int[] ports = EmbeddedKafka.freePorts(2);
        int brokerPort = ports[0];
        int controllerPort = ports[1];
        String brokers = "127.0.0.1:" + brokerPort;
        Path file = Files.writeString(dir.resolve("orders.yaml"), PIPELINE);
        List<String> run = List.of(
                "run", file.toString(), "--set", "BROKERS=" + brokers, "--set", "TOPIC=orders", "--set", "WORK=" + dir);
        int pipelineFailures = 0;
        long started = System.nanoTime();

        JavaProcess broker = broker(brokerPort, controllerPort, 0);
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
                admin.createTopics(List.of(new NewTopic("orders", 4, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Producer producer = new Producer(brokers, RECORDS, Duration.ofSeconds(10L * KILLS));
            producer.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                try (JavaProcess sluice = JavaProcess.start(
                        "sluice run " + kill,
                        dir.resolve("run-" + kill + ".log"),
                        Map.of(),
                        List.of("-Xmx1g", "-Dsluice.log.file=" + dir.resolve("sluice-" + kill + ".log")),
                        JavaProcess.testClassPath(),
                        Main.class.getName(),
                        concat(run, List.of("--set", "TRIGGER=1 second")))) {
                    // after the broker's own kill and restart, its partitions may take a while to have leaders again
                    try {
                        // a batch while records still come; once the producer is done and an earlier run read them
                        // all, a resumed run has nothing to do and prints no batch (seen in CI: its stream thread
                        // idle between triggers): then it is killed once started
                        sluice.awaitLine(
                                Pattern.compile(
                                        producer.isAlive()
                                                ? "^\\[orders\\] batch \\d+: "
                                                : "^started pipeline 'orders'"),
                                Duration.ofMinutes(4));
                    } catch (AssertionError e) { // a run that hangs says where: Spark's log, the broker's, its threads
                        throw new AssertionError(e.getMessage()
                                + "\n--- the run's log (last 80 lines) ---\n"
                                + tail(log(dir.resolve("sluice-" + kill + ".log")), 80)
                                + "\n--- the broker's output (last 40 lines) ---\n"
                                + tail(broker.output(), 40));
                    }
                    Thread.sleep(random.nextInt(3_000));
                    if (kill
                            == (KILLS + 1) / 2) { // halfway: the broker dies under the running pipeline, and comes back
                        broker.kill();
                        Thread.sleep(2_000 + random.nextInt(3_000));
                        broker = broker(brokerPort, controllerPort, kill);
                        awaitLeaders(brokers);
                        Thread.sleep(random.nextInt(3_000));
                    }
                    if (!sluice.isAlive()) {
                        pipelineFailures++;
                    }
                    sluice.kill();
                }
            }
            producer.join();
            Cli.Result drain = Cli.run(
                    concat(run, List.of("--set", "TRIGGER=availableNow")).toArray(String[]::new));
            assertEquals(0, drain.exit(), drain.all());

            long inTopic = producer.endOffsets();
            SparkSession spark = SharedSluice.get().spark();
            Dataset<Row> written = spark.read().parquet(dir.resolve("orders").toString());
            Dataset<Row> dead = spark.read().json(dir.resolve("dead-letter").toString());
            long rows = written.count();
            long distinctRows = written.select("partition", "offset").distinct().count();
            long deadLettered = dead.count();
            long distinctDead = dead.select("partition", "offset").distinct().count();
            long both = written.select("partition", "offset")
                    .intersect(dead.select("partition", "offset"))
                    .count();
            long lost = inTopic - distinctRows - distinctDead;
            System.out.printf(
                    "kill test: seed %d, %d kills of the pipeline (%d had failed by then), 1 broker restart;"
                            + " %,d records in the topic (%,d sent, %,d malformed): %,d written, %,d dead-lettered, %d lost, %d duplicated,"
                            + " in %d s%n",
                    seed,
                    KILLS,
                    pipelineFailures,
                    inTopic,
                    producer.sent(),
                    producer.bad(),
                    rows,
                    deadLettered,
                    lost,
                    rows - distinctRows + deadLettered - distinctDead + both,
                    (System.nanoTime() - started) / 1_000_000_000);

            assertEquals(0, lost, "records lost");
            assertEquals(distinctRows, rows, "rows written twice");
            assertEquals(distinctDead, deadLettered, "bad records dead-lettered twice");
            assertEquals(0, both, "records both written and dead-lettered");
            Dataset<Row> quarantined = dead.where("error = 'expectations broken: id_not_7'");
            assertEquals(
                    0,
                    dead.where("NOT (value LIKE 'bad %' OR error = 'expectations broken: id_not_7')")
                            .count(),
                    "only bad records and quarantined rows in the dead letter");
            assertEquals(
                    RECORDS / 10,
                    quarantined.select("partition", "offset").distinct().count(),
                    "every order whose id ends in 7 quarantined");
            assertEquals(
                    List.of("7"),
                    quarantined
                            .selectExpr("CAST(CAST(get_json_object(value, '$.id') AS BIGINT) % 10 AS STRING)")
                            .distinct()
                            .collectAsList()
                            .stream()
                            .map(r -> r.getString(0))
                            .toList(),
                    "the quarantined rows are the rule's, as JSON");
            assertTrue(deadLettered >= producer.bad(), "every malformed record sent is in the dead letter");
        } finally {
            broker.close();
        }
    }

    private static String log(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private JavaProcess broker(int port, int controllerPort, int restart) throws Exception {
        JavaProcess broker = JavaProcess.start(
                "broker",
                dir.resolve("broker-" + restart + ".log"),
                Map.of(),
                List.of("-Xmx512m"),
                JavaProcess.testClassPath(),
                KafkaBrokerProcess.class.getName(),
                List.of(dir.resolve("kafka").toString(), String.valueOf(port), String.valueOf(controllerPort)));
        broker.awaitLine(Pattern.compile("^" + KafkaBrokerProcess.READY), Duration.ofMinutes(1));
        return broker;
    }

    /**
     * A restarted broker answers before its partitions have leaders again: the next run is started
     * once every partition of the topic has one and its offsets can be listed, as an operator
     * would, so that what the run then does is the pipeline's doing, not the election's.
     */
    private static void awaitLeaders(String brokers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            while (System.nanoTime() < deadline) {
                try {
                    var topic = admin.describeTopics(List.of("orders"))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get("orders");
                    boolean led = topic.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    if (led) {
                        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                        topic.partitions()
                                .forEach(p ->
                                        latest.put(new TopicPartition("orders", p.partition()), OffsetSpec.latest()));
                        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                        return;
                    }
                } catch (Exception e) { // the broker is still coming back
                    last = e;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the restarted broker's partitions had no leaders after 2 minutes", last);
    }

    /** Writes JSON orders at a steady pace, every 100th malformed; idempotent, so a broker restart duplicates none. */
    private static final class Producer extends Thread {
        private final String brokers;
        private final int records;
        private final Duration over;
        private final AtomicLong bad = new AtomicLong();
        private volatile Exception failure;

        Producer(String brokers, int records, Duration over) {
            super("kill-test producer");
            this.brokers = brokers;
            this.records = records;
            this.over = over;
        }

        @Override
        public void run() {
            Map<String, Object> settings = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    brokers,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    "true",
                    ProducerConfig.LINGER_MS_CONFIG,
                    "5",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    "300000");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long due = start + over.toNanos() * i / records;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String value = i % 100 == 99 ? "bad " + i : "{\"id\":" + i + ",\"amount\":" + i + ".5}";
                    if (i % 100 == 99) {
                        bad.incrementAndGet();
                    }
                    producer.send(new ProducerRecord<>("orders", value.getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            } catch (Exception e) {
                failure = e;
            }
        }

        long sent() {
            return records;
        }

        long bad() {
            return bad.get();
        }

        long endOffsets() throws Exception {
            if (failure != null) {
                throw new AssertionError("the producer failed", failure);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                for (int p = 0; p < 4; p++) {
                    latest.put(new TopicPartition("orders", p), OffsetSpec.latest());
                }
                return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                        .mapToLong(i -> i.offset())
                        .sum();
            }
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
