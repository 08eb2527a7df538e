package io.sluice.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.window;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * P3: a windowed count with a watermark in UPDATE mode, {@code statefulBatch} records a batch:
 * the median batch time through Sluice, against the same query by hand on the same session
 * settings, against plain Spark's defaults (200 shuffle partitions), and against a stateless
 * pipeline of the same size. The first batch of every run (planning, code generation) is
 * left out.
 */
final class Stateful {
    static final String WINDOWED = "SELECT window(event_time, '10 seconds') AS w, customer, count(*) AS n FROM input"
            + " GROUP BY window(event_time, '10 seconds'), customer";

    private Stateful() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        SparkSession spark = workload.sluice().spark();
        SparkSession defaults = workload.byHand().newSession();
        defaults.conf().set("spark.sql.shuffle.partitions", "200");
        defaults.conf().unset(io.sluice.engine.run.LocalCheckpointFiles.SETTING);
        int batch = settings.statefulBatch();
        Map<String, Rounds.Measured> jobs = new LinkedHashMap<>();
        jobs.put("Sluice windowed count", () -> viaSluice(workload, topic, batch, true));
        jobs.put("by hand, same settings", () -> byHand(workload, spark, topic, batch));
        jobs.put("by hand, Spark's defaults", () -> byHand(workload, defaults, topic, batch));
        jobs.put("Sluice stateless", () -> viaSluice(workload, topic, batch, false));
        Map<String, Stats> ms = Rounds.alternateMeasured(settings.rounds(), jobs, "ms a batch");
        Stats sluice = ms.get("Sluice windowed count");
        String shuffle = spark.conf().get("spark.sql.shuffle.partitions");
        return List.of(
                new Figure(
                        "P3",
                        "windowed count, UPDATE, median batch: Sluice",
                        "ms",
                        sluice,
                        "by hand, same settings (" + shuffle + " shuffle partitions)",
                        ms.get("by hand, same settings"),
                        0.98),
                new Figure(
                        "P3",
                        "windowed count, UPDATE, median batch: Sluice",
                        "ms",
                        sluice,
                        "by hand, Spark's defaults (200 shuffle partitions)",
                        ms.get("by hand, Spark's defaults"),
                        0),
                new Figure(
                        "P3",
                        "stateless pipeline of the same size, median batch (goal: stateful ≤ 2×)",
                        "ms",
                        ms.get("Sluice stateless"),
                        "Sluice windowed count",
                        sluice,
                        0));
    }

    private static List<Double> viaSluice(Workload workload, String topic, int batch, boolean stateful)
            throws Exception {
        Path out = workload.fresh("p3-sluice");
        PipelineBuilder pipeline = workload.sluice()
                .pipeline("p3_" + out.getFileName().toString().replace('-', '_'))
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(batch)))
                .sql("SELECT timestamp_millis(ts) AS event_time, customer, amount FROM input");
        if (stateful) {
            pipeline.transform("watermark", data -> data.withWatermark("event_time", "30 seconds"))
                    .sql(WINDOWED)
                    .outputMode(OutputMode.UPDATE);
        } else {
            pipeline.sql("SELECT event_time, customer, amount * 2 AS doubled FROM input WHERE amount >= 0");
        }
        PipelineHandle handle = pipeline.sink("memory")
                .checkpointLocation(out.toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        handle.awaitTermination();
        List<Double> times = batchTimes(handle.query());
        workload.sluice().spark().catalog().dropTempView(handle.query().name());
        Workload.delete(out);
        return times;
    }

    private static List<Double> byHand(Workload workload, SparkSession spark, String topic, int batch)
            throws Exception {
        Path out = workload.fresh("p3-hand");
        Dataset<Row> counts = workload.decodedByHand(spark, topic, batch)
                .select(expr("timestamp_millis(ts)").as("event_time"), col("customer"))
                .withWatermark("event_time", "30 seconds")
                .groupBy(window(col("event_time"), "10 seconds").as("w"), col("customer"))
                .agg(count("*").as("n"));
        String name = "p3_" + out.getFileName().toString().replace('-', '_');
        StreamingQuery query = counts.writeStream()
                .format("memory")
                .queryName(name)
                .outputMode("update")
                .option("checkpointLocation", out.toString())
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        List<Double> times = batchTimes(query);
        spark.catalog().dropTempView(name);
        Workload.delete(out);
        return times;
    }

    /** Each batch's time from trigger to commit, for the batches that read data, without the first. */
    static List<Double> batchTimes(StreamingQuery query) {
        List<Double> times = new ArrayList<>();
        Arrays.stream(query.recentProgress())
                .filter(p -> p.numInputRows() > 0)
                .skip(1)
                .map(StreamingQueryProgress::durationMs)
                .forEach(d -> times.add(d.get("triggerExecution").doubleValue()));
        if (times.isEmpty()) {
            throw new IllegalStateException(
                    "query " + query.name() + " ran fewer than two batches with data: give P3 more records");
        }
        return times;
    }
}
