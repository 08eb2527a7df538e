package io.sluice.core;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A bounded sample of a source, for looking at real records before running a pipeline: the
 * rows {@link StreamSource#read} would produce from those records, as a batch {@code Dataset}
 * with the same columns, and the records that did not decode with the reason each failed —
 * shown to the user, never dropped silently, whatever the source's bad-record policy would do
 * with them in a run. Taking a sample writes nothing anywhere (no dead letter, no committed
 * offsets).
 *
 * @param rows the decoded rows, the columns of the source's streaming {@code Dataset}
 * @param rejected one row per record that did not decode: {@code record} (where it is, e.g.
 *     {@code orders-0 offset 17}) and {@code reason} (why, as the dead letter would say)
 * @param description what was sampled, in words ({@code the latest 20 records of each partition of 'orders'})
 */
@Evolving
public record SourceSample(Dataset<Row> rows, Dataset<Row> rejected, String description) {
    public SourceSample {
        requireNonNull(rows, "rows is null");
        requireNonNull(rejected, "rejected is null");
        requireNonNull(description, "description is null");
    }
}
