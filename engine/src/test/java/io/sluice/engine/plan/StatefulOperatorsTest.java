package io.sluice.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of state that {@link StatefulOperators} reads from Catalyst's analysed plans, as
 * the checkpoint guard compares it: when Spark renames or reshapes these classes, this fails
 * before a changed aggregation slips past the guard.
 */
class StatefulOperatorsTest {
    private static Sluice sluice;

    @TempDir
    static Path dir;

    @BeforeAll
    static void session() throws Exception {
        sluice = Sluice.embedded();
        Files.createDirectories(dir.resolve("in"));
    }

    private static LogicalPlan plan(String sql) {
        Dataset<Row> source = sluice.spark()
                .readStream()
                .schema("customer STRING, status STRING, amount DOUBLE, at TIMESTAMP")
                .json(dir.resolve("in").toString());
        return new SqlTransform("input", sql)
                .apply(sluice.spark(), source)
                .queryExecution()
                .analyzed();
    }

    @Test
    void anAggregationKeepsItsGroupingColumnsAndAggregationBuffers() {
        StatefulOperators.Operator operator = StatefulOperators.operators(
                        plan("SELECT customer, count(*) AS n, avg(amount) AS mean FROM input GROUP BY customer"))
                .get(0);
        assertEquals("an aggregation (GROUP BY, count, window)", operator.words());
        assertEquals(List.of("customer string"), operator.keys());
        assertEquals(List.of("string"), operator.keyTypes());
        assertEquals(List.of("count(1)", "avg(amount)"), operator.kept());
        assertEquals(List.of("bigint", "double", "bigint"), operator.keptTypes(), "avg keeps a sum and a count");
    }

    @Test
    void aRenamedColumnKeepsTheSameShapeAndAnAddedKeyDoesNot() {
        StatefulOperators.Operator before = StatefulOperators.operators(
                        plan("SELECT customer, count(*) AS n FROM input GROUP BY customer"))
                .get(0);
        StatefulOperators.Operator renamed = StatefulOperators.operators(
                        plan("SELECT c, count(*) AS orders FROM (SELECT customer AS c FROM input) GROUP BY c"))
                .get(0);
        StatefulOperators.Operator wider = StatefulOperators.operators(
                        plan("SELECT customer, status, count(*) AS n FROM input GROUP BY customer, status"))
                .get(0);
        assertEquals(before.keyTypes(), renamed.keyTypes());
        assertEquals(before.keptTypes(), renamed.keptTypes());
        assertEquals(List.of("string", "string"), wider.keyTypes());
    }

    @Test
    void aDeduplicationIsKeyedByItsColumnsAndTheWatermarkIsFound() {
        LogicalPlan plan = plan("SELECT DISTINCT customer, status FROM input WATERMARK at DELAY OF INTERVAL 1 MINUTE");
        StatefulOperators.Operator operator = StatefulOperators.operators(plan).get(0);
        assertEquals("a deduplication (DISTINCT, dropDuplicates)", operator.words());
        assertEquals(List.of("customer string", "status string"), operator.keys());
        assertEquals(Optional.of("at"), StatefulOperators.watermark(plan));
        assertEquals(Optional.empty(), StatefulOperators.watermark(plan("SELECT customer FROM input")));
    }
}
