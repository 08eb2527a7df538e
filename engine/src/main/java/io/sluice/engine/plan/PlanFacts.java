package io.sluice.engine.plan;

import io.sluice.core.QueryFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionSet;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads {@link QueryFacts} out of Spark's plans: the one place that knows how Catalyst keeps
 * a column's identity. A column is a source column unchanged when its expression id leads,
 * through aliases of plain column references only ({@code topic AS topic}), to one of the
 * source's output columns — the analysed plan keeps the ids of the source's plan, since a
 * transform's view is resolved into the plan, not copied. Unique keys are the optimizer's own
 * ({@code LogicalPlan.distinctKeys}), which Spark relies on to remove aggregations.
 * {@code PlanFactsTest} fails when Spark changes either under it.
 */
public final class PlanFacts {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlanFacts.class);

    private PlanFacts() {}

    public static QueryFacts of(String sourceName, List<String> recordOrder, Dataset<Row> source, Dataset<Row> output) {
        try {
            return new QueryFacts(sourceName, origins(source, output), recordOrder, () -> uniqueKeys(output));
        } catch (RuntimeException e) { // facts only ever refuse more; a plan Spark cannot optimize yet says nothing
            LOG.debug("no facts about the query's rows: {}", e.toString());
            return new QueryFacts(sourceName, Map.of(), recordOrder, List.of());
        }
    }

    private static Map<String, String> origins(Dataset<Row> source, Dataset<Row> output) {
        Map<ExprId, String> sourceColumns = new HashMap<>();
        for (Attribute attribute : attributes(source.queryExecution().analyzed())) {
            sourceColumns.put(attribute.exprId(), attribute.name());
        }
        LogicalPlan plan = output.queryExecution().analyzed();
        Map<ExprId, ExprId> renames = new HashMap<>();
        if (!collectRenames(plan, renames)) {
            return Map.of();
        }
        Map<String, String> origins = new LinkedHashMap<>();
        for (Attribute attribute : attributes(plan)) {
            ExprId id = attribute.exprId();
            for (int hops = 0; !sourceColumns.containsKey(id) && renames.containsKey(id) && hops < 1_000; hops++) {
                id = renames.get(id);
            }
            if (sourceColumns.containsKey(id)) {
                origins.put(attribute.name(), sourceColumns.get(id));
            }
        }
        return origins;
    }

    /** Alias id → the id of the column it renames; false when the plan mixes rows of several inputs under one id (a union). */
    private static boolean collectRenames(LogicalPlan plan, Map<ExprId, ExprId> renames) {
        if (plan instanceof Union) {
            return false;
        }
        for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
            collectRenames(expression, renames);
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            if (!collectRenames(child, renames)) {
                return false;
            }
        }
        return true;
    }

    private static void collectRenames(Expression expression, Map<ExprId, ExprId> renames) {
        if (expression instanceof Alias alias && alias.child() instanceof Attribute renamed) {
            renames.put(alias.exprId(), renamed.exprId());
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            collectRenames(child, renames);
        }
    }

    private static List<Set<String>> uniqueKeys(Dataset<Row> output) {
        try {
            return optimizedKeys(output);
        } catch (RuntimeException e) { // no proof of uniqueness: the sink that asked refuses more, never less
            LOG.debug("no unique keys known for the query's rows: {}", e.toString());
            return List.of();
        }
    }

    private static List<Set<String>> optimizedKeys(Dataset<Row> output) {
        // QueryExecution.optimizedPlan refuses a streaming plan outside a running query; the optimizer itself does not.
        // It runs on a copy: rules may tag the nodes they visit, and the query that starts must not see those tags.
        LogicalPlan plan = ((org.apache.spark.sql.classic.SparkSession) output.sparkSession())
                .sessionState()
                .optimizer()
                .execute(output.queryExecution().analyzed().clone());
        Map<ExprId, String> names = new HashMap<>();
        for (Attribute attribute : attributes(plan)) {
            names.put(attribute.exprId(), attribute.name());
        }
        List<Set<String>> keys = new ArrayList<>(windowKeys(plan));
        for (ExpressionSet key : CollectionConverters.asJava(plan.distinctKeys())) {
            Set<String> columns = new HashSet<>();
            for (Expression expression : CollectionConverters.asJava(key.toSeq())) {
                if (expression instanceof Attribute attribute && names.containsKey(attribute.exprId())) {
                    columns.add(names.get(attribute.exprId()));
                } else {
                    columns = null;
                    break;
                }
            }
            if (columns != null && !columns.isEmpty()) {
                keys.add(columns);
            }
        }
        return keys;
    }

    /**
     * The keys of grouped rows (or a projection over them) where a time window is selected by its bound
     * ({@code window.start AS window_start}): Spark's keys know the window struct only, yet a time
     * window's start (or end) is the window — its length is fixed, and a key's session windows
     * never overlap. Spark marks a window's column ({@code spark.timeWindow},
     * {@code spark.sessionWindow} in its metadata), so a struct of another origin with a
     * {@code start} field is not taken for one.
     */
    private static List<Set<String>> windowKeys(LogicalPlan plan) {
        List<NamedExpression> outputs;
        List<List<Expression>> candidates = new ArrayList<>();
        if (plan instanceof Project project) { // a selection over grouped rows
            outputs = CollectionConverters.asJava(project.projectList());
            CollectionConverters.asJava(project.child().distinctKeys())
                    .forEach(key -> candidates.add(CollectionConverters.asJava(key.toSeq())));
        } else if (plan instanceof Aggregate aggregate) { // the optimizer folds that selection into the grouping
            outputs = CollectionConverters.asJava(aggregate.aggregateExpressions());
            candidates.add(CollectionConverters.asJava(aggregate.groupingExpressions()));
        } else {
            return List.of();
        }
        List<Set<String>> keys = new ArrayList<>();
        for (List<Expression> key : candidates) {
            Set<String> columns = new HashSet<>();
            boolean window = false;
            for (Expression expression : key) {
                Optional<String> name =
                        expression instanceof Attribute attribute ? selected(outputs, attribute) : Optional.empty();
                if (name.isEmpty() && expression instanceof Attribute attribute && isWindow(attribute)) {
                    name = bound(outputs, attribute);
                    window = name.isPresent();
                }
                if (name.isEmpty()) {
                    columns = null;
                    break;
                }
                columns.add(name.get());
            }
            if (window && columns != null) {
                keys.add(columns);
            }
        }
        return keys;
    }

    private static boolean isWindow(Attribute attribute) {
        return attribute.metadata().contains("spark.timeWindow")
                || attribute.metadata().contains("spark.sessionWindow");
    }

    /** The output column that is {@code attribute} itself or an alias of it. */
    private static Optional<String> selected(List<NamedExpression> outputs, Attribute attribute) {
        for (NamedExpression column : outputs) {
            if (column.exprId().equals(attribute.exprId())
                    || (column instanceof Alias alias
                            && alias.child() instanceof Attribute renamed
                            && renamed.exprId().equals(attribute.exprId()))) {
                return Optional.of(column.name());
            }
        }
        return Optional.empty();
    }

    /** The output column that is the window's {@code start} or {@code end}. */
    private static Optional<String> bound(List<NamedExpression> outputs, Attribute window) {
        for (NamedExpression column : outputs) {
            if (column instanceof Alias alias
                    && alias.child() instanceof GetStructField field
                    && field.child() instanceof Attribute struct
                    && struct.exprId().equals(window.exprId())
                    && List.of("start", "end").contains(field.extractFieldName())) {
                return Optional.of(alias.name());
            }
        }
        return Optional.empty();
    }

    private static List<Attribute> attributes(LogicalPlan plan) {
        return CollectionConverters.asJava(plan.output());
    }
}
