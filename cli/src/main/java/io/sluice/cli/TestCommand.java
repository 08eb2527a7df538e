package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.cli.file.PipelineFiles;
import io.sluice.cli.file.Position;
import io.sluice.cli.file.TestFile;
import io.sluice.cli.file.TestFileParser;
import io.sluice.cli.file.Variables;
import io.sluice.core.option.Suggestions;
import io.sluice.engine.Sluice;
import io.sluice.testkit.pipeline.PipelineTester;
import io.sluice.testkit.pipeline.TestOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice test}: runs the tests of pipeline files batch by batch, without a broker — the
 * source's real decoding on records the tests give, the real SQL, the output-mode rules and a
 * real checkpoint — and says which expectations failed, with row diffs. What CI reads: {@code N
 * passed, N failed} as the last line, JUnit XML with {@code --junit}, and the exit code.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        header = "Runs pipeline tests batch by batch, without the source's system.",
        description = {
            "Runs pipeline tests (FILE.test.yaml, or a pipeline file's tests: block) without the source's",
            "system: each batch of records goes through the source's decoding, the SQL and the sink, and what",
            "the sink received, the records set aside, the watermark and the counters are checked.",
            "Exit 0 when every test passed, 1 when one failed, 2 for a usage error or a test file with problems."
        })
final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(
            paramLabel = "PATH",
            arity = "1..*",
            description = "Test files, pipeline files with tests, or directories to look for them in")
    List<Path> paths;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE")
    Path junit;

    @Option(
            names = "--update",
            description = "Rewrite each expected 'rows:' with the rows the sink received (review the change)")
    boolean update;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        List<Path> found = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                return usage(path + " does not exist");
            }
            found.addAll(testFiles(path));
        }
        if (found.isEmpty()) {
            return usage("no tests in "
                    + String.join(", ", paths.stream().map(Path::toString).toList())
                    + ": a test file is named NAME.test.yaml, or a pipeline file has a 'tests:' block");
        }
        List<TestFile> files = found.stream().map(TestFileParser::load).toList();
        List<FileProblem> problems =
                files.stream().flatMap(f -> f.problems().stream()).sorted().toList();
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ": no test ran");
            err.flush();
            return 2;
        }
        // one session for the whole run, with the spark: settings of every pipeline file the tests run
        List<PipelineFile> pipelineFiles = files.stream()
                .map(TestFile::pipelineFile)
                .distinct()
                .map(path -> PipelineFiles.load(path, Variables.of(Map.of())))
                .toList();
        Sluice sluice = Sessions.forChecking(fileOptions.sparkSettings(pipelineFiles));
        PipelineTester tester = new PipelineTester(sluice);
        TestReport report = new TestReport();
        for (TestFile file : files) {
            for (TestFile.FileTest test : file.tests()) {
                report.add(file, test, run(tester, sluice, file, test));
            }
        }
        out.print(report.text());
        if (update) {
            try {
                int rewritten = ExpectedRows.update(files, report);
                out.println("--update: " + rewritten + (rewritten == 1 ? " expectation" : " expectations")
                        + " of rows rewritten from what ran");
            } catch (IOException e) {
                err.println("sluice test: --update: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        if (junit != null) {
            try {
                Files.writeString(junit, report.junit());
            } catch (IOException e) {
                err.println("sluice test: --junit: " + junit + " cannot be written: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        out.println(report.summary());
        out.flush();
        return report.failed() == 0 ? 0 : 1;
    }

    /** One test: its pipeline file read with the test's variables, then run; a pipeline that cannot be read fails it. */
    private TestOutcome run(PipelineTester tester, Sluice sluice, TestFile file, TestFile.FileTest test) {
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-test-dir-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            Map<String, String> variables = new LinkedHashMap<>();
            file.variables()
                    .forEach((name, value) -> variables.put(name, value.replace("${TEST_DIR}", dir.toString())));
            variables.putAll(fileOptions.variables);
            PipelineFile pipelines = PipelineFiles.load(file.pipelineFile(), Variables.of(variables));
            List<FileProblem> problems = new ArrayList<>(pipelines.problems());
            if (problems.isEmpty()) {
                problems.addAll(Checked.declarations(List.of(pipelines), sluice.connectors()));
            }
            if (!problems.isEmpty()) {
                return cannotRun(
                        test,
                        "the pipeline file has problems (sluice validate " + file.pipelineFile() + " shows them):\n  "
                                + String.join(
                                        "\n  ",
                                        problems.stream()
                                                .map(FileProblem::toString)
                                                .toList()));
            }
            List<String> names = pipelines.pipelines().stream()
                    .map(p -> p.definition().name())
                    .toList();
            Optional<PipelineFile.FilePipeline> chosen = test.pipeline()
                    .flatMap(name -> pipelines.pipelines().stream()
                            .filter(p -> p.definition().name().equals(name))
                            .findFirst())
                    .or(() -> test.pipeline().isEmpty() && names.size() == 1
                            ? Optional.of(pipelines.pipelines().get(0))
                            : Optional.empty());
            if (chosen.isEmpty()) {
                return cannotRun(
                        test,
                        test.pipeline().isPresent()
                                ? "'pipeline' is '" + test.pipeline().get() + "', which " + file.pipelineFile()
                                        + " does not"
                                        + " have"
                                        + Suggestions.didYouMean(test.pipeline().get(), names)
                                        + " (it has: " + String.join(", ", names) + ")"
                                : file.pipelineFile() + " has " + names.size() + " pipelines ("
                                        + String.join(", ", names) + "): name one with 'pipeline:'");
            }
            Secrets secrets = Secrets.of(List.of(pipelines), sluice.connectors());
            TestOutcome outcome = tester.run(chosen.get().definition(), test.test());
            return new TestOutcome(
                    outcome.name(),
                    outcome.failures().stream()
                            .map(f -> f.withMessage(secrets.mask(f.message())))
                            .toList(),
                    outcome.received(),
                    outcome.all(),
                    outcome.took());
        } finally {
            delete(dir);
        }
    }

    private static TestOutcome cannotRun(TestFile.FileTest test, String why) {
        return new TestOutcome(
                test.test().name(),
                List.of(TestOutcome.Failure.of(test.test().steps(), java.util.OptionalInt.empty(), "pipeline", why)),
                List.of(),
                Optional.empty(),
                java.time.Duration.ZERO);
    }

    /** The test files under a path: NAME.test.yaml, and pipeline files with a tests: block; sorted. */
    static List<Path> testFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        if (name.endsWith(".test.yaml") || name.endsWith(".test.yml")) {
                            return true;
                        }
                        return (name.endsWith(".yaml") || name.endsWith(".yml")) && TestFileParser.hasTests(p);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sluice test: " + message);
        err.flush();
        return 2;
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(TestCommand.class).warn("could not delete {}", dir, e);
        }
    }

    /** Where a failure is written in its test file. */
    static Position placeOf(TestFile.FileTest test, TestOutcome.Failure failure) {
        return test.placeOf(failure.step(), failure.what());
    }
}
