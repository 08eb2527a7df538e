package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.ReferenceTable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.Trigger;

/**
 * P12: a chain of tables backfilled by one run. The P1 orders go through three layers on Delta —
 * bronze (Kafka → JSON → Delta), silver (bronze's rows with a positive amount, joined with a
 * 100-row customers table), gold (silver totalled per region, upserted by key) — each layer started
 * when the one before has finished, as {@code sluice run} starts a graph under availableNow;
 * against the same three queries written by hand in Spark, run in the same order: Kafka with
 * {@code from_json} into Delta, Delta's stream filtered and joined into Delta, and an aggregation
 * merged into Delta in {@code foreachBatch}. The figure is the chain's wall time as a rate of the
 * records it carries from Kafka to gold.
 */
final class Layers {
    private Layers() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Path customers = workload.fresh("p12-customers");
        workload.sluice()
                .spark()
                .sql("SELECT concat('c', id) AS customer, id % 7 AS region FROM range(100)")
                .coalesce(1)
                .write()
                .parquet(customers.toString());
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice: bronze, silver, gold", () -> viaSluice(workload, topic, customers));
        jobs.put("by hand: three queries in order", () -> byHand(workload, topic, customers));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        Workload.delete(customers);
        return List.of(Rounds.rateFigure(
                "P12",
                "Kafka → bronze → silver (rule, join) → gold (totals upserted) on Delta, one backfill, Sluice",
                settings.records(),
                timed.get("Sluice: bronze, silver, gold"),
                "the same three queries by hand, run in order",
                timed.get("by hand: three queries in order"),
                1.0));
    }

    private static void viaSluice(Workload workload, String topic, Path customers) throws Exception {
        Path out = workload.fresh("p12-sluice");
        String bronze = out.resolve("bronze").toString();
        String silver = out.resolve("silver").toString();
        workload.sluice()
                .pipeline("p12_bronze")
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(Overhead.BATCH)))
                .sql("SELECT id, customer, amount, ts FROM input")
                .sink("delta", Map.of("path", bronze))
                .checkpointLocation(out.resolve("checkpoints/bronze").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start()
                .awaitTermination();
        workload.sluice()
                .pipeline("p12_silver")
                .source("delta", Map.of("path", bronze))
                .table(new ReferenceTable("customers", "parquet", Map.of("path", customers.toString())))
                .expect(Expectation.drop("amount_positive", "amount > 0"))
                .sql("SELECT o.id, o.customer, c.region, o.amount FROM input o JOIN customers c"
                        + " ON o.customer = c.customer")
                .sink("delta", Map.of("path", silver))
                .checkpointLocation(out.resolve("checkpoints/silver").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start()
                .awaitTermination();
        workload.sluice()
                .pipeline("p12_gold")
                .source("delta", Map.of("path", silver))
                .sql("SELECT region, count(*) AS orders, sum(amount) AS total FROM input GROUP BY region")
                .sink("delta", Map.of("path", out.resolve("gold").toString(), "mergeKeys", "region"))
                .outputMode(io.sluice.core.OutputMode.UPDATE)
                .checkpointLocation(out.resolve("checkpoints/gold").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start()
                .awaitTermination();
        Workload.delete(out);
    }

    private static void byHand(Workload workload, String topic, Path customers) throws Exception {
        Path out = workload.fresh("p12-hand");
        SparkSession spark = workload.byHand();
        String bronze = out.resolve("bronze").toString();
        String silver = out.resolve("silver").toString();
        String gold = out.resolve("gold").toString();
        workload.decodedByHand(spark, topic, Overhead.BATCH)
                .writeStream()
                .format("delta")
                .option("checkpointLocation", out.resolve("checkpoints/bronze").toString())
                .trigger(Trigger.AvailableNow())
                .start(bronze)
                .awaitTermination();
        Dataset<Row> table = spark.read().parquet(customers.toString());
        spark.readStream()
                .format("delta")
                .load(bronze)
                .where("amount > 0")
                .join(table, "customer")
                .select("id", "customer", "region", "amount")
                .writeStream()
                .format("delta")
                .option("checkpointLocation", out.resolve("checkpoints/silver").toString())
                .trigger(Trigger.AvailableNow())
                .start(silver)
                .awaitTermination();
        VoidFunction2<Dataset<Row>, Long> merge = (batch, id) -> {
            if (!io.delta.tables.DeltaTable.isDeltaTable(batch.sparkSession(), gold)) {
                batch.write().format("delta").save(gold);
                return;
            }
            io.delta.tables.DeltaTable.forPath(batch.sparkSession(), gold)
                    .as("t")
                    .merge(batch.as("s"), "t.region = s.region")
                    .whenMatched()
                    .updateAll()
                    .whenNotMatched()
                    .insertAll()
                    .execute();
        };
        spark.readStream()
                .format("delta")
                .load(silver)
                .groupBy("region")
                .agg(
                        org.apache.spark.sql.functions.count("*").as("orders"),
                        org.apache.spark.sql.functions.sum("amount").as("total"))
                .writeStream()
                .outputMode(OutputMode.Update())
                .foreachBatch(merge)
                .option("checkpointLocation", out.resolve("checkpoints/gold").toString())
                .trigger(Trigger.AvailableNow())
                .start()
                .awaitTermination();
        Workload.delete(out);
    }
}
