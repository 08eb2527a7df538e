package io.sluice.engine.pipeline;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A stream with the columns a source would give once its upstream has written, for analysis
 * only: Spark's rate source with each column a typed null. Spark analyses a streaming query
 * from its columns, so the transforms, rules and sinks after it are checked as they will run;
 * the plan it is part of never starts ({@link Pipeline#downstreamOf}).
 */
final class UpstreamStandIn {
    private UpstreamStandIn() {}

    static Dataset<Row> stream(SparkSession spark, StructType columns) {
        Column[] typed = Arrays.stream(columns.fields())
                .map(field -> functions.lit(null).cast(field.dataType()).as(field.name()))
                .toArray(Column[]::new);
        return spark.readStream().format("rate").load().select(typed);
    }
}
