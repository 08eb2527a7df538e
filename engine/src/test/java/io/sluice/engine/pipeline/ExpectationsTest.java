package io.sluice.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.plan.Expectation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expectations on a pipeline's rows: each action on real rows, every rule a row breaks counted
 * (NULL is no break), rules on the input before an aggregation, and every mistake in a rule
 * caught before start with the message the user sees.
 */
class ExpectationsTest {
    private static final String SCHEMA = "id INT, customer STRING, amount DOUBLE";
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        sluice = Sluice.embedded();
    }

    /** Six orders: two negative amounts, one without a customer, one with a NULL amount. */
    private Map<String, String> orders() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(
                in.resolve("part-1.json"),
                List.of(
                        "{\"id\":1,\"customer\":\"ann\",\"amount\":10.0}",
                        "{\"id\":2,\"customer\":\"bob\",\"amount\":-1.0}",
                        "{\"id\":3,\"amount\":5.0}",
                        "{\"id\":4,\"customer\":\"cy\",\"amount\":-2.0}",
                        "{\"id\":5,\"customer\":\"dee\"}",
                        "{\"id\":6,\"customer\":\"ann\",\"amount\":1.5}"));
        return Map.of("path", in.toString(), "schema", SCHEMA);
    }

    private PipelineBuilder pipeline(String name) throws IOException {
        return sluice.pipeline(name)
                .source("json-dir", orders())
                .sink("table")
                .checkpointLocation(dir.resolve("checkpoint-" + name).toString())
                .trigger(StreamTrigger.availableNow());
    }

    private static PipelineHandle run(PipelineBuilder pipeline) throws StreamingQueryException {
        PipelineHandle handle = pipeline.build().start();
        handle.awaitTermination();
        return handle;
    }

    private static List<String> table(String name) {
        return sluice.spark().table(name).orderBy("id").collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    @Test
    void dropKeepsBrokenRowsOutWarnWritesThemAndEveryBrokenRuleIsCounted() throws Exception {
        PipelineHandle handle = run(pipeline("rules")
                .sql("SELECT id, customer, amount FROM input")
                .expect(Expectation.drop("amount_positive", "amount > 0"))
                .expect(Expectation.warn("customer_known", "customer IS NOT NULL"))
                .expect(Expectation.warn("small", "amount < 100")));
        assertEquals(
                List.of("[1,ann,10.0]", "[3,null,5.0]", "[5,dee,null]", "[6,ann,1.5]"),
                table("rules"),
                "ids 2 and 4 dropped; id 3 broke a warn rule and is written; id 5's NULL amount breaks nothing");
        assertEquals(
                Map.of("expect.amount_positive", 2L, "expect.customer_known", 1L, "expect.small", 0L),
                handle.countTotals());
        String line = ProgressReporter.format(
                handle.recentProgress().stream()
                        .filter(p -> p.numInputRows() > 0)
                        .findFirst()
                        .orElseThrow(),
                handle.plan());
        assertTrue(
                line.endsWith(", expect: amount_positive dropped 2, expect: customer_known written 1, expect: small"
                        + " written 0"),
                line);
    }

    @Test
    void aRuleOnTheInputKeepsBrokenRowsOutOfAnAggregationAndANullIsNoBreak() throws Exception {
        run(pipeline("totals")
                .sql("SELECT customer, sum(amount) AS total FROM input GROUP BY customer")
                .expect(Expectation.drop("amount_positive", "amount > 0").onInput())
                .outputMode(OutputMode.COMPLETE));
        assertEquals(
                List.of("[null,5.0]", "[ann,11.5]", "[dee,null]"),
                sluice.spark().table("totals").orderBy("customer").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
    }

    @Test
    void failFailsTheBatchNamingTheRuleTheRowsAndOneOfThemAndWritesNothing() throws Exception {
        PipelineBuilder pipeline = pipeline("failing")
                .sql("SELECT id, customer, amount FROM input")
                .expect(Expectation.fail("amount_positive", "amount > 0"));
        PipelineHandle handle = pipeline.build().start();
        assertThrows(StreamingQueryException.class, handle::awaitTermination);
        assertEquals(
                "query 'failing', batch 0: expectation 'amount_positive' (fail) is broken by 2 rows of partition 0 of"
                        + " the batch, e.g. {\"id\":2,\"customer\":\"bob\",\"amount\":-1.0}",
                handle.failureMessage().orElseThrow());
        assertEquals(List.of(), table("failing"), "the batch did not commit");
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }

    @Test
    void everyMistakeInARuleIsCaughtBeforeStartInWords() throws Exception {
        assertEquals(
                List.of(
                        "pipeline 'mistakes': expectation 'amount_positive' (amout > 0): column 'amout' does not exist —"
                                + " did you mean 'amount'? (columns: id, customer, amount)",
                        "pipeline 'mistakes': expectation 'syntax' (amount >): syntax error at or near end of input"
                                + " (line 1, position 9): correct the SQL there",
                        "pipeline 'mistakes': expectation 'not_boolean' (amount * 2): it is double, not boolean: write"
                                + " a condition the rows should satisfy (amount > 0)",
                        "pipeline 'mistakes': expectation 'random' (rand() < 0.5): it is not deterministic (rand(),"
                                + " uuid(), current_timestamp() ...): a replayed batch must break the same rules, so that"
                                + " counts and drops are the same",
                        "pipeline 'mistakes': expectation 'aggregate' (sum(amount) > 0): it aggregates or windows over"
                                + " rows (a Aggregate): a rule looks at one row at a time — aggregate in a transform, and"
                                + " write the rule on its result"),
                problems(pipeline("mistakes")
                        .sql("SELECT id, customer, amount FROM input")
                        .expect(Expectation.drop("amount_positive", "amout > 0"))
                        .expect(Expectation.warn("syntax", "amount >"))
                        .expect(Expectation.warn("not_boolean", "amount * 2"))
                        .expect(Expectation.warn("random", "rand() < 0.5"))
                        .expect(Expectation.warn("aggregate", "sum(amount) > 0"))));
        assertEquals(
                List.of(
                        "pipeline 'names': expectation 2 is named 'amount positive': name it with letters, digits and"
                                + " underscores, starting with a letter (amount_positive) — the name is a metric label",
                        "pipeline 'names': expectation 'twice' is declared twice: give each rule its own name, as its"
                                + " counts are reported by name",
                        "pipeline 'names': expectation 'empty' has an empty condition: write a SQL boolean expression"
                                + " the rows should satisfy (amount > 0)"),
                problems(pipeline("names")
                        .expect(Expectation.warn("twice", "amount > 0"))
                        .expect(Expectation.warn("amount positive", "amount > 0"))
                        .expect(Expectation.warn("twice", "id > 0"))
                        .expect(Expectation.warn("empty", " "))));
        assertEquals(
                List.of("pipeline 'dropped_totals': expectation 'total_positive' (total > 0): a dropped row of an"
                        + " aggregation's result in UPDATE mode leaves the sink's earlier row of its key standing, so"
                        + " rules there may only warn or fail: set onViolation to warn or fail, or place the rule on the"
                        + " input (stage: input) to keep bad rows out of the aggregation"),
                problems(pipeline("dropped_totals")
                        .sql("SELECT customer, sum(amount) AS total FROM input GROUP BY customer")
                        .expect(Expectation.drop("total_positive", "total > 0"))
                        .outputMode(OutputMode.UPDATE)));
        assertEquals(
                List.of("pipeline 'nowhere': expectation 'amount_positive' (amount > 0): the rows it breaks go to the"
                        + " source's dead letter, and source 'json-dir' has none with these options: give it one (kafka:"
                        + " badRecords: dead_letter with deadLetter.path or deadLetter.topic), or set onViolation to"
                        + " drop"),
                problems(pipeline("nowhere").expect(Expectation.quarantine("amount_positive", "amount > 0"))));
        assertEquals(
                List.of("pipeline 'input_columns': expectation 'total_positive' (total > 0): column 'total' does not"
                        + " exist (columns: id, customer, amount)"),
                problems(pipeline("input_columns")
                        .sql("SELECT customer, sum(amount) AS total FROM input GROUP BY customer")
                        .expect(Expectation.warn("total_positive", "total > 0").onInput())
                        .outputMode(OutputMode.COMPLETE)),
                "a rule on the input sees the input's columns");
    }

    @Test
    void explainListsTheRulesAndWhereTheyApply() throws Exception {
        String explained = pipeline("explained")
                .expect(Expectation.drop("amount_positive", "amount > 0").onInput())
                .expect(Expectation.warn("customer_known", "customer IS NOT NULL"))
                .build()
                .explain();
        assertTrue(
                explained.contains("== Expectations ==\namount_positive (amount > 0, drop, on the input)\n"
                        + "customer_known (customer IS NOT NULL, warn, on the output)\n"),
                explained);
    }
}
