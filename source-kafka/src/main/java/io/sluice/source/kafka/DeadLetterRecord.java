package io.sluice.source.kafka;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A record that did not decode, as the dead letter keeps it: where it came from, its raw key
 * and value, and why it failed.
 *
 * @param timestampMicros the record's Kafka timestamp, in microseconds since the epoch (Spark's precision)
 */
record DeadLetterRecord(
        String topic, Integer partition, Long offset, Long timestampMicros, byte[] key, byte[] value, String error) {

    /**
     * The spool name a task gives its dead letter: the first record's coordinates, the same on every
     * replay; for a quarantined row without them (an aggregation's), the batch and the task's
     * partition, which a replay of the batch gives again.
     */
    String spoolName() {
        if (topic == null || partition == null || offset == null) {
            org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
            String batch = task == null ? null : task.getLocalProperty("streaming.sql.batchId");
            return "rows-batch-" + batch + "-partition-" + (task == null ? -1 : task.partitionId());
        }
        return topic + "-" + partition + "-" + offset;
    }

    Instant timestamp() {
        return timestampMicros == null ? null : instant(timestampMicros);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Where a record's fields go, in the dead letter's column order: each file format says how it writes a kind. */
    interface Fields {
        void string(String name, String value) throws java.io.IOException;

        void integer(String name, int value) throws java.io.IOException;

        void bigint(String name, long value) throws java.io.IOException;

        void timestamp(String name, long micros) throws java.io.IOException;

        void binary(String name, byte[] value) throws java.io.IOException;
    }

    /** Hands every field that is set to {@code fields}, in column order; a null field is left out (a null column). */
    void writeTo(Fields fields) throws java.io.IOException {
        if (topic != null) {
            fields.string("topic", topic);
        }
        if (partition != null) {
            fields.integer("partition", partition);
        }
        if (offset != null) {
            fields.bigint("offset", offset);
        }
        if (timestampMicros != null) {
            fields.timestamp("timestamp", timestampMicros);
        }
        if (key != null) {
            fields.binary("key", key);
        }
        if (value != null) {
            fields.binary("value", value);
        }
        if (error != null) {
            fields.string("error", error);
        }
    }
}
