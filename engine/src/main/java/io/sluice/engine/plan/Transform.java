package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One step between source and sink. Either SQL over the previous step, which the step sees
 * as a view (named {@code input} unless chosen), or any Java function on a {@code Dataset}.
 *
 * <p>Transforms run when a pipeline is validated, not only when it starts, because Spark
 * analyses a {@code Dataset} as it is built: a misspelt column is reported by
 * {@code validate()} with the step that has it.
 */
public interface Transform {

    /** How the step appears in messages: {@code sql: SELECT …} or the function's description. */
    public String describe();

    /** The whole step, for listings such as {@code sluice explain}; {@link #describe()} unless the step has more to show. */
    public default String text() {
        return describe();
    }

    public Dataset<Row> apply(SparkSession spark, Dataset<Row> input);

    /** SQL over the previous step, visible as the view {@code input}. */
    public static Transform sql(String query) {
        return sql("input", query);
    }

    /** SQL over the previous step, visible as the view {@code view}. */
    public static Transform sql(String view, String query) {
        return new SqlTransform(view, query);
    }

    /** A Java function; {@code description} names it in messages. */
    public static Transform of(String description, Function<Dataset<Row>, Dataset<Row>> function) {
        requireNonNull(description, "description is null");
        requireNonNull(function, "function is null");
        return new Transform() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Dataset<Row> apply(SparkSession spark, Dataset<Row> input) {
                return function.apply(input);
            }
        };
    }
}
