package io.sluice.engine.plan;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a pipeline's source gets its raw stream instead of its system ({@code
 * Pipeline.readingFrom}): a test run's fixture, releasing declared batches. The source asks
 * for a format and options ({@code SourceContext.stream}); a fixture answers with its own
 * stream of the same columns.
 */
@FunctionalInterface
public interface SourceStreams {
    public Dataset<Row> open(SparkSession spark, String format, Map<String, String> options);
}
