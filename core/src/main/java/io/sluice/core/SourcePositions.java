package io.sluice.core;

import java.time.Instant;
import java.util.Map;

/**
 * Where a source's system is, in the source's own offsets — the JSON Spark's source writes in a
 * checkpoint's {@code offsets/N} ({@code {"orders":{"0":120,"1":98}}} for Kafka). What {@code
 * sluice checkpoint show} compares a checkpoint with (how far behind it is) and what {@code
 * sluice checkpoint rewind} moves it to: operators recover from a reset topic or replay from a
 * time by naming a place, and the source — the one that knows its system — says what that place
 * is in offsets, and refuses one its system does not have, in words. A source offers it through
 * {@link StreamSource#positions}; it may hold a connection, so it is closed after use.
 */
@Evolving
public interface SourcePositions extends AutoCloseable {
    /** The latest offsets of everything the source reads: the next record each partition will get. */
    String latest();

    /** For each partition, the first record at or after {@code time}; the latest where none is that recent. */
    String at(Instant time);

    /**
     * {@code offsets} as a person wrote them, checked against the system: every partition the
     * source reads given, each offset still there and not past the latest; Spark's {@code -2}
     * (earliest) and {@code -1} (latest) resolved to offsets.
     *
     * @throws IllegalArgumentException what is wrong, in words, naming the partition and offset
     */
    String checked(String offsets);

    /** How many records each partition's latest is past {@code offsets} ({@code orders-0 → 120}); empty when unknown. */
    Map<String, Long> behind(String offsets);

    /** Releases what the positions hold (a connection); the default holds nothing. */
    @Override
    default void close() {}
}
