package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * A row set aside by a pipeline's rules: the row as JSON, why (every rule it broke), and where
 * in the source it came from when the row carries the source's coordinates — a Kafka record's
 * topic, partition, offset and timestamp; null each when it does not (a row of an aggregation).
 *
 * @param json the row, one JSON object
 * @param reason the rules it broke ({@code expectations broken: amount_positive, customer_known})
 * @param timestampMicros the source record's time, in microseconds since the epoch (Spark's precision)
 */
public record QuarantinedRow(
        String json, String reason, String topic, Integer partition, Long offset, Long timestampMicros)
        implements Serializable {
    public QuarantinedRow {
        requireNonNull(json, "json is null");
        requireNonNull(reason, "reason is null");
    }
}
