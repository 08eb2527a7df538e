package io.sluice.engine.plan;

import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.analysis.UnsupportedOperationChecker;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Asks Spark's own checker whether a streaming plan can run in an output mode, before any
 * query starts, and says how to fix what it refuses.
 *
 * <p>Spark runs {@code UnsupportedOperationChecker} only inside {@code start()}, and its
 * words describe the rule, not the fix. We call the same checker on the analysed plan —
 * so Spark's rules stay the single truth — and reword the cases users meet most.
 */
public final class OutputModeCheck {
    private OutputModeCheck() {}

    /**
     * The problems of writing {@code data} in {@code mode} to a sink that can write {@code writable}: each about
     * the output mode, or about the transforms when no mode would do (a distinct aggregation).
     */
    public static List<Problem> check(String subject, Dataset<Row> data, OutputMode mode, OutputModes writable) {
        if (!data.isStreaming()) {
            return List.of(new Problem(
                    subject, "the query reads no stream: a streaming pipeline needs a streaming source", Part.SOURCE));
        }
        LogicalPlan plan = ((org.apache.spark.sql.classic.Dataset<Row>) data)
                .queryExecution()
                .analyzed();
        try {
            UnsupportedOperationChecker.checkForStreaming(plan, mode.toSpark());
            return List.of();
        } catch (Exception e) { // AnalysisException is checked but undeclared by Scala
            if (e instanceof AnalysisException analysis) {
                String message = analysis.getSimpleMessage();
                if (message.toLowerCase(Locale.ROOT).contains("distinct aggregations are not supported")) {
                    return List.of(new Problem(
                            subject,
                            "the transforms count or aggregate DISTINCT values, which a streaming query cannot (it"
                                    + " would keep every value seen): use approx_count_distinct(...), or drop"
                                    + " duplicates first (SELECT DISTINCT in an earlier step, with a watermark)",
                            Part.TRANSFORMS));
                }
                return List.of(new Problem(subject, explain(mode, message, writable), Part.OUTPUT_MODE));
            }
            throw e;
        }
    }

    private static String explain(OutputMode mode, String sparkMessage, OutputModes writable) {
        String lowered = sparkMessage.toLowerCase(Locale.ROOT);
        if (lowered.contains("aggregations without watermark")
                || lowered.contains("aggregations on streaming dataframes/datasets without watermark")) {
            boolean otherModes = writable.supports(OutputMode.UPDATE) || writable.supports(OutputMode.COMPLETE);
            return "output mode " + mode + " cannot write an aggregation without a watermark: add a watermark on the"
                    + " event-time column (withWatermark, or WATERMARK in SQL) and group by a window of it"
                    + (otherModes
                            ? ", or use UPDATE or COMPLETE"
                            : " (this sink writes " + writable.listed() + " only)");
        }
        if (lowered.contains("no streaming aggregations")) {
            return "output mode COMPLETE needs an aggregation (it rewrites the whole result each batch): use APPEND or UPDATE";
        }
        return "output mode " + mode + " is not possible for this query: " + firstLine(sparkMessage);
    }

    public static String firstLine(String message) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
