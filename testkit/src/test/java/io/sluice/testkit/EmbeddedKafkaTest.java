package io.sluice.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaTest {

    @Test
    void producesAndConsumesKeysValuesHeadersAndTimestamps(EmbeddedKafka kafka) {
        kafka.createTopic("round-trip", 2);
        kafka.produce(
                "round-trip",
                List.of(
                        KafkaRecord.of("k1", "v1")
                                .withHeaders(Map.of("source", "test"))
                                .withTimestamp(1_700_000_000_000L)
                                .toPartition(0),
                        KafkaRecord.of("k2", "v2").toPartition(1),
                        KafkaRecord.of("k3", null).toPartition(1)));

        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume("round-trip", 3, Duration.ofSeconds(30));
        records.sort(Comparator.comparing(r -> new String(r.key(), UTF_8)));
        ConsumerRecord<byte[], byte[]> first = records.get(0);
        assertEquals("v1", new String(first.value(), UTF_8));
        assertEquals(0, first.partition());
        assertEquals(1_700_000_000_000L, first.timestamp());
        assertEquals("test", new String(first.headers().lastHeader("source").value(), UTF_8));
        assertEquals(1, records.get(1).partition());
        assertEquals(null, records.get(2).value(), "a null value is a tombstone");
        assertEquals(
                Map.of(new TopicPartition("round-trip", 0), 1L, new TopicPartition("round-trip", 1), 2L),
                kafka.endOffsets("round-trip"));
    }

    /**
     * Records stamped long ago stay readable: the broker deletes by time only where a topic asks
     * for it. The second topic asks (retention.ms 1 s) and loses the same records, which shows
     * that the retention check ran while the first topic kept them.
     */
    @Test
    void recordsWithOldTimestampsOutliveTheRetentionCheck(EmbeddedKafka kafka) throws Exception {
        String kept = kafka.newTopic("old-times", 1);
        String expiring = "old-times-expiring";
        kafka.admin()
                .createTopics(List.of(new NewTopic(expiring, 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        List<KafkaRecord> epoch = List.of(
                KafkaRecord.value("a").withTimestamp(10_000L),
                KafkaRecord.value("b").withTimestamp(20_000L));
        kafka.produce(kept, epoch);
        kafka.produce(expiring, epoch);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (earliestOffset(kafka, expiring) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(2L, earliestOffset(kafka, expiring), "the topic with retention.ms lost its old records");
        assertEquals(0L, earliestOffset(kafka, kept), "the topic without it kept them");
        assertEquals(2, kafka.consume(kept, 2, Duration.ofSeconds(30)).size());
    }

    private static long earliestOffset(EmbeddedKafka kafka, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        return kafka.admin()
                .listOffsets(Map.of(partition, OffsetSpec.earliest()))
                .partitionResult(partition)
                .get(30, TimeUnit.SECONDS)
                .offset();
    }

    @Test
    void producesManyRecordsQuickly(EmbeddedKafka kafka) {
        kafka.createTopic("bulk", 4);
        kafka.produceValues(
                "bulk",
                IntStream.range(0, 10_000).mapToObj(i -> "{\"n\":" + i + "}").toList());
        assertEquals(
                10_000L,
                kafka.endOffsets("bulk").values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    @Test
    void consumingMoreThanThereIsFailsWithCounts(EmbeddedKafka kafka) {
        kafka.createTopic("short", 1);
        kafka.produceValues("short", List.of("only"));
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> kafka.consume("short", 2, Duration.ofSeconds(2)));
        assertEquals("consumed 1 of 2 records from short in PT2S", error.getMessage());
    }

    @Test
    void twoBrokersRunSideBySideAndStopCleanly(EmbeddedKafka shared) throws Exception {
        long started = System.nanoTime();
        Path dataDir;
        String servers;
        try (EmbeddedKafka second = EmbeddedKafka.start()) {
            System.out.printf(
                    "second broker in this JVM started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertNotEquals(shared.bootstrapServers(), second.bootstrapServers());
            second.createTopic("separate", 1);
            second.produceValues("separate", List.of("a", "b"));
            assertEquals(
                    2, second.consume("separate", 2, Duration.ofSeconds(30)).size());
            assertFalse(
                    shared.admin().listTopics().names().get().contains("separate"),
                    "the brokers are separate clusters");
            servers = second.bootstrapServers();
            dataDir = second.dataDirectory();
            assertEquals(true, Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir), "stop deletes the broker's data");
        String[] hostPort = servers.split(":");
        assertThrows(
                IOException.class,
                () -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
                    }
                },
                "a stopped broker no longer listens");
    }
}
