package io.sluice.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import io.sluice.engine.Sluice;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.OptionPairs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What every part of the benchmark shares: the broker, the session, a work directory, and
 * the orders — JSON records with an event time 10 ms apart, 100 customers.
 */
final class Workload implements AutoCloseable {
    static final String SCHEMA = "id BIGINT, customer STRING, amount DOUBLE, ts BIGINT";
    static final long EPOCH = 1_790_000_000_000L;

    private final EmbeddedKafka kafka;
    private final Sluice sluice;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger();
    /** Consumer settings for every read (as {@code kafka.*} options), and whether reads by hand get them too. */
    private final Map<String, String> consumer;

    private final boolean consumerByHand;
    private final org.apache.spark.sql.SparkSession byHand;

    Workload(EmbeddedKafka kafka, Sluice sluice, Path work, Settings settings) {
        this.kafka = kafka;
        this.sluice = sluice;
        this.work = work;
        this.consumer = new java.util.TreeMap<>();
        settings.kafka().forEach((key, value) -> this.consumer.put("kafka." + key, value));
        this.consumerByHand = settings.kafkaByHand();
        this.byHand = sluice.spark().newSession();
        if (!settings.checkpointsByHand()) {
            byHand.conf().unset(io.sluice.engine.run.LocalCheckpointFiles.SETTING);
        }
    }

    /**
     * The session hand-written jobs run in: Sluice's Spark, with Spark's own checkpoint files, as
     * a job written by hand has them (Sluice's local ones with {@code --checkpoints-by-hand}).
     */
    org.apache.spark.sql.SparkSession byHand() {
        return byHand;
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    Sluice sluice() {
        return sluice;
    }

    /** A fresh directory for one run's output or checkpoint. */
    Path fresh(String name) {
        return work.resolve(name + "-" + runs.incrementAndGet());
    }

    /** A new topic with {@code records} orders over {@code partitions} partitions. */
    String orders(String prefix, int records, int partitions) {
        return orders(prefix, records, partitions, 0);
    }

    /** The same, with every {@code badEvery}-th value not JSON (none when 0). */
    String orders(String prefix, int records, int partitions, int badEvery) {
        return produce(prefix, records, partitions, i -> order(i, badEvery));
    }

    /** The {@code i}-th order's JSON value, not JSON when {@code i} is a {@code badEvery}-th (never when 0). */
    static String order(int i, int badEvery) {
        return badEvery > 0 && i % badEvery == badEvery - 1
                ? "{\"id\":" + i + ", not json"
                : "{\"id\":" + i + ",\"customer\":\"c" + (i % 100) + "\",\"amount\":" + (i % 1000) + ".25,\"ts\":"
                        + (EPOCH + i * 10L) + "}";
    }

    /** A new topic with {@code records} short string values over {@code partitions} partitions. */
    String values(String prefix, int records, int partitions) {
        return produce(prefix, records, partitions, i -> "row-" + i);
    }

    /** A new topic with the values of {@code 0 .. records - 1}, produced in chunks so that no list holds them all. */
    private String produce(String prefix, int records, int partitions, IntFunction<String> value) {
        return produceBytes(prefix, records, partitions, i -> value.apply(i).getBytes(StandardCharsets.UTF_8));
    }

    /** The same with binary values (Avro). */
    String produceBytes(String prefix, int records, int partitions, IntFunction<byte[]> value) {
        String topic = kafka.newTopic(prefix, partitions);
        int chunk = 100_000;
        for (int from = 0; from < records; from += chunk) {
            List<byte[]> values = new ArrayList<>(Math.min(chunk, records - from));
            for (int i = from; i < Math.min(records, from + chunk); i++) {
                values.add(value.apply(i));
            }
            kafka.produceBytes(topic, values);
        }
        return topic;
    }

    /** Spark's Kafka source read from the start, as {@link #decodedByHand} reads, without decoding. */
    Dataset<Row> readByHand(org.apache.spark.sql.SparkSession spark, String topic, long maxOffsetsPerTrigger) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
                .options(consumerByHand ? consumer : Map.of())
                .load();
    }

    /** The Kafka source's options for reading a topic from its start, plus {@code pairs}. */
    Map<String, String> source(String topic, String... pairs) {
        return read(topic, OptionPairs.with(Map.of("value.format", "json", "value.schema", SCHEMA), pairs));
    }

    /** The Kafka source's options for reading an Avro topic from its start with a registry, plus {@code pairs}. */
    Map<String, String> avroSource(String topic, String registryUrl, String... pairs) {
        return read(topic, OptionPairs.with(Map.of("value.format", "avro", "schemaRegistry.url", registryUrl), pairs));
    }

    /** The consumer settings, then the topic read from its start, then {@code decoding}. */
    private Map<String, String> read(String topic, Map<String, String> decoding) {
        Map<String, String> options = new java.util.LinkedHashMap<>(consumer);
        options.putAll(kafka.sourceOptions("subscribe", topic, "startingOffsets", "earliest"));
        options.putAll(decoding);
        return options;
    }

    /** By hand: Spark's Kafka source read from the start, the value decoded with from_json — what users write. */
    Dataset<Row> decodedByHand(org.apache.spark.sql.SparkSession spark, String topic, long maxOffsetsPerTrigger) {
        return decodeByHand(readByHand(spark, topic, maxOffsetsPerTrigger));
    }

    /** The orders' value as a user decodes it by hand, whether {@code kafka} rows come from a stream or a batch read. */
    static Dataset<Row> decodeByHand(Dataset<Row> kafkaRows) {
        return kafkaRows
                .select(from_json(col("value").cast("string"), StructType.fromDDL(SCHEMA))
                        .as("order"))
                .select("order.*");
    }

    /**
     * Writes {@code rows} (a hand-written job's stream) to parquet under {@code out} with the
     * available-now trigger and waits until it has written everything.
     */
    static org.apache.spark.sql.streaming.StreamingQuery toParquet(Dataset<Row> rows, Path out) throws Exception {
        org.apache.spark.sql.streaming.StreamingQuery query = rows.writeStream()
                .format("parquet")
                .option("path", out.resolve("data").toString())
                .option("checkpointLocation", out.resolve("checkpoint").toString())
                .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        return query;
    }

    /** Deletes a run's files, so a long benchmark does not fill the disk. */
    static void delete(Path... paths) throws IOException {
        for (Path path : paths) {
            if (Files.exists(path)) {
                try (Stream<Path> all = Files.walk(path)) {
                    all.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        delete(work);
    }
}
