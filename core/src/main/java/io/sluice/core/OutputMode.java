package io.sluice.core;

/**
 * How a streaming query writes its result table to a sink, Spark's three modes in our own
 * enum so that connectors declare what they support without depending on Spark's class
 * (whose constants are factory methods, unusable in annotations, sets and switches).
 */
public enum OutputMode {
    /** Only rows added to the result since the last trigger; the only mode for file sinks. */
    APPEND,
    /** Only rows that changed since the last trigger; needs a sink that can overwrite by key or tolerate updates. */
    UPDATE,
    /** The whole result table on every trigger; only for aggregations, whose result is bounded. */
    COMPLETE;

    /** The equivalent Spark output mode. */
    public org.apache.spark.sql.streaming.OutputMode toSpark() {
        return switch (this) {
            case APPEND -> org.apache.spark.sql.streaming.OutputMode.Append();
            case UPDATE -> org.apache.spark.sql.streaming.OutputMode.Update();
            case COMPLETE -> org.apache.spark.sql.streaming.OutputMode.Complete();
        };
    }
}
