package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice dev kafka} in a JVM of its own as a user starts it, {@code sluice dev produce}
 * filling its topic from a file (with keys), the records read back with a plain consumer, and
 * Ctrl-C (SIGINT) stopping the broker cleanly.
 */
class DevCommandTest {
    @TempDir
    Path dir;

    @Test
    void aBrokerForAQuickTryTakesAFilesLinesAndStopsOnCtrlC() throws Exception {
        try (JavaProcess broker = JavaProcess.start(
                "sluice dev kafka",
                dir.resolve("dev-kafka.log"),
                Map.of(),
                List.of("-Xmx512m"),
                JavaProcess.testClassPath(),
                Main.class.getName(),
                List.of("dev", "kafka", "--port", "0", "--topics", "orders,refunds"))) {
            String started = broker.awaitLine(Pattern.compile("^Kafka at "), Duration.ofMinutes(1));
            Matcher address = Pattern.compile("^Kafka at (\\S+) with topics orders, refunds; Ctrl-C stops it$")
                    .matcher(started);
            assertTrue(address.find(), started);
            String servers = address.group(1);

            Path lines = Files.writeString(dir.resolve("orders.jsonl"), "a|{\"id\":1}\n\nb|{\"id\":2}\nc|{\"id\":3}\n");
            Cli.Result produced = Cli.run(
                    "dev",
                    "produce",
                    "orders",
                    lines.toString(),
                    "--bootstrap-server",
                    servers,
                    "--key-separator",
                    "|");
            assertEquals(new Cli.Result(0, "produced 3 records to 'orders' at " + servers + "\n", ""), produced);
            assertEquals(List.of("a={\"id\":1}", "b={\"id\":2}", "c={\"id\":3}"), read(servers, "orders", 3));

            Cli.Result missing = Cli.run(
                    "dev", "produce", "orders", dir.resolve("none.jsonl").toString());
            assertEquals(2, missing.exit());
            assertTrue(
                    missing.err().startsWith("sluice dev produce: " + dir.resolve("none.jsonl") + " cannot be read"),
                    missing.err());

            broker.interrupt();
            assertEquals(0, broker.awaitExit(Duration.ofMinutes(1)), broker.output());
            assertTrue(broker.output().contains("stopped; its data is deleted"), broker.output());
        }
    }

    /**
     * {@code sluice dev registry} and {@code sluice dev kafka} in JVMs of their own, topics created
     * after the broker started, and JSON lines produced as Avro values in Confluent's framing —
     * read back with Avro's own reader.
     */
    @Test
    void aRegistryTopicsAndAvroValuesForAQuickTry() throws Exception {
        try (JavaProcess broker = JavaProcess.start(
                        "sluice dev kafka",
                        dir.resolve("dev-kafka.log"),
                        Map.of(),
                        List.of("-Xmx512m"),
                        JavaProcess.testClassPath(),
                        Main.class.getName(),
                        List.of("dev", "kafka", "--port", "0"));
                JavaProcess registry = JavaProcess.start(
                        "sluice dev registry",
                        dir.resolve("dev-registry.log"),
                        Map.of(),
                        List.of("-Xmx256m"),
                        JavaProcess.testClassPath(),
                        Main.class.getName(),
                        List.of("dev", "registry", "--port", "0"))) {
            Matcher address = Pattern.compile("^Kafka at (\\S+); Ctrl-C stops it$")
                    .matcher(broker.awaitLine(Pattern.compile("^Kafka at "), Duration.ofMinutes(1)));
            assertTrue(address.find());
            String servers = address.group(1);
            Matcher at = Pattern.compile(
                            "^Schema registry at (\\S+) \\(Confluent's API, in memory, no compatibility checks\\);"
                                    + " Ctrl-C stops it$")
                    .matcher(registry.awaitLine(Pattern.compile("^Schema registry at "), Duration.ofMinutes(1)));
            assertTrue(at.find());
            String url = at.group(1);

            assertEquals(
                    new Cli.Result(0, "created topic 'payments' with 2 partitions at " + servers + "\n", ""),
                    Cli.run("dev", "topic", "payments", "--partitions", "2", "--bootstrap-server", servers));
            assertEquals(
                    new Cli.Result(1, "", "sluice dev topic: cannot create 'payments' at " + servers + ": it exists\n"),
                    Cli.run("dev", "topic", "payments", "--bootstrap-server", servers));

            Path schema = Files.writeString(
                    dir.resolve("payment.avsc"),
                    "{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"amount\",\"type\":\"double\"}]}");
            Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"three\",\"amount\":1}\n");
            Cli.Result refused = Cli.run(
                    "dev",
                    "produce",
                    "payments",
                    bad.toString(),
                    "--bootstrap-server",
                    servers,
                    "--value-format",
                    "avro",
                    "--schema-registry",
                    url,
                    "--value-schema",
                    schema.toString());
            assertEquals(
                    new Cli.Result(
                            1,
                            "",
                            "sluice dev produce: record 1 does not fit subject 'payments-value' version 1 (id 1): field"
                                    + " 'id': expected a long, got \"three\"\n"),
                    refused);

            Path lines = Files.writeString(
                    dir.resolve("payments.jsonl"), "{\"id\":1,\"amount\":2.5}\n{\"id\":2,\"amount\":4}\n");
            assertEquals(
                    new Cli.Result(0, "produced 2 records to 'payments' at " + servers + "\n", ""),
                    Cli.run(
                            "dev",
                            "produce",
                            "payments",
                            lines.toString(),
                            "--bootstrap-server",
                            servers,
                            "--value-format",
                            "avro",
                            "--schema-registry",
                            url));
            org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(Files.readString(schema));
            List<String> values = new ArrayList<>();
            for (byte[] value : readBytes(servers, "payments", 2, 2)) {
                assertEquals(0, value[0], "Confluent's magic byte");
                assertEquals(1, java.nio.ByteBuffer.wrap(value, 1, 4).getInt(), "the schema's id");
                var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
                values.add(new org.apache.avro.generic.GenericDatumReader<Object>(avro)
                        .read(null, decoder)
                        .toString());
            }
            assertEquals(
                    List.of("{\"id\": 1, \"amount\": 2.5}", "{\"id\": 2, \"amount\": 4.0}"),
                    values.stream().sorted().toList());

            registry.interrupt();
            assertEquals(0, registry.awaitExit(Duration.ofMinutes(1)), registry.output());
            assertTrue(registry.output().contains("stopped; its schemas are gone"), registry.output());
            broker.interrupt();
            assertEquals(0, broker.awaitExit(Duration.ofMinutes(1)), broker.output());
        }
    }

    private static List<byte[]> readBytes(String servers, String topic, int partitions, int count) {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", servers);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                settings,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            List<byte[]> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(record.value()));
            }
            return records;
        }
    }

    private static List<String> read(String servers, String topic, int count) {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", servers);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.key() + "=" + record.value());
                }
            }
            return records;
        }
    }
}
