package io.sluice.engine.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Deduplicate;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The operators of a plan that keep state across records, in words, and what their state is
 * made of: what real-time mode and a restarted checkpoint care about. Spark restores an
 * operator's state only into the same shape — keys of the same types (Spark's
 * {@code STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE}) and values of the same types (the aggregation
 * buffers) — so those are what a checkpoint's description keeps and compares; names may
 * change, as Spark allows. {@code StatefulOperatorsTest} fails when Catalyst's classes change.
 */
public final class StatefulOperators {
    private static final Set<String> STATEFUL = Set.of(
            "Aggregate",
            "Deduplicate",
            "DeduplicateWithinWatermark",
            "Distinct",
            "FlatMapGroupsWithState",
            "TransformWithState",
            "Window",
            "GlobalLimit",
            "Sort");

    /** One stateful operator: its words, its state's keys ({@code name type}) and what it keeps per key. */
    public record Operator(
            String words, List<String> keys, List<String> keyTypes, List<String> kept, List<String> keptTypes) {}

    private StatefulOperators() {}

    /** Every stateful operator of the plan, from the output down, in words. */
    public static List<String> in(LogicalPlan plan) {
        return operators(plan).stream().map(Operator::words).toList();
    }

    /** Every stateful operator of the plan, from the output down, with the shape of its state. */
    public static List<Operator> operators(LogicalPlan plan) {
        List<Operator> found = new ArrayList<>();
        collect(plan, found);
        return found;
    }

    /** The column the plan's watermark is on, if it has one. */
    public static Optional<String> watermark(LogicalPlan plan) {
        if (plan instanceof EventTimeWatermark watermark) {
            return Optional.of(watermark.eventTime().name());
        }
        return children(plan).stream()
                .map(StatefulOperators::watermark)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static void collect(LogicalPlan plan, List<Operator> found) {
        String name = plan.getClass().getSimpleName();
        List<LogicalPlan> children = children(plan);
        if (plan instanceof Aggregate aggregate) {
            List<Expression> keys = CollectionConverters.asJava(aggregate.groupingExpressions());
            List<AggregateExpression> functions = new ArrayList<>();
            CollectionConverters.asJava(aggregate.aggregateExpressions())
                    .forEach(e -> aggregates((Expression) e, functions));
            List<String> kept = functions.stream()
                    .map(f -> org.apache.spark.sql.catalyst.util.package$.MODULE$.toPrettySQL(f, false))
                    .toList();
            List<String> keptTypes = functions.stream()
                    .flatMap(f ->
                            CollectionConverters.asJava(f.aggregateFunction().aggBufferAttributes()).stream())
                    .map(a -> a.dataType().simpleString())
                    .toList();
            found.add(new Operator(
                    describe(name),
                    keys.stream().map(StatefulOperators::column).toList(),
                    keys.stream().map(k -> k.dataType().simpleString()).toList(),
                    kept,
                    keptTypes));
        } else if (plan instanceof Deduplicate deduplicate) {
            found.add(keyedBy(name, CollectionConverters.asJava(deduplicate.keys())));
        } else if (plan instanceof Distinct distinct) {
            found.add(keyedBy(name, CollectionConverters.asJava(distinct.output())));
        } else if (STATEFUL.contains(name)) {
            found.add(new Operator(describe(name), List.of(), List.of(), List.of(), List.of()));
        } else if (name.equals("Join")
                && children.stream().filter(LogicalPlan::isStreaming).count() > 1) {
            found.add(new Operator("a join of two streams", List.of(), List.of(), List.of(), List.of()));
        }
        children.forEach(child -> collect(child, found));
    }

    private static Operator keyedBy(String name, List<Attribute> keys) {
        return new Operator(
                describe(name),
                keys.stream().map(StatefulOperators::column).toList(),
                keys.stream().map(k -> k.dataType().simpleString()).toList(),
                List.of(),
                List.of());
    }

    private static void aggregates(Expression expression, List<AggregateExpression> found) {
        if (expression instanceof AggregateExpression aggregate) {
            found.add(aggregate);
            return;
        }
        CollectionConverters.asJava(expression.children()).forEach(child -> aggregates(child, found));
    }

    private static String column(Expression key) {
        String name = key instanceof NamedExpression named ? named.name() : key.sql();
        return name + " " + key.dataType().simpleString();
    }

    private static List<LogicalPlan> children(LogicalPlan plan) {
        return CollectionConverters.asJava(plan.children());
    }

    private static String describe(String operator) {
        return switch (operator) {
            case "Aggregate" -> "an aggregation (GROUP BY, count, window)";
            case "Deduplicate", "DeduplicateWithinWatermark", "Distinct" ->
                "a deduplication (DISTINCT, dropDuplicates)";
            case "Sort" -> "a sort (ORDER BY)";
            case "GlobalLimit" -> "a limit (LIMIT)";
            case "Window" -> "a window function (OVER)";
            default -> "stateful processing (" + operator + ")";
        };
    }
}
