package io.sluice.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A record to produce to the embedded broker. Key, headers, timestamp and partition are
 * optional; a null value is a tombstone.
 */
public record KafkaRecord(
        String key, String value, Map<String, String> headers, Optional<Long> timestamp, Optional<Integer> partition) {

    public KafkaRecord {
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(partition, "partition is null");
    }

    public static KafkaRecord of(String key, String value) {
        return new KafkaRecord(key, value, Map.of(), Optional.empty(), Optional.empty());
    }

    public static KafkaRecord value(String value) {
        return of(null, value);
    }

    public KafkaRecord withHeaders(Map<String, String> newHeaders) {
        return new KafkaRecord(key, value, newHeaders, timestamp, partition);
    }

    public KafkaRecord withTimestamp(long newTimestamp) {
        return new KafkaRecord(key, value, headers, Optional.of(newTimestamp), partition);
    }

    public KafkaRecord toPartition(int newPartition) {
        return new KafkaRecord(key, value, headers, timestamp, Optional.of(newPartition));
    }
}
