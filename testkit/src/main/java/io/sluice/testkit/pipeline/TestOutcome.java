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
     * Fails with an {@link AssertionError} that says every expectation not met, as {@code sluice
     * test} says it — for a JUnit test of a pipeline.
     */
    public void assertPassed() {
        if (!passed()) {
            StringBuilder text = new StringBuilder("test '" + name + "' failed:");
            failures.forEach(
                    failure -> text.append("\n  ").append(failure.describe().replace("\n", "\n    ")));
            throw new AssertionError(text.toString());
        }
    }

    /**
     * An expectation not met.
     *
     * @param step the index of the step in {@link PipelineTest#steps()}; empty for the run as a whole
     * @param where the step in words: {@code batch 2} (batches count from 1), {@code step 3}, {@code at the end}
     * @param what what was expected: {@code rows}, {@code deadLettered}, {@code skipped}, {@code watermark},
     *     {@code counters}, {@code fails}, or {@code pipeline} (it could not run, or a batch failed unexpectedly)
     * @param message what went wrong, in words; several lines for a row diff
     */
    public record Failure(OptionalInt step, String where, String what, String message) {
        public Failure {
            requireNonNull(step, "step is null");
            requireNonNull(where, "where is null");
            requireNonNull(what, "what is null");
            requireNonNull(message, "message is null");
        }

        /** A failure of step {@code step} of {@code steps} (empty: of the whole run). */
        public static Failure of(List<PipelineTest.Step> steps, OptionalInt step, String what, String message) {
            return new Failure(step, step.isEmpty() ? "at the end" : where(steps, step.getAsInt()), what, message);
        }

        /** A failure of what the test itself gives ({@code tables}), before any step runs. */
        public static Failure ofTest(String what, String message) {
            return new Failure(OptionalInt.empty(), "", what, message);
        }

        /** The same failure with another message (secrets masked, say). */
        public Failure withMessage(String text) {
            return new Failure(step, where, what, text);
        }

        /**
         * {@code batch 2: rows: ...}, or {@code at the end: ...}; for the pipeline itself (it could not
         * start, or a batch failed unexpectedly) the message with its step, or alone.
         */
        public String describe() {
            if (what.equals("pipeline")) {
                return step.isEmpty() ? message : where + ": " + message;
            }
            if (where.isEmpty()) {
                return what + ": " + message;
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
