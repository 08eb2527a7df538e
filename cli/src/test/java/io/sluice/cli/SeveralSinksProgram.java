package io.sluice.cli;

import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.SinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline with several sinks for {@link SeveralSinksKillIT}, in a JVM of its own: Kafka →
 * parquet (every row), then a sink that dies with the JVM ({@code Runtime.halt}, as {@code kill
 * -9}) the first time it is given one of the chosen batches — after the parquet sink wrote it
 * and before the next sinks do — then Delta (the big amounts, two columns) and JSON files (the
 * ids). Arguments: brokers, topic, work directory, trigger ({@code availableNow} or an interval),
 * the batches to die at (comma-separated).
 */
public final class SeveralSinksProgram {
    private SeveralSinksProgram() {}

    public static void main(String[] args) throws Exception {
        String brokers = args[0];
        String topic = args[1];
        Path work = Path.of(args[2]);
        String trigger = args[3];
        String haltAt = args[4];
        Sluice owner = Sluice.embedded();
        ConnectorRegistry registry = ConnectorRegistry.load(SeveralSinksProgram.class.getClassLoader())
                .withSink(new HaltingSink());
        PipelineHandle handle = Sluice.using(owner.spark(), registry)
                .pipeline("orders")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers", brokers,
                                "subscribe", topic,
                                "startingOffsets", "earliest",
                                "maxOffsetsPerTrigger", "1000",
                                "value.format", "json",
                                "value.schema", "id BIGINT, amount BIGINT"))
                .sink(SinkSpec.named(
                        "all", "parquet", Map.of("path", work.resolve("all").toString())))
                .sink(SinkSpec.named(
                        "halt",
                        "halting",
                        Map.of("markers", work.resolve("halts").toString(), "batches", haltAt)))
                .sink(SinkSpec.named(
                                "big",
                                "delta",
                                Map.of("path", work.resolve("big").toString()))
                        .where("amount >= 500")
                        .columns("id", "amount"))
                .sink(SinkSpec.named(
                                "ids",
                                "json",
                                Map.of("path", work.resolve("ids").toString()))
                        .columns("id"))
                .checkpointLocation(work.resolve("checkpoint").toString())
                .trigger(
                        trigger.equals("availableNow")
                                ? StreamTrigger.availableNow()
                                : StreamTrigger.processingTime(java.time.Duration.ofMillis(Long.parseLong(trigger))))
                .build()
                .start();
        System.out.println("started");
        System.out.flush();
        try {
            handle.awaitTermination();
        } catch (Exception e) { // the failure is said below, as the handle words it
            System.out.println("failed: " + e.getMessage());
        }
        System.out.println(
                handle.failure().map(f -> "failed: " + f.getMessage()).orElse("done"));
        System.out.flush();
        owner.close();
        System.exit(handle.failure().isPresent() ? 1 : 0);
    }

    /** Dies with the JVM the first time it is given one of its batches; a marker file says it did. */
    static final class HaltingSink implements BatchSink {
        static final OptionSpec<String> MARKERS = OptionSpec.stringOption("markers")
                .required()
                .description("where it marks the batches it died at")
                .build();
        static final OptionSpec<List<String>> BATCHES = OptionSpec.listOption("batches")
                .required()
                .description("the batches to die at")
                .build();

        @Override
        public String name() {
            return "halting";
        }

        @Override
        public String description() {
            return "dies with the JVM at chosen batches, once each (a kill test's)";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(MARKERS, BATCHES);
        }

        @Override
        public boolean idempotent() {
            return true; // it writes nothing
        }

        @Override
        public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
            Path markers = Path.of(options.get(MARKERS));
            List<String> batches = options.get(BATCHES);
            return (batch, rows) -> {
                Path marker = markers.resolve(Long.toString(batch.id()));
                if (batches.contains(Long.toString(batch.id())) && !Files.exists(marker)) {
                    Files.createDirectories(markers);
                    Files.createFile(marker);
                    System.out.println("halting at batch " + batch.id());
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
            };
        }
    }
}
