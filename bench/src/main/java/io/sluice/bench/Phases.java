package io.sluice.bench;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Where a query's time went, batch phase by phase (Spark's {@code durationMs}: latestOffset,
 * queryPlanning, addBatch, walCommit, commitOffsets, ...), summed over its batches — printed
 * with {@code --profile}, to see a gap's cause.
 */
final class Phases {
    private Phases() {}

    static void print(String name, StreamingQuery query) {
        Map<String, Long> total = new TreeMap<>();
        for (StreamingQueryProgress progress : query.recentProgress()) {
            progress.durationMs().forEach((phase, ms) -> total.merge(phase, ms, Long::sum));
        }
        System.out.printf("    phases of %s (ms, %d batches): %s%n", name, query.recentProgress().length, total);
    }
}
