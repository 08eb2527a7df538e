package io.sluice.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring;

import io.sluice.core.StreamTrigger;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.SchemaRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * P7: Kafka → Avro in Confluent's wire format → parquet. Sluice's source (the writer schema by
 * its id from a real registry, checked per record) against what users write by hand:
 * {@code from_avro(substring(value, 6), schema)} with the one schema they know — which decodes
 * a record of another schema id wrongly without a word, so Sluice's check of the id is the
 * price of being right. Same topic, same batches, alternating rounds.
 */
final class AvroDecoding {
    static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"bench\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"customer\",\"type\":\"string\"},"
            + "{\"name\":\"amount\",\"type\":\"double\"},{\"name\":\"ts\",\"type\":\"long\"}]}";
    static final String HAND = "hand-written substring + from_avro";

    private AvroDecoding() {}

    static List<Figure> run(Workload workload, Settings settings) throws Exception {
        try (SchemaRegistry registry = SchemaRegistry.start()) {
            Schema schema = new Schema.Parser().parse(SCHEMA);
            String subject = "orders-avro";
            int id = registry.register(subject + "-value", SCHEMA);
            String topic = workload.produceBytes(
                    subject,
                    settings.records(),
                    4,
                    i -> ConfluentFrames.avro(
                            id,
                            schema,
                            new GenericRecordBuilder(schema)
                                    .set("id", (long) i)
                                    .set("customer", "c" + (i % 100))
                                    .set("amount", (i % 1000) + 0.25)
                                    .set("ts", Workload.EPOCH + i * 10L)
                                    .build()));
            Map<String, Job> jobs = new LinkedHashMap<>();
            jobs.put(HAND, () -> byHand(workload, topic));
            jobs.put("Sluice value.format=avro", () -> viaSluice(workload, topic, registry.url(), subject + "-value"));
            Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
            return List.of(Rounds.rateFigure(
                    "P7",
                    "Kafka → Avro (registry) → parquet",
                    settings.records(),
                    timed.get("Sluice value.format=avro"),
                    HAND,
                    timed.get(HAND),
                    0.95));
        }
    }

    private static void viaSluice(Workload workload, String topic, String registryUrl, String subject)
            throws Exception {
        Path out = workload.fresh("p7-sluice");
        workload.sluice()
                .pipeline("p7_avro")
                .source(
                        "kafka",
                        workload.avroSource(
                                topic,
                                registryUrl,
                                "value.subject",
                                subject,
                                "maxOffsetsPerTrigger",
                                String.valueOf(Overhead.BATCH)))
                .sql("SELECT id, customer, amount, ts FROM input")
                .sink("parquet", Map.of("path", out.resolve("data").toString()))
                .checkpointLocation(out.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start()
                .awaitTermination();
        Workload.delete(out);
    }

    private static void byHand(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p7-hand");
        Dataset<Row> decoded = workload.readByHand(workload.byHand(), topic, Overhead.BATCH)
                .select(org.apache
                        .spark
                        .sql
                        .avro
                        .functions
                        .from_avro(substring(col("value"), 6, Integer.MAX_VALUE), SCHEMA)
                        .as("order"))
                .select("order.*");
        Workload.toParquet(decoded, out);
        Workload.delete(out);
    }
}
