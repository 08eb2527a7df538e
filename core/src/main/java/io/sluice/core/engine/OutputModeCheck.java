package io.sluice.core.engine;

import io.sluice.spi.OutputMode;
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
final class OutputModeCheck {
    private OutputModeCheck() {}

    static List<String> check(Dataset<Row> data, OutputMode mode) {
        if (!data.isStreaming()) {
            return List.of("the query reads no stream: a streaming pipeline needs a streaming source");
        }
        LogicalPlan plan = ((org.apache.spark.sql.classic.Dataset<Row>) data)
                .queryExecution()
                .analyzed();
        try {
            UnsupportedOperationChecker.checkForStreaming(plan, mode.toSpark());
            return List.of();
        } catch (Exception e) { // AnalysisException is checked but undeclared by Scala
            if (e instanceof AnalysisException analysis) {
                return List.of(explain(mode, analysis.getSimpleMessage()));
            }
            throw e;
        }
    }

    private static String explain(OutputMode mode, String sparkMessage) {
        String lowered = sparkMessage.toLowerCase(Locale.ROOT);
        if (lowered.contains("aggregations without watermark")
                || lowered.contains("aggregations on streaming dataframes/datasets without watermark")) {
            return "output mode " + mode + " cannot write an aggregation without a watermark: add a watermark on the"
                    + " event-time column (withWatermark, or WATERMARK in SQL) or use UPDATE or COMPLETE";
        }
        if (lowered.contains("no streaming aggregations")) {
            return "output mode COMPLETE needs an aggregation (it rewrites the whole result each batch): use APPEND or UPDATE";
        }
        return "output mode " + mode + " is not possible for this query: " + firstLine(sparkMessage);
    }

    static String firstLine(String message) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
