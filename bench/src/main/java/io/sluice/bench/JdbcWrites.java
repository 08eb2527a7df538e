package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * P8: Kafka → JSON → a PostgreSQL table (a real server, started for the part), through the
 * jdbc sink against the same job by hand: appends against {@code foreachBatch} with Spark's
 * own JDBC writer, upserts against {@code foreachBatch} + {@code foreachPartition} with
 * {@code INSERT ... ON CONFLICT} in JDBC batches. The hand-written jobs are what users write
 * and are at-least-once (a replayed batch writes again); the sink adds its ledger row per
 * partition and, for upserts, nothing else. The table is emptied before every run.
 */
final class JdbcWrites {
    static final int BATCH = 50_000;
    private static final String SELECT = "id, customer, amount, ts";

    private JdbcWrites() {}

    static List<Figure> run(Workload workload, Settings settings) throws Exception {
        int records = settings.jdbcRecords();
        String topic = workload.orders("jdbc", records, 4);
        try (LocalPostgres postgres = LocalPostgres.start()) {
            postgres.execute(
                    "CREATE TABLE appended (id BIGINT, customer TEXT, amount DOUBLE PRECISION, ts BIGINT)",
                    "CREATE TABLE upserted (id BIGINT PRIMARY KEY, customer TEXT, amount DOUBLE PRECISION, ts BIGINT)");
            Map<String, Job> jobs = new LinkedHashMap<>();
            jobs.put("by hand: foreachBatch + Spark's JDBC writer", () -> appendByHand(workload, postgres, topic));
            jobs.put("Sluice jdbc append", () -> viaSluice(workload, postgres, topic, "appended"));
            jobs.put("by hand: foreachBatch + INSERT ... ON CONFLICT", () -> upsertByHand(workload, postgres, topic));
            jobs.put("Sluice jdbc upsert", () -> viaSluice(workload, postgres, topic, "upserted"));
            Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
            return List.of(
                    Rounds.rateFigure(
                            "P8",
                            "Kafka → JSON → PostgreSQL append, exactly once: Sluice jdbc",
                            records,
                            timed.get("Sluice jdbc append"),
                            "by hand: foreachBatch + Spark's JDBC writer (at least once)",
                            timed.get("by hand: foreachBatch + Spark's JDBC writer"),
                            0),
                    Rounds.rateFigure(
                            "P8",
                            "Kafka → JSON → PostgreSQL upsert by id, exactly once: Sluice jdbc",
                            records,
                            timed.get("Sluice jdbc upsert"),
                            "by hand: foreachBatch + INSERT ... ON CONFLICT (at least once)",
                            timed.get("by hand: foreachBatch + INSERT ... ON CONFLICT"),
                            0));
        }
    }

    private static void viaSluice(Workload workload, LocalPostgres postgres, String topic, String table)
            throws Exception {
        postgres.execute("TRUNCATE " + table, "DROP TABLE IF EXISTS sluice_batches");
        Path out = workload.fresh("p8-sluice");
        Map<String, String> sink = new LinkedHashMap<>(
                Map.of("url", postgres.jdbcUrl(), "dbtable", table, "user", "postgres", "batchsize", "1000"));
        if (table.equals("upserted")) {
            sink.put("mergeKeys", "id");
        }
        PipelineHandle handle = workload.sluice()
                .pipeline("p8_" + table)
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(BATCH)))
                .sql("SELECT " + SELECT + " FROM input")
                .sink("jdbc", sink)
                .checkpointLocation(out.toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        handle.awaitTermination();
        Workload.delete(out);
    }

    private static void appendByHand(Workload workload, LocalPostgres postgres, String topic) throws Exception {
        postgres.execute("TRUNCATE appended");
        String url = postgres.jdbcUrl();
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        user.setProperty("batchsize", "1000");
        VoidFunction2<Dataset<Row>, Long> write =
                (rows, batch) -> rows.write().mode(SaveMode.Append).jdbc(url, "appended", user);
        run(workload, topic, write);
    }

    private static void upsertByHand(Workload workload, LocalPostgres postgres, String topic) throws Exception {
        postgres.execute("TRUNCATE upserted");
        String url = postgres.jdbcUrl();
        VoidFunction2<Dataset<Row>, Long> write =
                (rows, batch) -> rows.foreachPartition((ForeachPartitionFunction<Row>) partition -> {
                    try (Connection db = DriverManager.getConnection(url, "postgres", "");
                            PreparedStatement upsert =
                                    db.prepareStatement("INSERT INTO upserted (id, customer, amount, ts)"
                                            + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET customer = EXCLUDED.customer,"
                                            + " amount = EXCLUDED.amount, ts = EXCLUDED.ts")) {
                        db.setAutoCommit(false);
                        int pending = 0;
                        while (partition.hasNext()) {
                            Row row = partition.next();
                            for (int i = 0; i < 4; i++) {
                                upsert.setObject(i + 1, row.get(i));
                            }
                            upsert.addBatch();
                            if (++pending == 1000) {
                                upsert.executeBatch();
                                pending = 0;
                            }
                        }
                        upsert.executeBatch();
                        db.commit();
                    }
                });
        run(workload, topic, write);
    }

    private static void run(Workload workload, String topic, VoidFunction2<Dataset<Row>, Long> write) throws Exception {
        Path out = workload.fresh("p8-hand");
        StreamingQuery query = workload.decodedByHand(workload.byHand(), topic, BATCH)
                .selectExpr(SELECT.split(", "))
                .writeStream()
                .foreachBatch(write)
                .option("checkpointLocation", out.toString())
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        Workload.delete(out);
    }
}
