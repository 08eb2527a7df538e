package io.sluice.testkit.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.SampleRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test of a pipeline, as {@code sluice test} reads it from a test file and a Java test declares
 * it: batches of records given to the source, one micro-batch each, with what to expect after
 * each; restarts from the checkpoint between them; and what to expect at the end. {@link
 * PipelineTester} runs it on the real pipeline, with only the source's system (a fixture) and,
 * unless {@code realSinks}, the sink's storage (a capture in memory) stood in for.
 *
 * @param name what the test checks, in words
 * @param steps the batches and restarts, in order
 * @param atEnd what to expect of the whole run: {@code rows} are every row the sink received
 * @param realSinks whether the sink writes for real, to a temporary directory read back after each batch
 * @param schemas the schema registry's subjects during the test, each subject's schemas as text,
 *     oldest version first: the source's fixture serves them in place of the registry its
 *     options name, and writes records given as documents with the latest (empty: no registry)
 * @param tables rows standing in for the pipeline's reference tables, by table name, each row a
 *     JSON object: the test joins these instead of reading the real table (empty: the real tables)
 */
public record PipelineTest(
        String name,
        List<Step> steps,
        Expectation atEnd,
        boolean realSinks,
        Map<String, List<String>> schemas,
        Map<String, List<String>> tables) {
    public PipelineTest {
        requireNonNull(name, "name is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(atEnd, "atEnd is null");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        requireNonNull(schemas, "schemas is null")
                .forEach((subject, versions) -> copy.put(subject, List.copyOf(versions)));
        schemas = java.util.Collections.unmodifiableMap(copy);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        requireNonNull(tables, "tables is null").forEach((table, json) -> rows.put(table, List.copyOf(json)));
        tables = java.util.Collections.unmodifiableMap(rows);
    }

    /** A test that joins the pipeline's real reference tables. */
    public PipelineTest(
            String name, List<Step> steps, Expectation atEnd, boolean realSinks, Map<String, List<String>> schemas) {
        this(name, steps, atEnd, realSinks, schemas, Map.of());
    }

    /** A test of a source that reads through no schema registry. */
    public PipelineTest(String name, List<Step> steps, Expectation atEnd, boolean realSinks) {
        this(name, steps, atEnd, realSinks, Map.of(), Map.of());
    }

    /** One step of a test. */
    public sealed interface Step {}

    /**
     * Records given to the source as one micro-batch, and what to expect after it.
     *
     * @param records the batch's records, in order
     * @param expect what the batch must have done
     */
    public record Batch(List<SampleRecord> records, Expectation expect) implements Step {
        public Batch {
            records = List.copyOf(requireNonNull(records, "records is null"));
            requireNonNull(expect, "expect is null");
        }
    }

    /** Stops the pipeline and starts it again from its checkpoint, as an operator's restart does. */
    public record Restart() implements Step {}

    /**
     * Registers new versions of subjects in the test's schema registry while the pipeline runs,
     * as a producer's new release does: the records of later batches given as documents are
     * written with them, and the pipeline meets a schema it did not have at start.
     *
     * @param schemas subject to the versions added, oldest first
     */
    public record Register(Map<String, List<String>> schemas) implements Step {
        public Register {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            requireNonNull(schemas, "schemas is null")
                    .forEach((subject, versions) -> copy.put(subject, List.copyOf(versions)));
            schemas = java.util.Collections.unmodifiableMap(copy);
        }
    }
}
