package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A stateful operator's state as rows — its keys and values, by partition — read with Spark's
 * state data source ({@code statestore}) at the checkpoint's last committed batch, from a
 * stopped pipeline's checkpoint: what an operator looks at in an incident ("what does the
 * aggregation hold for this key?"). The one place Sluice names that reader.
 */
public final class StateRows {
    /** Spark's short name of the state data source. */
    static final String FORMAT = "statestore";

    private StateRows() {}

    /** Operator {@code operator}'s state at the last committed batch: columns key, value, partition_id. */
    public static Dataset<Row> read(SparkSession spark, String checkpoint, int operator) {
        requireNonNull(spark, "spark is null");
        requireNonNull(checkpoint, "checkpoint is null");
        return spark.read().format(FORMAT).option("operatorId", operator).load(checkpoint);
    }
}
