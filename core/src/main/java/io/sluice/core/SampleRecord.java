package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One record given by hand instead of read from the source's system — a line of a fixtures
 * file for {@code sluice preview --from}, a record of a {@code sluice test} batch — as the
 * source's system would carry it: a value, and a key, headers, a partition and a timestamp when
 * the record has them. A source turns it into its raw columns (Kafka: the bytes in {@code key}
 * and {@code value}) and decodes it exactly as it decodes what it reads, so a test or a preview
 * of given records runs the real decoding.
 *
 * <p>Bytes, not text, because a bad record is often bad in its bytes (invalid UTF-8, a wrong
 * magic byte); {@link #of} and {@link #keyed} take text for the common case. The arrays are
 * the caller's: a record does not copy them, and compares them by identity.
 *
 * @param key the record's key, empty for none
 * @param value the record's value as produced
 * @param headers the record's headers, in order (a key may repeat, as in Kafka)
 * @param partition the partition it was written to, empty for the source's first
 * @param timestamp when it was written, empty for the moment it is given
 * @param documents the parts given as a document — a map or list, held as its JSON text in
 *     {@code key} or {@code value} — which the source writes in that part's format before it
 *     decodes them (Kafka: Avro, Protobuf or JSON Schema in Confluent's framing, with the schema
 *     its registry has for the part; JSON as it is); the other parts are bytes as produced. This
 *     lets a test write an Avro value as readably as a JSON one, while a bad frame is still given
 *     byte for byte.
 */
@Evolving
public record SampleRecord(
        Optional<byte[]> key,
        byte[] value,
        List<Header> headers,
        OptionalInt partition,
        Optional<Instant> timestamp,
        Set<Part> documents) {
    public SampleRecord {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(partition, "partition is null");
        requireNonNull(timestamp, "timestamp is null");
        documents = Set.copyOf(requireNonNull(documents, "documents is null"));
        if (partition.isPresent() && partition.getAsInt() < 0) {
            throw new IllegalArgumentException("partition is " + partition.getAsInt() + ": partitions count from 0");
        }
        if (documents.contains(Part.KEY) && key.isEmpty()) {
            throw new IllegalArgumentException("the key is said to be a document, but the record has no key");
        }
    }

    /** A record whose parts are all bytes as produced. */
    public SampleRecord(
            Optional<byte[]> key,
            byte[] value,
            List<Header> headers,
            OptionalInt partition,
            Optional<Instant> timestamp) {
        this(key, value, headers, partition, timestamp, Set.of());
    }

    /** Whether {@code part} was given as a document (JSON text) for the source to write in its format. */
    public boolean isDocument(Part part) {
        return documents.contains(requireNonNull(part, "part is null"));
    }

    /** A part of a record that can be given as a document. */
    public enum Part {
        KEY,
        VALUE;

        /** {@code key} or {@code value}, as options and messages name it. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A record with a value only, as UTF-8 text. */
    public static SampleRecord of(String value) {
        return keyed(Optional.empty(), value);
    }

    /** A record with a key (empty for none) and a value, both as UTF-8 text. */
    public static SampleRecord keyed(Optional<String> key, String value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        return new SampleRecord(
                key.map(SampleRecord::utf8), utf8(value), List.of(), OptionalInt.empty(), Optional.empty());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A header of a record.
     *
     * @param key its name
     * @param value its bytes, null for a header without a value
     */
    public record Header(String key, byte[] value) {
        public Header {
            requireNonNull(key, "key is null");
        }
    }
}
