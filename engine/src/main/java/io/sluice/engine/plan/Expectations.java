package io.sluice.engine.plan;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.Counter;
import io.sluice.core.OutputMode;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A pipeline's expectations, checked and applied: every rule checked before start where it is
 * placed (the expression parses, names columns the rows have, is boolean, deterministic, and
 * looks at one row — no aggregate, window or subquery), and the rules of a stage applied to
 * its rows in one filter, with a counter per rule. The one place that knows what a rule is.
 */
public final class Expectations {
    /** The group of the rules' counters: {@code PipelineHandle.counts} says {@code expect.amount_positive}. */
    public static final String GROUP = "expect";

    /** A rule's name is a metric label and a word in a progress line. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The column that holds, for a moment, the rules a row broke (bit i for rule i). */
    private static final String BROKEN = "__sluice_expectations_broken";

    /** Rules a row can break at once are told by the bits of one long. */
    static final int MOST = Long.SIZE - 1;

    private Expectations() {}

    /** What a rule's breaks came to for the row, in a progress line and a metric: written, dropped, failed. */
    public static String outcome(Expectation.Action action) {
        return switch (action) {
            case WARN -> "written";
            case DROP -> "dropped";
            case FAIL -> "failed";
            case QUARANTINE -> "quarantined";
        };
    }

    /** How a quarantined row's reason begins in the dead letter: the rules it broke follow. */
    private static final String BROKEN_REASON = "expectations broken: ";

    /** A quarantined row's reason in the dead letter: {@code expectations broken: amount_positive, customer_known}. */
    public static String quarantineReason(List<String> broken) {
        return BROKEN_REASON + String.join(", ", broken);
    }

    /** The rules a dead letter's reason names, when it is a quarantined row's ({@link #quarantineReason}). */
    public static Optional<List<String>> rulesBroken(String reason) {
        if (reason == null || !reason.startsWith(BROKEN_REASON)) {
            return Optional.empty();
        }
        return Optional.of(List.of(reason.substring(BROKEN_REASON.length()).split(", ")));
    }

    /** The rule a counter of {@link #GROUP} counts for, in {@code definition}. */
    public static Optional<Expectation> ruleOf(PipelineDefinition definition, Counter counter) {
        if (!GROUP.equals(counter.group())) {
            return Optional.empty();
        }
        return definition.expectations().stream()
                .filter(rule -> rule.name().equals(counter.name()))
                .findFirst();
    }

