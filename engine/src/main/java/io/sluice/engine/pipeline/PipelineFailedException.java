package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * A pipeline's query failed: the one line in words the {@code sluice} command prints —
 * {@code pipeline 'orders' failed: query 'orders', batch 7: the disk is full at /data/orders: ...}
 * — with Spark's own exception, plan and all, as the cause, for the log.
 *
 * <p>Spark's {@code StreamingQueryException} says a failure in thousands of characters (its text
 * carries the query's logical plan), which a Java program would print or log as the message. This
 * is one, so that code written against {@link PipelineHandle#awaitTermination} keeps catching
 * Spark's type, and its message is the line an operator acts on. Secret option values are masked.
 */
public final class PipelineFailedException extends StreamingQueryException {
    private static final long serialVersionUID = 1L;

    private final String words;

    PipelineFailedException(String words, StreamingQueryException spark) {
        super(
                "",
                requireNonNull(words, "words is null"),
                requireNonNull(spark, "spark is null"),
                spark.startOffset(),
                spark.endOffset(),
                spark.getCondition(),
                scala.collection.immutable.Map$.MODULE$.empty(),
                scala.Option.apply(spark.getSqlState()));
        this.words = words;
    }

    /** The failure in words, without Spark's plan; {@link #getCause()} is Spark's exception. */
    @Override
    public String getMessage() {
        return words;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + words;
    }
}
