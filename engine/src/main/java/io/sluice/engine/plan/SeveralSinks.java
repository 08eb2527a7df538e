package io.sluice.engine.plan;

import io.sluice.core.OutputMode;
import io.sluice.core.SinkContext;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The checks of a pipeline's sinks when it writes several, each problem at the sink's place
 * ({@code sinks, 2, where}): what each sink says of the output mode and the session, its rows
 * and columns analysed against the pipeline's output (a misspelt column gets "did you mean"),
 * the output-mode rules on what it gets, and its own checks against its schema — the same
 * checks a pipeline's only sink has.
 */
public final class SeveralSinks {
    private SeveralSinks() {}

    /** What needs no query: each sink's output modes and the session's settings. */
    public static List<Problem> declared(SparkSession spark, FanOut fanOut, OutputMode mode) {
        List<Problem> problems = new ArrayList<>();
        List<FanOut.Route> routes = fanOut.routes();
        for (int i = 0; i < routes.size(); i++) {
            FanOut.Route route = routes.get(i);
            String entry = String.valueOf(i + 1);
            route.sink()
                    .outputModes()
                    .refusal(mode)
                    .ifPresent(why -> problems.add(new Problem(route.spec().subject(), why, Part.OUTPUT_MODE)));
            SessionProblems.of(spark, route.sink(), Part.SINK)
                    .map(p -> new Problem(route.spec().subject(), p.message(), Part.CONNECTOR).under(Part.SINKS, entry))
                    .ifPresent(problems::add);
        }
        return problems;
    }

    /** What needs the pipeline's output: each sink's rows, columns and own checks. */
    public static List<Problem> planned(
            SparkSession spark, FanOut fanOut, SinkContext context, Dataset<Row> output, OutputMode mode) {
        List<Problem> problems = new ArrayList<>();
        List<FanOut.Route> routes = fanOut.routes();
        for (int i = 0; i < routes.size(); i++) {
            FanOut.Route route = routes.get(i);
            String entry = String.valueOf(i + 1);
            List<Problem> found = new ArrayList<>();
            routed(spark, route.spec(), output, found).ifPresent(rows -> {
                found.addAll(OutputModeCheck.check(
                        route.spec().subject(), rows, mode, route.sink().outputModes()));
                route.sink()
                        .validate(FanOut.contextOf(context, route), route.options(), rows.schema())
                        .forEach(m -> found.add(new Problem(route.spec().subject(), m, Part.OPTIONS)));
            });
            found.forEach(p -> problems.add(p.under(Part.SINKS, entry)));
        }
        return problems;
    }

    /** The rows the sink gets, or the problem of its {@code where} or {@code columns}. */
    private static Optional<Dataset<Row>> routed(
            SparkSession spark, SinkSpec spec, Dataset<Row> output, List<Problem> problems) {
        Dataset<Row> rows = output;
        if (spec.where().isPresent()) {
            try {
                rows = rows.where(spec.where().get());
            } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
                problems.add(new Problem(
                        spec.subject(),
                        "where '" + spec.where().get() + "' failed: " + describe(spark, e, output),
                        Part.WHERE));
                return Optional.empty();
            }
        }
        for (int i = 0; i < spec.columns().size(); i++) {
            String column = spec.columns().get(i);
            try {
                rows.selectExpr(column);
            } catch (Exception e) { // Spark throws AnalysisException (or a ParseException), undeclared
                problems.add(new Problem(
                                spec.subject(),
                                "column '" + column + "' failed: " + describe(spark, e, output),
                                Part.COLUMNS)
                        .item(String.valueOf(i + 1)));
            }
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(FanOut.Route.apply(spec, output));
    }

    private static String describe(SparkSession spark, Exception e, Dataset<Row> output) {
        if (e instanceof AnalysisException analysis) {
            return SqlErrors.describe(spark, analysis, output.schema(), "input");
        }
        return OutputModeCheck.firstLine(String.valueOf(e.getMessage()));
    }
}
