package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testkit.SharedSluice;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * What the decoder costs per record, read from Spark's plans: every policy decodes a value
 * once (a filter pushed below the decoding projection would copy the decoder into itself), and
 * no policy aggregates over every row the way {@code observe} does (its CollectMetrics node
 * also ends the stage of generated code where it stands).
 */
class RecordDecoderPlanTest {
    private static Dataset<Row> decoded(BadRecordPolicy policy) {
        SparkSession spark = SharedSluice.get().spark();
        Dataset<Row> raw = spark.range(10)
                .selectExpr(
                        "CAST(NULL AS BINARY) AS key",
                        "CAST(concat('{\"id\":', id, '}') AS BINARY) AS value",
                        "'t' AS topic",
                        "0 AS partition",
                        "id AS offset",
                        "current_timestamp() AS timestamp",
                        "0 AS timestampType");
        Optional<DeadLetter> deadLetter = policy == BadRecordPolicy.DEAD_LETTER
                ? Optional.of(DeadLetter.files(
                        "/tmp/unused", "json", spark.sparkContext().hadoopConfiguration()))
                : Optional.empty();
        Optional<io.sluice.core.Counter> counter = policy == BadRecordPolicy.FAIL
                ? Optional.empty()
                : Optional.of(new io.sluice.core.Counter(spark, "test", "bad"));
        return RecordDecoder.decode(
                raw,
                new RecordDecoder.Decoding(
                        "binary",
                        Optional.empty(),
                        "json",
                        Optional.of(StructType.fromDDL("id BIGINT")),
                        Optional.empty(),
                        Optional.empty(),
                        policy,
                        false,
                        false,
                        deadLetter,
                        counter,
                        deadLetter.map(d -> io.sluice.core.Counter.failures(spark, "test", "failures"))));
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void everyPolicyDecodesEachValueOnce() {
        for (BadRecordPolicy policy : BadRecordPolicy.values()) {
            String plan = decoded(policy).queryExecution().optimizedPlan().toString();
            // Sluice's decoder, or from_json where this Spark lacks what it needs (JsonDecodingDifferentialTest says
            // which)
            assertEquals(
                    1,
                    occurrences(plan, "sluice_json.decode(") + occurrences(plan, "from_json("),
                    policy + ":\n" + plan);
        }
    }

    @Test
    void noPolicyObservesEveryRow() {
        for (BadRecordPolicy policy : BadRecordPolicy.values()) {
            String plan = decoded(policy).queryExecution().executedPlan().toString();
            assertEquals(
                    List.of(),
                    plan.lines().filter(line -> line.contains("CollectMetrics")).toList(),
                    plan);
        }
    }
}
