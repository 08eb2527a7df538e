package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * P2: how close streaming gets to what the machine can do — the same read, decode and write
 * as one Spark batch job, and a plain single-thread {@code KafkaConsumer} reading the topic.
 */
final class Ceiling {
    static final String STREAMING = "streaming by hand (P1's baseline)";

    private Ceiling() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put(STREAMING, () -> Overhead.byHand(workload, topic, false));
        jobs.put("Spark batch job", () -> batch(workload, topic));
        jobs.put("KafkaConsumer, one thread", () -> consume(workload, topic, settings.records()));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return List.of(
                Rounds.rateFigure(
                        "P2",
                        "streaming by hand, against a Spark batch job (read, decode, write parquet)",
                        settings.records(),
                        timed.get(STREAMING),
                        "Spark batch job",
                        timed.get("Spark batch job"),
                        0),
                Rounds.rateFigure(
                        "P2",
                        "streaming by hand, against reading with one KafkaConsumer (no decode, no write)",
                        settings.records(),
                        timed.get(STREAMING),
                        "KafkaConsumer, one thread",
                        timed.get("KafkaConsumer, one thread"),
                        0));
    }

    static void batch(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p2-batch");
        Workload.decodeByHand(workload.sluice()
                        .spark()
                        .read()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", workload.kafka().bootstrapServers())
                        .option("subscribe", topic)
                        .option("startingOffsets", "earliest")
                        .option("endingOffsets", "latest")
                        .load())
                .write()
                .parquet(out.toString());
        Workload.delete(out);
    }

    static void consume(Workload workload, String topic, long records) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, workload.kafka().bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    workload.kafka().endOffsets(topic).keySet().stream().toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long bytes = 0;
            while (read < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    bytes += record.value().length;
                    read++;
                }
            }
            if (bytes == 0) {
                throw new IllegalStateException("read nothing from " + topic);
            }
        }
    }
}
