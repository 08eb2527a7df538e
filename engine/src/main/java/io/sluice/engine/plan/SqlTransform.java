package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * SQL over the previous step. The view exists only while the query is analysed: Spark
 * resolves a view into the plan when {@code sql()} returns, so dropping it afterwards leaves
 * no trace in the session, and pipelines built one after another cannot see each other's.
 */
public final class SqlTransform implements Transform {

    private final String view;
    private final String query;

    public SqlTransform(String view, String query) {
        this.view = requireNonNull(view, "view is null");
        this.query = requireNonNull(query, "query is null");
    }

    /** The view the step reads the one before it as. */
    public String view() {
        return view;
    }

    @Override
    public String describe() {
        String oneLine = query.strip().replaceAll("\\s+", " ");
        return "sql: " + (oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine);
    }

    @Override
    public String text() {
        return "sql: " + query.strip();
    }

    @Override
    public Dataset<Row> apply(SparkSession spark, Dataset<Row> input) {
        Optional<String> notAQuery = SqlErrors.notAQuery(query, view);
        if (notAQuery.isPresent()) {
            throw new IllegalArgumentException(notAQuery.get());
        }
        return SessionViews.with(spark, java.util.Map.of(view, input), () -> spark.sql(query));
    }
}
