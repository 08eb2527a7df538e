package io.sluice.engine.plan;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Temporary views that exist only while a query is analysed: Spark resolves a view into the
 * plan when {@code sql()} returns, so dropping it afterwards leaves no trace in the session,
 * and pipelines planned one after another (or at once, on other threads) cannot see each
 * other's {@code input} or reference tables. One lock for the whole session, re-entrant, so
 * that a step's {@code input} can be registered inside the pipeline's reference tables.
 */
public final class SessionViews {
    private static final Object LOCK = new Object();

    private SessionViews() {}

    /** {@code analyse} run with {@code views} visible by name, and none of them after. */
    public static <T> T with(SparkSession spark, Map<String, Dataset<Row>> views, Supplier<T> analyse) {
        synchronized (LOCK) {
            views.forEach((name, data) -> data.createOrReplaceTempView(name));
            try {
                return analyse.get();
            } finally {
                views.keySet().forEach(name -> spark.catalog().dropTempView(name));
            }
        }
    }
}
