package io.sluice.core;

import java.io.Serializable;

/**
 * Where a pipeline's expectations set rows aside ({@code onViolation: quarantine}): the source's
 * own dead letter, so that a row that breaks a rule lands where a record that does not decode
 * does, with the same guarantee. A source offers one through {@link StreamSource#quarantine}.
 *
 * <p>{@link #put} is called from the Spark task that computed the row. The implementation keeps
 * the task's rows with the task and publishes them when the task succeeds — before Spark can
 * commit the batch — and discards them when it fails, under a name a replay of the batch
 * gives again, so that every quarantined row is kept exactly once at rest (a topic: at least
 * once, as Kafka sinks are).
 */
@Evolving
public interface Quarantine extends Serializable {
    /** Sets {@code row} aside in the calling task; an exception fails the task (and the batch is redone). */
    void put(QuarantinedRow row);

    /** Where the rows go, for messages: {@code files at /data/dead-letter}, {@code topic 'orders-dlq'}. */
    String description();
}
