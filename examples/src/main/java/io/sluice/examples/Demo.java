package io.sluice.examples;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelineHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The main demo: an embedded Kafka broker, a stream of JSON orders with a few malformed ones,
 * and a pipeline Kafka → decode → parquet with a checkpoint, reporting each batch as it goes;
 * then it reads the parquet back and says where every record went. It ends by itself and
 * leaves nothing running.
 *
 * <p>Run it with {@code ./demo}. Arguments: {@code --records N} (default 50,000),
 * {@code --bad-records dead_letter|skip} (default dead_letter) and {@code --format json|avro}
 * (default json; avro writes the orders in Confluent's wire format, their schema in a real
 * schema registry started for the run). Set {@code KAFKA_BOOTSTRAP_SERVERS} to use a real broker
 * instead of the embedded one, {@code SCHEMA_REGISTRY_URL} a real registry.
 */
public final class Demo {
    private static final int BAD_EVERY = 1_000;

    private Demo() {}

    /** The usage text, which {@code ./demo --help} prints without building anything. */
    static String usage() {
        try (var in = Demo.class.getResourceAsStream("demo-usage.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage());
                return;
            }
        }
        DemoArguments arguments;
        try {
            arguments = DemoArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(usage());
            String refused = System.getProperty("sluice.demo.refused");
            if (refused != null) { // ./demo exits 2 when it finds this
                Files.writeString(Path.of(refused), e.getMessage());
            }
            System.exit(2);
            return;
        }
        run(arguments.records(), arguments.badRecords(), arguments.format(), Files.createTempDirectory("sluice-demo-"));
    }

    /** Runs the demo over {@code records} orders, writing under {@code work}; returns the rows written. */
    public static long run(int records, Path work) throws Exception {
        return run(records, "dead_letter", "json", work);
    }

    static long run(int records, String badRecords, String format, Path work) throws Exception {
        long started = System.nanoTime();
        boolean avro = format.equals("avro");
        say(
                "Sluice demo: Kafka -> decode %s -> parquet, exactly once through a checkpoint",
                avro ? "Avro (schema registry)" : "JSON");
        try (ExampleKafka kafka = ExampleKafka.open();
                ExampleRegistry registry = avro ? ExampleRegistry.open() : null) {
            say(
                    "Kafka: %s at %s (%.1f s)",
                    kafka.isEmbedded() ? "embedded broker" : "broker", kafka.bootstrapServers(), seconds(started));
            String topic = kafka.createTopic("orders", 4);
            long produceStart = System.nanoTime();
            if (avro) {
                int id = registry.register(topic + "-value", AvroOrders.SCHEMA);
                say(
                        "schema registry: %s at %s, the orders' schema is id %d of subject '%s-value'",
                        registry.isEmbedded() ? "Apicurio Registry" : "registry", registry.url(), id, topic);
                kafka.produceBytes(topic, AvroOrders.frames(Orders.generate(records, BAD_EVERY), id));
            } else {
                kafka.produce(topic, Orders.generate(records, BAD_EVERY));
            }
            say(
                    "produced %,d orders to topic '%s' (4 partitions), %,d of them malformed, in %.1f s",
                    records, topic, records / BAD_EVERY, seconds(produceStart));

            Path out = work.resolve("orders");
            Path deadLetter = work.resolve("dead-letter");
            Sluice sluice = Sluice.embedded();
            long skipped;
            try (ProgressReporter reporter = ProgressReporter.attach(sluice.spark(), Demo::say)) {
                Map<String, String> source = new HashMap<>(Map.of(
                        "kafka.bootstrap.servers",
                        kafka.bootstrapServers(),
                        "subscribe",
                        topic,
                        "startingOffsets",
                        "earliest",
                        "maxOffsetsPerTrigger",
                        String.valueOf(Math.max(1, records / 5)),
                        "badRecords",
                        badRecords));
                if (avro) {
                    source.put("value.format", "avro");
                    source.put("schemaRegistry.url", registry.url());
                } else {
                    source.put("value.format", "json");
                    source.put("value.schema", Orders.SCHEMA);
                }
                if (badRecords.equals("dead_letter")) {
                    source.put("deadLetter.path", deadLetter.toString());
                }
                Pipeline pipeline = sluice.pipeline("orders")
                        .source("kafka", source)
                        .sql(
                                "SELECT order_id, customer, status, amount, size(items) AS item_count, created_at, partition, offset"
                                        + " FROM input")
                        .sink("parquet", Map.of("path", out.toString(), "partitionBy", "status"))
                        .checkpointLocation(work.resolve("checkpoint").toString())
                        .trigger(StreamTrigger.availableNow())
                        .build();
                PipelineHandle handle = pipeline.start(reporter.follow(pipeline.validate()));
                long pipelineStart = System.nanoTime();
                say("pipeline 'orders' started: kafka -> sql -> parquet at %s (%s)", out, handle.startup());
                if (!handle.awaitTermination(Duration.ofMinutes(10))) {
                    handle.stop();
                    throw new IllegalStateException("the demo pipeline did not finish in 10 minutes");
                }
                double pipelineSeconds = seconds(pipelineStart);
                say(
                        "pipeline: %,d records in %.1f s, %,.0f records/s",
                        records, pipelineSeconds, records / pipelineSeconds);
                skipped = handle.countTotals().getOrDefault("kafka.decode.skipped", 0L);
            }
            long written = summarize(sluice, out, deadLetter, skipped);
            sluice.close();
            say("done in %.1f s; nothing left running (output kept in %s)", seconds(started), work);
            return written;
        }
    }

    private static long summarize(Sluice sluice, Path out, Path deadLetter, long skipped) throws IOException {
        Dataset<Row> orders = sluice.spark().read().parquet(out.toString());
        long written = orders.count();
        say("summary (read back through Spark's metadata log):");
        say("  rows written:  %,d orders in %s", written, out);
        for (Row row : orders.groupBy("status")
                .agg(
                        org.apache.spark.sql.functions.count("*"),
                        org.apache.spark.sql.functions.round(org.apache.spark.sql.functions.sum("amount"), 2))
                .orderBy("status")
                .collectAsList()) {
            say(String.format(
                    Locale.ROOT,
                    "    %-10s %,8d orders, %,14.2f total",
                    row.getString(0),
                    row.getLong(1),
                    row.getDouble(2)));
        }
        if (!Files.exists(deadLetter)) {
            say("  bad records:   %,d skipped (counted in the progress, not kept)", skipped);
            return written;
        }
        long bad = sluice.spark().read().json(deadLetter.toString()).count();
        say("  bad records:   %,d in the dead letter at %s", bad, deadLetter);
        if (bad > 0) {
            List<Row> examples = sluice.spark()
                    .read()
                    .json(deadLetter.toString())
                    .orderBy("partition", "offset")
                    .select("partition", "offset", "error")
                    .limit(3)
                    .collectAsList();
            for (Row row : examples) {
                say("    partition %d, offset %d: %s", row.getLong(0), row.getLong(1), row.getString(2));
            }
        }
        return written;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void say(String format, Object... args) {
        System.out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
