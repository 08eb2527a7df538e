package io.sluice.sink.kafka;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/**
 * Kafka → Sluice → Kafka, measured in one run on one machine (not a test: a main, run by
 * {@code ./mvnw -q -pl sink-kafka -am test-compile exec:exec@benchmark}).
 *
 * <ol>
 *   <li><b>Latency</b>: records carry their send time; a consumer of the output topic takes
 *   the difference when it receives them. p50 and p99 for the default micro-batch trigger
 *   (batches back to back) and for real-time mode, at the same steady send rate.</li>
 *   <li><b>Throughput</b>: N JSON records Kafka → decode → encode → Kafka, through Sluice and
 *   as the same job written by hand in plain Spark, alternating after a warm-up; median and
 *   spread, and their ratio.</li>
 * </ol>
 * Arguments: {@code --rate R} records/s and {@code --seconds S} per latency mode (default 500,
 * 20), {@code --records N} for throughput (default 300,000), {@code --rounds K} (default 3).
 */
public final class KafkaSinkBenchmark {
    private static final String SCHEMA = "id BIGINT, sent BIGINT, customer STRING, amount DOUBLE";

    private KafkaSinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> settings =
                new java.util.HashMap<>(Map.of("--rate", 500, "--seconds", 20, "--records", 300_000, "--rounds", 3));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!settings.containsKey(args[i])) {
                throw new IllegalArgumentException(
                        "unknown argument " + args[i] + " (arguments: " + settings.keySet() + ")");
            }
            settings.put(args[i], Integer.parseInt(args[i + 1]));
        }
        Path work = Files.createTempDirectory("sluice-kafka-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Sluice sluice = Sluice.embedded()) {
            System.out.printf(
                    "machine: %d cores; Spark %s; broker in this JVM%n",
                    Runtime.getRuntime().availableProcessors(), sluice.spark().version());
            latency(
                    sluice,
                    kafka,
                    work,
                    "micro-batch (back to back)",
                    StreamTrigger.processingTime(Duration.ZERO),
                    settings.get("--rate"),
                    settings.get("--seconds"));
            latency(
                    sluice,
                    kafka,
                    work,
                    "real-time (checkpoint 5 s)",
                    StreamTrigger.realTime(Duration.ofSeconds(5)),
                    settings.get("--rate"),
                    settings.get("--seconds"));
            throughput(sluice, kafka, work, settings.get("--records"), settings.get("--rounds"));
        }
    }

    private static void latency(
            Sluice sluice, EmbeddedKafka kafka, Path work, String mode, StreamTrigger trigger, int rate, int seconds)
            throws Exception {
        String in = kafka.newTopic("latency-in", 1);
        String out = kafka.newTopic("latency-out", 1);
        PipelineHandle handle = sluice.pipeline("latency")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "subscribe",
                                in,
                                "value.format",
                                "json",
                                "value.schema",
                                SCHEMA))
                .sql("SELECT id, sent, customer, amount * 2 AS doubled FROM input")
                .sink(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "topic",
                                out,
                                "value.format",
                                "json"))
                .outputMode(OutputMode.UPDATE)
                .trigger(trigger)
                .checkpointLocation(work.resolve("latency-" + trigger.kind()).toString())
                .build()
                .start();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        int total = rate * seconds;
        int warmUp = rate * 3;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, out);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        EmbeddedKafka.producerSettings(kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            Thread.sleep(8_000); // the query's start, and for real-time mode its first long-running batch
            Thread reader = new Thread(() -> {
                int received = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60L);
                while (received < total + warmUp && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        String value = new String(record.value(), StandardCharsets.UTF_8);
                        long sent = Long.parseLong(value.replaceAll(".*\"sent\":(\\d+).*", "$1"));
                        long id = Long.parseLong(value.replaceAll(".*\"id\":(\\d+).*", "$1"));
                        if (id >= warmUp) {
                            latencies.add((now - sent) / 1e6);
                        }
                        received++;
                    }
                }
            });
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < total + warmUp; i++) {
                long due = start + (long) (i * (1e9 / rate));
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                String value = "{\"id\":" + i + ",\"sent\":" + System.nanoTime() + ",\"customer\":\"c" + (i % 7)
                        + "\",\"amount\":1.5}";
                producer.send(new ProducerRecord<>(in, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            reader.join();
        } finally {
            handle.stop();
        }
        List<Double> sorted = latencies.stream().sorted().toList();
        System.out.printf(
                "latency, %-28s %,d records at %,d/s: p50 %8.1f ms   p99 %8.1f ms   max %8.1f ms%n",
                mode,
                sorted.size(),
                rate,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
    }

    private static void throughput(Sluice sluice, EmbeddedKafka kafka, Path work, int records, int rounds)
            throws Exception {
        String in = kafka.newTopic("throughput-in", 4);
        kafka.produceValues(
                in,
                IntStream.range(0, records)
                        .mapToObj(i -> "{\"id\":" + i + ",\"sent\":0,\"customer\":\"c" + (i % 7) + "\",\"amount\":" + i
                                + ".5}")
                        .toList());
        List<Double> bySluice = new ArrayList<>();
        List<Double> byHand = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            double sluiceRate = records / timed(() -> viaSluice(sluice, kafka, in, work));
            double handRate = records / timed(() -> byHand(sluice.spark(), kafka, in, work));
            if (round > 0) { // round 0 warms the JVM up
                bySluice.add(sluiceRate);
                byHand.add(handRate);
            }
        }
        double sluiceMedian = median(bySluice);
        double handMedian = median(byHand);
        System.out.printf(
                "throughput, %,d JSON records Kafka -> decode -> encode -> Kafka (4 partitions), median of %d rounds:%n",
                records, rounds);
        System.out.printf(
                "  hand-written Spark  %,10.0f records/s (%,.0f .. %,.0f)%n", handMedian, min(byHand), max(byHand));
        System.out.printf(
                "  Sluice              %,10.0f records/s (%,.0f .. %,.0f)   ratio %.2f%n",
                sluiceMedian, min(bySluice), max(bySluice), sluiceMedian / handMedian);
    }

    private static void viaSluice(Sluice sluice, EmbeddedKafka kafka, String in, Path work) throws Exception {
        String out = kafka.newTopic("throughput-sluice", 4);
        PipelineHandle handle = sluice.pipeline("throughput")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "subscribe",
                                in,
                                "startingOffsets",
                                "earliest",
                                "value.format",
                                "json",
                                "value.schema",
                                SCHEMA,
                                "badRecords",
                                "skip"))
                .sql("SELECT id, customer, amount FROM input")
                .sink("kafka", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out))
                .trigger(StreamTrigger.availableNow())
                .checkpointLocation(work.resolve("sluice-" + out).toString())
                .build()
                .start();
        handle.awaitTermination();
    }

    private static void byHand(SparkSession spark, EmbeddedKafka kafka, String in, Path work) throws Exception {
        String out = kafka.newTopic("throughput-hand", 4);
        Dataset<Row> orders = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", in)
                .option("startingOffsets", "earliest")
                .load()
                .select(from_json(col("value").cast("string"), StructType.fromDDL(SCHEMA))
                        .as("order"))
                .select(
                        col("order.id").as("id"),
                        col("order.customer").as("customer"),
                        col("order.amount").as("amount"));
        StreamingQuery query = orders.select(to_json(struct(col("id"), col("customer"), col("amount")))
                        .as("value"))
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("topic", out)
                .option("checkpointLocation", work.resolve("hand-" + out).toString())
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
    }

    private interface Job {
        void run() throws Exception;
    }

    private static double timed(Job job) throws Exception {
        long start = System.nanoTime();
        job.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bench-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        "10"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty()
                ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private static double median(List<Double> values) {
        return percentile(values.stream().sorted().toList(), 0.5);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