    /** The problems of the rules as written, whatever the rows: names, and conditions that are empty. */
    public static List<Problem> declared(PipelineDefinition definition) {
        List<Problem> problems = new ArrayList<>();
        List<Expectation> rules = definition.expectations();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            Expectation rule = rules.get(i);
            if (!NAME.matcher(rule.name()).matches()) {
                problems.add(
                        problem(
                                definition,
                                i,
                                "expectation " + (i + 1) + " is named '" + rule.name()
                                        + "': name it with letters, digits and"
                                        + " underscores, starting with a letter (amount_positive) — the name is a metric label"));
            } else if (!seen.add(rule.name())) {
                problems.add(problem(
                        definition,
                        i,
                        "expectation '" + rule.name() + "' is declared twice: give each rule its own name, as its"
                                + " counts are reported by name"));
            }
            if (rule.condition().isBlank()) {
                problems.add(problem(
                        definition,
                        i,
                        "expectation '" + rule.name() + "' has an empty condition: write a SQL boolean expression the"
                                + " rows should satisfy (amount > 0)"));
            }
        }
        if (rules.size() > MOST) {
            problems.add(new Problem(
                    definition.subject(),
                    "a pipeline has at most " + MOST + " expectations (it has " + rules.size() + "): combine some",
                    Part.EXPECTATIONS));
        }
        return problems;
    }

    /**
     * The problems of the rules placed on {@code stage} against its rows {@code data}; for the
     * output, {@code aggregated} says whether its rows are an aggregation's result in UPDATE or
     * COMPLETE mode, where a dropped row would leave the sink's earlier row of its key standing;
     * {@code quarantine} is why rows cannot be quarantined, when they cannot (the source has no dead letter).
     */
    public static List<Problem> check(
            SparkSession spark,
            PipelineDefinition definition,
            Expectation.Stage stage,
            Dataset<Row> data,
            boolean aggregated,
            Optional<String> quarantine) {
        List<Problem> problems = new ArrayList<>();
        List<Expectation> rules = definition.expectations();
        for (int i = 0; i < rules.size(); i++) {
            Expectation rule = rules.get(i);
            if (rule.stage() != stage || rule.condition().isBlank()) {
                continue;
            }
            int index = i;
            Consumer<String> report = why -> problems.add(
                    problem(definition, index, "expectation '" + rule.name() + "' (" + rule.condition() + "): " + why));
            analyse(spark, rule, data).ifPresent(report);
            if (rule.action() == Expectation.Action.QUARANTINE && quarantine.isPresent()) {
                report.accept(quarantine.get());
            }
            if (aggregated
                    && (rule.action() == Expectation.Action.DROP || rule.action() == Expectation.Action.QUARANTINE)) {
                report.accept(
                        "a " + outcome(rule.action()) + " row of an aggregation's result in " + definition.outputMode()
                                + " mode leaves the sink's earlier row of its key standing, so rules there may only warn or"
                                + " fail: set onViolation to warn or fail, or place the rule on the input (stage: input) to"
                                + " keep bad rows out of the aggregation");
            }
        }
        return problems;
    }

    /** Whether an output in {@code mode} is an aggregation's result that rewrites rows (UPDATE, COMPLETE). */
    public static boolean rewritesRows(OutputMode mode, LogicalPlan plan) {
        return mode != OutputMode.APPEND && !StatefulOperators.in(plan).isEmpty();
    }

    /** Why the rule cannot be evaluated on a row of {@code data}, in words; empty when it can. */
    private static Optional<String> analyse(SparkSession spark, Expectation rule, Dataset<Row> data) {
        LogicalPlan analyzed;
        try {
            analyzed = data.select(expr(rule.condition()).as("holds"))
                    .queryExecution()
                    .analyzed();
        } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
            return Optional.of(
                    e instanceof AnalysisException analysis
                            ? SqlErrors.describe(spark, analysis, data.schema(), "input")
                            : OutputModeCheck.firstLine(String.valueOf(e.getMessage())));
        }
        if (!(analyzed instanceof Project project)) {
            return Optional.of("it aggregates or windows over rows (a " + analyzed.nodeName() + "): a rule looks at one"
                    + " row at a time — aggregate in a transform, and write the rule on its result");
        }
        Object projected = CollectionConverters.asJava(project.projectList()).get(0);
        Expression condition = projected instanceof Alias alias ? alias.child() : (Expression) projected;
        if (contains(condition, SubqueryExpression.class) || contains(condition, AggregateExpression.class)) {
            return Optional.of("it has a subquery or an aggregate: a rule looks at one row at a time — join or"
                    + " aggregate in a transform, and write the rule on its result");
        }
        if (!(condition.dataType() instanceof BooleanType)) {
            return Optional.of("it is " + condition.dataType().simpleString() + ", not boolean: write a condition the"
                    + " rows should satisfy (amount > 0)");
        }
        if (!condition.deterministic()) {
            return Optional.of("it is not deterministic (rand(), uuid(), current_timestamp() ...): a replayed batch"
                    + " must break the same rules, so that counts and drops are the same");
        }
        return Optional.empty();
    }

    private static boolean contains(Expression expression, Class<?> type) {
        if (type.isInstance(expression)) {
            return true;
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            if (contains(child, type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code data} with the rules of {@code stage} applied in one filter: every rule a row breaks
     * counted (a NULL result is no break), rows that break a {@code drop} or {@code fail} rule
     * kept out, a {@code fail} break failing its task at completion. The counters go to
     * {@code counters}, named after the rules. For rules without problems: those {@link
     * #declared} and {@link #check} found none in (the planner applies nothing else).
     */
    public static Dataset<Row> apply(
            SparkSession spark,
            PipelineDefinition definition,
            Expectation.Stage stage,
            Dataset<Row> data,
            Consumer<Counter> counters,
            Optional<io.sluice.core.Quarantine> quarantine) {
        List<Expectation> rules = definition.expectations().stream()
                .filter(rule -> rule.stage() == stage)
                .toList();
        if (rules.isEmpty()) {
            return data;
        }
        if (definition.expectations().size() > MOST) {
            throw new IllegalArgumentException("at most " + MOST + " expectations: see Expectations.declared");
        }
        Column broken = lit(0L);
        List<Counter> counts = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Expectation rule = rules.get(i);
            broken = broken.plus(when(not(coalesce(expr(rule.condition()), lit(true))), lit(1L << i))
                    .otherwise(lit(0L)));
            Counter counter = new Counter(spark, GROUP, rule.name());
            counts.add(counter);
            counters.accept(counter);
        }
        long written = ExpectationFilter.mask(rules, Expectation.Action.FAIL)
                | ExpectationFilter.mask(rules, Expectation.Action.QUARANTINE);
        Column[] columns =
                java.util.Arrays.stream(data.columns()).map(data::col).toArray(Column[]::new);
        Dataset<Row> marked = data.withColumn(BROKEN, broken);
        Column mask = marked.col(BROKEN);
        Column row = written == 0
                ? lit(null).cast(DataTypes.StringType)
                : when(mask.bitwiseAND(lit(written)).notEqual(lit(0L)), to_json(struct(columns)));
        UserDefinedFunction keep = org.apache
                .spark
                .sql
                .functions
                .udf(new ExpectationFilter(rules, counts, quarantine.orElse(null)), DataTypes.BooleanType)
                .asNondeterministic();
        return marked.filter(keep.apply(
                        mask,
                        row,
                        coordinate(data, "topic", DataTypes.StringType),
                        coordinate(data, "partition", DataTypes.IntegerType),
                        coordinate(data, "offset", DataTypes.LongType),
                        data.schema().getFieldIndex("timestamp").isDefined()
                                        && data.schema().apply("timestamp").dataType()
                                                instanceof org.apache.spark.sql.types.TimestampType
                                ? org.apache.spark.sql.functions.unix_micros(data.col("timestamp"))
                                : lit(null).cast(DataTypes.LongType)))
                .drop(BROKEN);
    }

    /** The source's coordinate column, when the rows carry it with the source's type; a typed null otherwise. */
    private static Column coordinate(Dataset<Row> data, String name, org.apache.spark.sql.types.DataType type) {
        return data.schema().getFieldIndex(name).isDefined()
                        && data.schema().apply(name).dataType().equals(type)
                ? data.col(name)
                : lit(null).cast(type);
    }

    /** The column of a preview that names the rules a row breaks. */
    public static final String BROKEN_RULES = "broken_rules";

    /**
     * For a preview: the rows of {@code data} that break a rule of {@code stage}, each with the
     * names of the rules it breaks in a column {@value #BROKEN_RULES} — computed as the pipeline
     * computes them (NULL is no break), without counting anything.
     */
    public static Dataset<Row> breaking(PipelineDefinition definition, Expectation.Stage stage, Dataset<Row> data) {
        Column[] names = definition.expectations().stream()
                .filter(rule -> rule.stage() == stage)
                .map(rule -> when(not(coalesce(expr(rule.condition()), lit(true))), lit(rule.name())))
                .toArray(Column[]::new);
        Column broken = org.apache.spark.sql.functions.filter(
                org.apache.spark.sql.functions.array(names), name -> name.isNotNull());
        return data.withColumn(BROKEN_RULES, broken)
                .where(org.apache
                        .spark
                        .sql
                        .functions
                        .size(org.apache.spark.sql.functions.col(BROKEN_RULES))
                        .gt(0));
    }

    /** For a preview: the rows of {@code data} no {@code drop} or {@code fail} rule of {@code stage} keeps out. */
    public static Dataset<Row> kept(PipelineDefinition definition, Expectation.Stage stage, Dataset<Row> data) {
        Column kept = lit(true);
        for (Expectation rule : definition.expectations()) {
            if (rule.stage() == stage && rule.action() != Expectation.Action.WARN) {
                kept = kept.and(coalesce(expr(rule.condition()), lit(true)));
            }
        }
        return data.where(kept);
    }

    private static Problem problem(PipelineDefinition definition, int index, String message) {
        return new Problem(definition.subject(), message, Part.EXPECTATIONS).item(String.valueOf(index + 1));
    }
}
