package io.sluice.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.Expectation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * P9: what expectations cost. The P1 job (Kafka → JSON → parquet, a dead letter on files) with
 * five rules — two that drop, two that warn, one that quarantines into the dead letter, each
 * counted per batch — against the same pipeline without them, and against the same rules by
 * hand as users write them: {@code foreachBatch} with Spark's {@code observe} counting every
 * rule's breaks, the kept rows written to parquet and the quarantined ones, in a second write,
 * to JSON files (at least once: a replayed batch writes both again).
 */
final class Rules {
    /** The rules: amounts of the orders go from 0.25 to 999.25, customers c0 to c99. */
    static final List<Expectation> RULES = List.of(
            Expectation.drop("amount_below_990", "amount < 990"),
            Expectation.drop("customer_known", "customer IS NOT NULL"),
            Expectation.warn("amount_above_10", "amount > 10"),
            Expectation.warn("not_c7", "customer <> 'c7'"),
            Expectation.quarantine("not_c13", "customer <> 'c13'"));

    private Rules() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice without rules", () -> viaSluice(workload, topic, false));
        jobs.put("Sluice with 5 rules", () -> viaSluice(workload, topic, true));
        jobs.put("by hand: observe + two writes", () -> byHand(workload, topic));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return List.of(
                Rounds.rateFigure(
                        "P9",
                        "Kafka → JSON → parquet with 5 rules (2 drop, 2 warn, 1 quarantine), Sluice",
                        settings.records(),
                        timed.get("Sluice with 5 rules"),
                        "the same pipeline without rules",
                        timed.get("Sluice without rules"),
                        0.9),
                Rounds.rateFigure(
                        "P9",
                        "Kafka → JSON → parquet with 5 rules (2 drop, 2 warn, 1 quarantine), Sluice",
                        settings.records(),
                        timed.get("Sluice with 5 rules"),
                        "the rules by hand: observe, parquet + a second write",
                        timed.get("by hand: observe + two writes"),
                        0));
    }

    private static void viaSluice(Workload workload, String topic, boolean rules) throws Exception {
        Path out = workload.fresh("p9-sluice");
        PipelineBuilder pipeline = workload.sluice()
                .pipeline(rules ? "p9_rules" : "p9_plain")
                .source(
                        "kafka",
                        workload.source(
                                topic,
                                "maxOffsetsPerTrigger",
                                String.valueOf(Overhead.BATCH),
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                out.resolve("dead-letter").toString()))
                .sql("SELECT id, customer, amount, ts FROM input")
                .sink("parquet", Map.of("path", out.resolve("data").toString()))
                .checkpointLocation(out.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow());
        if (rules) {
            RULES.forEach(pipeline::expect);
        }
        PipelineHandle handle = pipeline.build().start();
        handle.awaitTermination();
        Workload.delete(out);
    }

    private static void byHand(Workload workload, String topic) throws Exception {
        Path out = workload.fresh("p9-hand");
        Dataset<Row> orders = workload.decodedByHand(workload.byHand(), topic, Overhead.BATCH);
        Column[] counts = RULES.stream()
                .map(rule -> sum(when(not(coalesce(expr(rule.condition()), lit(true))), 1)
                                .otherwise(0))
                        .as(rule.name()))
                .toArray(Column[]::new);
        Column kept = lit(true);
        Column quarantined = lit(false);
        for (Expectation rule : RULES) {
            Column holds = coalesce(expr(rule.condition()), lit(true));
            if (rule.action() == Expectation.Action.DROP) {
                kept = kept.and(holds);
            } else if (rule.action() == Expectation.Action.QUARANTINE) {
                kept = kept.and(holds);
                quarantined = quarantined.or(not(holds));
            }
        }
        Column keep = kept;
        Column aside = quarantined;
        String data = out.resolve("data").toString();
        String deadLetter = out.resolve("dead-letter").toString();
        VoidFunction2<Dataset<Row>, Long> write = (batch, id) -> {
            Dataset<Row> cached = batch.persist();
            cached.where(keep).write().mode(SaveMode.Append).parquet(data);
            cached.where(aside).write().mode(SaveMode.Append).json(deadLetter);
            cached.unpersist();
        };
        orders.observe("rules", counts[0], java.util.Arrays.copyOfRange(counts, 1, counts.length))
                .writeStream()
                .foreachBatch(write)
                .option("checkpointLocation", out.resolve("checkpoint").toString())
                .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
                .start()
                .awaitTermination();
        Workload.delete(out);
    }
}
