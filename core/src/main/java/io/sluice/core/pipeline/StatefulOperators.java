package io.sluice.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/** The operators of a plan that keep state across records, in words: what real-time mode and a restarted checkpoint care about. */
final class StatefulOperators {
    private static final Set<String> STATEFUL = Set.of("Aggregate", "Deduplicate", "DeduplicateWithinWatermark", "Distinct",
            "FlatMapGroupsWithState", "TransformWithState", "Window", "GlobalLimit", "Sort");

    private StatefulOperators() {}

    /** Every stateful operator of the plan, from the output down. */
    static List<String> in(LogicalPlan plan) {
        List<String> found = new ArrayList<>();
        collect(plan, found);
        return found;
    }

    private static void collect(LogicalPlan plan, List<String> found) {
        String name = plan.getClass().getSimpleName();
        List<LogicalPlan> children = scala.jdk.javaapi.CollectionConverters.asJava(plan.children());
        if (STATEFUL.contains(name)) {
            found.add(describe(name));
        } else if (name.equals("Join") && children.stream().filter(LogicalPlan::isStreaming).count() > 1) {
            found.add("a join of two streams");
        }
        children.forEach(child -> collect(child, found));
    }

    private static String describe(String operator) {
        return switch (operator) {
            case "Aggregate" -> "an aggregation (GROUP BY, count, window)";
            case "Deduplicate", "DeduplicateWithinWatermark", "Distinct" -> "a deduplication (DISTINCT, dropDuplicates)";
            case "Sort" -> "a sort (ORDER BY)";
            case "GlobalLimit" -> "a limit (LIMIT)";
            case "Window" -> "a window function (OVER)";
            default -> "stateful processing (" + operator + ")";
        };
    }
}
