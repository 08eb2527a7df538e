package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import io.sluice.testkit.pipeline.PipelineTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file of pipeline tests ({@code orders.test.yaml}, or a pipeline file's {@code tests:} block),
 * read with the places of its parts, so a failed expectation is reported at its line and {@code
 * sluice test --update} can rewrite expected rows where they are written.
 *
 * @param file the test file, as named to the command
 * @param pipelineFile the pipeline file the tests run (the file itself for a {@code tests:} block)
 * @param variables the variables the tests give the pipeline file ({@code ${TEST_DIR}} is each test's own directory)
 * @param tests the tests, in order
 * @param problems what is wrong with the file itself; no test runs from a file with problems
 */
public record TestFile(
        String file,
        Path pipelineFile,
        Map<String, String> variables,
        List<FileTest> tests,
        List<FileProblem> problems) {
    public TestFile {
        requireNonNull(file, "file is null");
        requireNonNull(pipelineFile, "pipelineFile is null");
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
        tests = List.copyOf(requireNonNull(tests, "tests is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /**
     * One test of the file.
     *
     * @param test what runs
     * @param pipeline the pipeline of the pipeline file it runs, when named
     * @param position where the test starts
     * @param places where each expectation is written: {@code "<step>:<what>"}, {@code "end:<what>"}
     */
    public record FileTest(
            PipelineTest test, Optional<String> pipeline, Position position, Map<String, Position> places) {
        public FileTest {
            requireNonNull(test, "test is null");
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(position, "position is null");
            places = Map.copyOf(requireNonNull(places, "places is null"));
        }

        /** Where an expectation of a step (empty: of the end) is written; the test's place when unknown. */
        public Position placeOf(java.util.OptionalInt step, String what) {
            String key = (step.isPresent() ? String.valueOf(step.getAsInt()) : "end") + ":" + what;
            Position place = places.get(key);
            if (place == null && step.isPresent()) {
                place = places.get(step.getAsInt() + ":step");
            }
            return place != null ? place : position;
        }
    }
}
