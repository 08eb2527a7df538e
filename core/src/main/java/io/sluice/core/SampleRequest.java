package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a preview asks a source for ({@link StreamSource#sample}): the latest {@code limit}
 * records of each partition of what the source reads, or, when {@code given} is not empty,
 * those records instead of anything read from the source's system.
 *
 * @param limit how many records per partition, at least 1
 * @param given records to decode instead of reading (a fixtures file), in order; empty to read
 */
@Evolving
public record SampleRequest(int limit, List<SampleRecord> given) {
    public SampleRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + ": a sample has at least 1 record per partition");
        }
        given = List.copyOf(requireNonNull(given, "given is null"));
    }
}
