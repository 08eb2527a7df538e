package io.sluice.testkit.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What a {@link PipelineTest} found: each expectation that was not met, in words a person reads
 * (with a row diff as a table), and the rows each batch actually gave the sink — what {@code
 * sluice test --update} writes back as the new expectations.
 *
 * @param name the test's name
 * @param failures every expectation not met, in the order of the steps
 * @param received the rows the sink received, per step that ran ({@link PipelineTest.Batch} steps only)
 * @param all every row the sink received over the run (for real sinks, the sink's contents at the end)
 * @param took how long the test ran
 */
public record TestOutcome(
        String name, List<Failure> failures, List<Received> received, Optional<Received> all, Duration took) {
    public TestOutcome {
        requireNonNull(name, "name is null");
        failures = List.copyOf(requireNonNull(failures, "failures is null"));
        received = List.copyOf(requireNonNull(received, "received is null"));
        requireNonNull(all, "all is null");
        requireNonNull(took, "took is null");
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /**
     * An expectation not met.
     *
     * @param step the index of the step in {@link PipelineTest#steps()}; empty for the run as a whole
     * @param what what was expected: {@code rows}, {@code deadLettered}, {@code skipped}, {@code watermark},
     *     {@code counters}, {@code fails}, or {@code pipeline} (it could not run at all)
     * @param message what went wrong, in words; several lines for a row diff
     */
    public record Failure(OptionalInt step, String what, String message) {
        public Failure {
            requireNonNull(step, "step is null");
            requireNonNull(what, "what is null");
            requireNonNull(message, "message is null");
        }

        /**
         * {@code batch 2: rows: ...}, or {@code at the end: ...}; for the pipeline itself (it could not
         * start, or a batch failed unexpectedly) the message with its step, or alone.
         */
        public String describe(List<PipelineTest.Step> steps) {
            String where = step.isEmpty() ? "at the end" : where(steps, step.getAsInt());
            if (what.equals("pipeline")) {
                return step.isEmpty() ? message : where + ": " + message;
            }
            return where + ": " + what + ": " + message;
        }

        private static String where(List<PipelineTest.Step> steps, int index) {
            int batch = 0;
            for (int i = 0; i <= index && i < steps.size(); i++) {
                if (steps.get(i) instanceof PipelineTest.Batch) {
                    batch++;
                }
            }
            return steps.get(index) instanceof PipelineTest.Batch ? "batch " + batch : "step " + (index + 1);
        }
    }

    /**
     * The rows the sink received in a step.
     *
     * @param step the index of the step
     * @param schema the rows' columns
     * @param rows the rows, in the order the sink got them
     */
    public record Received(int step, StructType schema, List<Row> rows) {
        public Received {
            requireNonNull(schema, "schema is null");
            rows = List.copyOf(requireNonNull(rows, "rows is null"));
        }
    }
}
