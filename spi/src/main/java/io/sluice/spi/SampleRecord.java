package io.sluice.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One record given by hand instead of read from the source's system — a line of a fixtures
 * file for {@code sluice preview --from} — as the source's system would carry it: a value, and
 * a key when the record has one. Text, because fixtures are written by people; a source turns
 * it into its raw columns (Kafka: UTF-8 bytes in {@code key} and {@code value}) and decodes it
 * exactly as it decodes what it reads.
 *
 * @param key the record's key, empty for none
 * @param value the record's value as produced
 */
@Evolving
public record SampleRecord(Optional<String> key, String value) {
    public SampleRecord {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }

    /** A record with a value only. */
    public static SampleRecord of(String value) {
        return new SampleRecord(Optional.empty(), value);
    }
}
