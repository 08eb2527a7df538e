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
