package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * P5: the driver heap the memory sink retains after {@code memoryRows} rows, without a
 * bound (Spark's memory sink, every row kept) and with {@code maxRows} (the newest kept).
 * Measured as used heap after full collections, before and after the run, while the
 * table still exists.
 */
final class MemoryRetention {
    static final int MAX_ROWS = 10_000;

    private MemoryRetention() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Rounds.Measured> jobs = new LinkedHashMap<>();
        jobs.put("memory sink, every row", () -> List.of(retainedMegabytes(workload, topic, Map.of())));
        jobs.put(
                "memory sink, maxRows " + MAX_ROWS,
                () -> List.of(retainedMegabytes(workload, topic, Map.of("maxRows", String.valueOf(MAX_ROWS)))));
        Map<String, Stats> mb = Rounds.alternateMeasured(settings.rounds(), jobs, "MB");
        return List.of(new Figure(
                "P5",
                String.format("retained driver heap after %,d rows, maxRows %,d", settings.memoryRows(), MAX_ROWS),
                "MB",
                mb.get("memory sink, maxRows " + MAX_ROWS),
                "no maxRows (Spark's memory sink)",
                mb.get("memory sink, every row"),
                0));
    }

    private static double retainedMegabytes(Workload workload, String topic, Map<String, String> sinkOptions)
            throws Exception {
        String name = "p5_" + workload.fresh("p5").getFileName().toString().replace('-', '_');
        long before = usedHeapAfterCollection();
        PipelineHandle handle = workload.sluice()
                .pipeline(name)
                .source("kafka", workload.kafka().sourceOptions("subscribe", topic, "startingOffsets", "earliest"))
                .sql("SELECT CAST(value AS STRING) AS value, offset FROM input")
                .sink("memory", sinkOptions)
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        handle.awaitTermination();
        long rows = workload.sluice().spark().table(name).count();
        double retained = (usedHeapAfterCollection() - before) / 1e6;
        workload.sluice().spark().catalog().dropTempView(name);
        if (rows == 0) {
            throw new IllegalStateException("the memory sink kept no rows");
        }
        return Math.max(retained, 1.0); // below a megabyte, collection noise is larger than what is measured
    }

    private static long usedHeapAfterCollection() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
