package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Leaves a bad record out and counts it: the filter's condition for bad records only
 * ({@code not bad or skip(error)}), so good records never reach it and cost no count.
 */
final class SkipFunction implements UDF1<String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final Counter skipped;

    SkipFunction(Counter skipped) {
        this.skipped = requireNonNull(skipped, "skipped is null");
    }

    @Override
    public Boolean call(String error) {
        skipped.add(DecodeFailure.label(error), 1);
        return false;
    }
}
