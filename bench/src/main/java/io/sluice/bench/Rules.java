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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * P9: what expectations cost. The P1 job (Kafka → JSON → parquet) with four rules — two that
 * drop, two that warn, each counted per batch — against the same pipeline without them, and
 * against the same rules by hand: a filter for the drops and Spark's {@code observe} counting
 * every rule's breaks, as a user writes it.
 */
final class Rules {
    /** The rules: amounts of the orders go from 0.25 to 999.25, customers c0 to c99. */
    static final List<Expectation> RULES = List.of(
            Expectation.drop("amount_below_990", "amount < 990"),
            Expectation.drop("customer_known", "customer IS NOT NULL"),
            Expectation.warn("amount_above_10", "amount > 10"),
            Expectation.warn("not_c7", "customer <> 'c7'"));

    private Rules() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice without rules", () -> viaSluice(workload, topic, false));
        jobs.put("Sluice with 4 rules", () -> viaSluice(workload, topic, true));
        jobs.put("by hand: filter + observe", () -> byHand(workload, topic));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return List.of(
                Rounds.rateFigure(
                        "P9",
                        "Kafka → JSON → parquet with 4 rules (2 drop, 2 warn), Sluice",
                        settings.records(),
                        timed.get("Sluice with 4 rules"),
                        "the same pipeline without rules",
                        timed.get("Sluice without rules"),
                        0.9),
                Rounds.rateFigure(
                        "P9",
                        "Kafka → JSON → parquet with 4 rules (2 drop, 2 warn), Sluice",
                        settings.records(),
                        timed.get("Sluice with 4 rules"),
                        "the rules by hand: filter + observe",
                        timed.get("by hand: filter + observe"),
                        0));
    }

    private static void viaSluice(Workload workload, String topic, boolean rules) throws Exception {
        Path out = workload.fresh("p9-sluice");
        PipelineBuilder pipeline = workload.sluice()
                .pipeline(rules ? "p9_rules" : "p9_plain")
                .source("kafka", workload.source(topic, "maxOffsetsPerTrigger", String.valueOf(Overhead.BATCH)))
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
        for (Expectation rule : RULES) {
            if (rule.action() == Expectation.Action.DROP) {
                kept = kept.and(coalesce(expr(rule.condition()), lit(true)));
            }
        }
        Dataset<Row> observed =
                orders.observe("rules", counts[0], java.util.Arrays.copyOfRange(counts, 1, counts.length));
        Workload.toParquet(observed.where(kept), out);
        Workload.delete(out);
    }
}
