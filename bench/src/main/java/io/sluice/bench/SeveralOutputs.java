package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.plan.SinkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;

/**
 * P11: one read, three outputs. The P1 orders (Kafka → JSON) written to three places — every
 * order to parquet, the large ones (two columns) to a second parquet directory, the ids to JSON
 * files — by one Sluice pipeline with three sinks (the source read once per batch, each sink
 * exactly once), against the same three outputs as users write them by hand: three queries, each
 * reading Kafka and decoding on its own with its own checkpoint, run at once; and against one
 * hand-written {@code foreachBatch} that caches the batch and writes the three (the shortcut the
 * articles warn about: a retry writes again every output that had written).
 */
final class SeveralOutputs {
    private SeveralOutputs() {}

    private static final String BIG = "amount >= 500";

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice: three sinks", () -> viaSluice(workload, topic));
        jobs.put("by hand: three queries", () -> threeQueries(workload, topic));
        jobs.put("by hand: one foreachBatch", () -> oneForeachBatch(workload, topic));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return List.of(
                Rounds.rateFigure(
                        "P11",
                        "Kafka → JSON → three outputs (parquet, parquet where, json columns), Sluice",
                        settings.records(),
                        timed.get("Sluice: three sinks"),
                        "three hand-written queries, each reading Kafka",
                        timed.get("by hand: three queries"),
                        1.0),
                Rounds.rateFigure(
                        "P11",
                        "Kafka → JSON → three outputs (parquet, parquet where, json columns), Sluice",
                        settings.records(),
                        timed.get("Sluice: three sinks"),
                        "one hand-written foreachBatch writing the three (not exactly once)",
                        timed.get("by hand: one foreachBatch"),
                        0));
    }

    private static void viaSluice(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p11-sluice");
        workload.sluice()
                .pipeline("p11_sinks")
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(Overhead.BATCH)))
                .sql("SELECT id, customer, amount, ts FROM input")
                .sink(SinkSpec.named(
                        "all", "parquet", Map.of("path", out.resolve("all").toString())))
                .sink(SinkSpec.named(
                                "big",
                                "parquet",
                                Map.of("path", out.resolve("big").toString()))
                        .where(BIG)
                        .columns("id", "amount"))
                .sink(SinkSpec.named(
                                "ids", "json", Map.of("path", out.resolve("ids").toString()))
                        .columns("id"))
                .checkpointLocation(out.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start()
                .awaitTermination();
        Workload.delete(out);
    }

    private static void threeQueries(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p11-queries");
        SparkSession spark = workload.byHand();
        List<StreamingQuery> queries = new ArrayList<>();
        queries.add(query(workload.decodedByHand(spark, topic, Overhead.BATCH), "parquet", out, "all"));
        queries.add(query(
                workload.decodedByHand(spark, topic, Overhead.BATCH).where(BIG).select("id", "amount"),
                "parquet",
                out,
                "big"));
        queries.add(query(workload.decodedByHand(spark, topic, Overhead.BATCH).select("id"), "json", out, "ids"));
        for (StreamingQuery query : queries) {
            query.awaitTermination();
        }
        Workload.delete(out);
    }

    private static StreamingQuery query(Dataset<Row> rows, String format, Path out, String name) throws Exception {
        return rows.writeStream()
                .format(format)
                .option("path", out.resolve(name).toString())
                .option("checkpointLocation", out.resolve("checkpoint-" + name).toString())
                .trigger(Trigger.AvailableNow())
                .start();
    }

    private static void oneForeachBatch(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p11-foreach");
        SparkSession spark = workload.byHand();
        String all = out.resolve("all").toString();
        String big = out.resolve("big").toString();
        String ids = out.resolve("ids").toString();
        VoidFunction2<Dataset<Row>, Long> writeThree = (batch, id) -> {
            Dataset<Row> kept = batch.persist(StorageLevel.MEMORY_AND_DISK());
            kept.write().mode("append").parquet(all);
            kept.where(BIG).select("id", "amount").write().mode("append").parquet(big);
            kept.select("id").write().mode("append").json(ids);
            kept.unpersist(false);
        };
        workload.decodedByHand(spark, topic, Overhead.BATCH)
                .writeStream()
                .foreachBatch(writeThree)
                .option("checkpointLocation", out.resolve("checkpoint").toString())
                .trigger(Trigger.AvailableNow())
                .start()
                .awaitTermination();
        Workload.delete(out);
    }
}
