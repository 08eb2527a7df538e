package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.ReferenceTable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * P10: what a reference table costs. The P1 job (Kafka → JSON → parquet) with every order joined
 * to its customer in a parquet table of the 100 customers — Sluice's {@code tables:} read once and
 * cached — against the same stream-static join written by hand as users write it
 * ({@code spark.read().parquet(...)} joined in the query, read again by every batch), and against
 * the same pipeline without the join.
 */
final class Enrichment {
    private Enrichment() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Path customers = workload.fresh("p10-customers");
        workload.sluice()
                .spark()
                .sql("SELECT concat('c', id) AS customer, concat('Customer ', id) AS name, id % 7 AS region"
                        + " FROM range(100)")
                .coalesce(1)
                .write()
                .parquet(customers.toString());
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice without the join", () -> viaSluice(workload, topic, customers, false));
        jobs.put("Sluice with a reference table", () -> viaSluice(workload, topic, customers, true));
        jobs.put("by hand: stream-static join", () -> byHand(workload, topic, customers));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        Workload.delete(customers);
        return List.of(
                Rounds.rateFigure(
                        "P10",
                        "Kafka → JSON → join a 100-row parquet table → parquet, Sluice",
                        settings.records(),
                        timed.get("Sluice with a reference table"),
                        "the join by hand: spark.read().parquet joined in the query",
                        timed.get("by hand: stream-static join"),
                        1.0),
                Rounds.rateFigure(
                        "P10",
                        "Kafka → JSON → join a 100-row parquet table → parquet, Sluice",
                        settings.records(),
                        timed.get("Sluice with a reference table"),
                        "the same pipeline without the join",
                        timed.get("Sluice without the join"),
                        0));
    }

    private static void viaSluice(Workload workload, String topic, Path customers, boolean join) throws Exception {
        Path out = workload.fresh("p10-sluice");
        var pipeline = workload.sluice()
                .pipeline(join ? "p10_join" : "p10_plain")
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(Overhead.BATCH)))
                .sink("parquet", Map.of("path", out.resolve("data").toString()))
                .checkpointLocation(out.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow());
        if (join) {
            pipeline.table(new ReferenceTable("customers", "parquet", Map.of("path", customers.toString())))
                    .sql("SELECT o.id, o.customer, o.amount, o.ts, c.name, c.region FROM input o"
                            + " JOIN customers c ON o.customer = c.customer");
        } else {
            pipeline.sql("SELECT id, customer, amount, ts FROM input");
        }
        PipelineHandle handle = pipeline.build().start();
        handle.awaitTermination();
        Workload.delete(out);
    }

    private static void byHand(Workload workload, String topic, Path customers) throws Exception {
        Path out = workload.fresh("p10-hand");
        SparkSession spark = workload.byHand();
        Dataset<Row> orders = workload.decodedByHand(spark, topic, Overhead.BATCH);
        Dataset<Row> table = spark.read().parquet(customers.toString());
        orders.join(table, "customer")
                .select("id", "customer", "amount", "ts", "name", "region")
                .writeStream()
                .format("parquet")
                .option("path", out.resolve("data").toString())
                .option("checkpointLocation", out.resolve("checkpoint").toString())
                .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
                .start()
                .awaitTermination();
        Workload.delete(out);
    }
}
