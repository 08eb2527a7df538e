package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline run by hand on a sample of its source ({@link Pipeline#preview}): the records
 * that did not decode and why, then the schema and first rows after the source and after each
 * transform; the last step's rows are what the sink would get from that sample in one batch.
 *
 * @param sample what was sampled, in words (the source's own description)
 * @param rejectedCount how many sampled records did not decode
 * @param rejected the first of them: {@code record} and {@code reason}
 * @param steps the source's rows, then each transform's
 */
public record PipelinePreview(String sample, long rejectedCount, List<Row> rejected, List<Step> steps) {
    public PipelinePreview {
        requireNonNull(sample, "sample is null");
        rejected = List.copyOf(requireNonNull(rejected, "rejected is null"));
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
    }

    /**
     * One step's result on the sample.
     *
     * @param title {@code source 'kafka'}, {@code transform 1 (sql: SELECT ...)}
     * @param schema the step's columns
     * @param count how many rows the step produced
     * @param rows the first of them
     */
    public record Step(String title, StructType schema, long count, List<Row> rows) {
        public Step {
            requireNonNull(title, "title is null");
            requireNonNull(schema, "schema is null");
            rows = List.copyOf(requireNonNull(rows, "rows is null"));
        }
    }
}
