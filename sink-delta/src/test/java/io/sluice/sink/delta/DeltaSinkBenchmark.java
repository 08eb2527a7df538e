package io.sluice.sink.delta;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Rows per second, Kafka → decode → delta (append, and merge by key) next to Kafka → parquet,
 * in one run on one machine (not a test: a main, run by
 * {@code ./mvnw -q -pl sink-delta -am test-compile exec:exec@benchmark}). A warm-up pass of
 * each on a tenth of the records runs first. Arguments: {@code --records N} (default 1,000,000).
 */
public final class DeltaSinkBenchmark {
    private DeltaSinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length == 2 && args[0].equals("--records") ? Integer.parseInt(args[1]) : 1_000_000;
        Path work = Files.createTempDirectory("sluice-delta-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Sluice sluice = Sluice.embedded()) {
            System.out.printf(
                    "machine: %d cores; Spark %s; %,d JSON records, 4 partitions, 200,000 offsets per batch%n",
                    Runtime.getRuntime().availableProcessors(), sluice.spark().version(), records);
            String warmUp = topic(kafka, records / 10);
            String topic = topic(kafka, records);
            String[][] jobs = {{"parquet", "append"}, {"delta", "append"}, {"delta", "merge"}};
            for (String[] job : jobs) {
                run(sluice, kafka, warmUp, work.resolve("warm-" + job[0] + "-" + job[1]), job[0], job[1]);
            }
            for (String[] job : jobs) {
                double seconds = run(sluice, kafka, topic, work.resolve(job[0] + "-" + job[1]), job[0], job[1]);
                System.out.printf(
                        "  Kafka -> %-7s %-6s %,10.0f rows/s (%.1f s)%n", job[0], job[1], records / seconds, seconds);
            }
        }
    }

    private static String topic(EmbeddedKafka kafka, int records) {
        String topic = kafka.newTopic("bench", 4);
        kafka.produceValues(
                topic,
                IntStream.range(0, records)
                        .mapToObj(
                                i -> "{\"id\":" + i + ",\"customer\":\"c" + (i % 1000) + "\",\"amount\":" + i + ".25}")
                        .toList());
        return topic;
    }

    private static double run(Sluice sluice, EmbeddedKafka kafka, String topic, Path out, String sink, String mode)
            throws Exception {
        Map<String, String> options =
                new LinkedHashMap<>(Map.of("path", out.resolve("table").toString()));
        if (mode.equals("merge")) {
            options.put("mergeKeys", "id");
        }
        long start = System.nanoTime();
        PipelineHandle handle = sluice.pipeline("bench")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "subscribe",
                                topic,
                                "startingOffsets",
                                "earliest",
                                "maxOffsetsPerTrigger",
                                "200000",
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, customer STRING, amount DOUBLE",
                                "badRecords",
                                "skip"))
                .sql("SELECT id, customer, amount FROM input")
                .sink(sink, options)
                .outputMode(mode.equals("merge") ? OutputMode.UPDATE : OutputMode.APPEND)
                .trigger(StreamTrigger.availableNow())
                .checkpointLocation(out.resolve("checkpoint").toString())
                .build()
                .start();
        handle.awaitTermination();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> durations = new java.util.TreeMap<>();
        handle.recentProgress().forEach(p -> p.durationMs().forEach((k, v) -> durations.merge(k, v, Long::sum)));
        System.out.printf(
                "    %s %s, time per phase over %d batches (ms): %s%n",
                sink, mode, handle.recentProgress().size(), durations);
        return seconds;
    }
}
