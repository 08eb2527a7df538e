package io.sluice.source.kafka;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A record that did not decode, as the dead letter keeps it: where it came from, its raw key
 * and value, and why it failed.
 *
 * @param timestampMicros the record's Kafka timestamp, in microseconds since the epoch (Spark's precision)
 */
record DeadLetterRecord(String topic, Integer partition, Long offset, Long timestampMicros, byte[] key, byte[] value,
        String error) {

    /** The spool name a task gives its dead letter: the first bad record's coordinates, the same on every replay. */
    String spoolName() {
        return topic + "-" + partition + "-" + offset;
    }

    Instant timestamp() {
        return timestampMicros == null ? null : Instant.EPOCH.plus(timestampMicros, ChronoUnit.MICROS);
    }
}
