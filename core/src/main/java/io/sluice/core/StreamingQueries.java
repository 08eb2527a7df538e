package io.sluice.core;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a {@code foreachBatch} function can learn about the query that calls it: Spark hands it
 * the rows and the batch id, not the query's id, which an idempotent writer keys its record by
 * (the framework's batch sinks, and its writer of several sinks).
 */
public final class StreamingQueries {
    /** The local property Spark's stream execution sets on the thread that runs a batch. */
    static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private StreamingQueries() {}

    /** The id of the query whose batch {@code rows} is; Spark keeps it in the checkpoint. */
    public static String currentQueryId(Dataset<Row> rows) {
        String id = rows.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        if (id == null) {
            throw new IllegalStateException("no streaming query is running on this thread: a BatchWriter is called"
                    + " by the framework from inside a micro-batch (property '" + QUERY_ID_PROPERTY + "' is unset)");
        }
        return id;
    }
}
