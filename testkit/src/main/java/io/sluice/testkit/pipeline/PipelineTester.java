package io.sluice.testkit.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import io.sluice.core.SourceFixture;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.pipeline.PipelinePlan;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.SourceStreams;
import io.sluice.testkit.fixture.FixtureFeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a {@link PipelineTest} on a pipeline: the real source's {@code read} (its decoding and
 * bad-record policy) on a fixture stream of the declared batches, the real transforms, the
 * output-mode rules, a real checkpoint in a temporary directory (so a restart step resumes from
 * it, through the checkpoint guard), and the sink's output captured per micro-batch — or, with
 * {@code realSinks}, the real sink writing to a temporary directory that is read back. Only the
 * source's system is stood in for, so no broker is needed. One tester serves many tests on one
 * session.
 *
 * <p>The trigger is Spark's default (batches back to back): a test releases one batch, waits
 * until the pipeline has processed everything available — the no-data batch that emits a
 * window after the watermark moved included — and then checks. Nothing else is changed.
 */
public final class PipelineTester {
    private final Sluice sluice;

    public PipelineTester(Sluice sluice) {
        this.sluice = requireNonNull(sluice, "sluice is null");
    }

    /** Runs one test; the outcome says every expectation that was not met. */
    public TestOutcome run(PipelineDefinition definition, PipelineTest test) {
        requireNonNull(definition, "definition is null");
        requireNonNull(test, "test is null");
        long started = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory for the test", e);
        }
        Run run = new Run(definition, test, dir);
        try {
            run.all();
        } finally {
            run.close();
            delete(dir);
        }
        return new TestOutcome(
                test.name(), run.failures, run.received, run.all, Duration.ofNanos(System.nanoTime() - started));
    }

    /** One run of one test: its state, from start to the last step. */
    private final class Run {
        private final PipelineDefinition definition;
        private final PipelineTest test;
        private final Path dir;
        private final SparkSession spark = sluice.spark();
        private final List<TestOutcome.Failure> failures = new ArrayList<>();
        private final List<TestOutcome.Received> received = new ArrayList<>();
        private final List<Row> everyRow = new ArrayList<>();
        private final List<Row> everyRejected = new ArrayList<>();
        private final Map<String, Long> totals = new TreeMap<>();
        private final Map<String, Long> rejectedTotals = new HashMap<>();
        private final List<QuarantineMatch.Kept> everyQuarantined = new ArrayList<>();
        private List<Row> deadLetterBefore = List.of();
        /** Whether the source has a dead letter to read back: known after the first look (null before). */
        private Boolean deadLetterKept;

        private Optional<TestOutcome.Received> all = Optional.empty();
        private final CaptureSink capture = new CaptureSink();
        private FixtureFeed feed;
        private SourceFixture fixture;
        private Pipeline pipeline;
        private PipelinePlan plan;
        private PipelineHandle handle;
        private long lastBatch = -1;
        private List<Row> sinkBefore = List.of();

        /** Whether any expectation of the test names quarantined rows: only then is the dead letter read back. */
        private final boolean asksQuarantined;

        Run(PipelineDefinition definition, PipelineTest test, Path dir) {
            this.definition = definition;
            this.test = test;
            this.dir = dir;
            this.asksQuarantined = test.atEnd().quarantined().isPresent()
                    || test.steps().stream()
                            .anyMatch(step -> step instanceof PipelineTest.Batch batch
                                    && batch.expect().quarantined().isPresent());
        }

        void all() {
            if (!start()) {
                return;
            }
            List<PipelineTest.Step> steps = test.steps();
            for (int i = 0; i < steps.size(); i++) {
                PipelineTest.Step next = steps.get(i);
                boolean goesOn = next instanceof PipelineTest.Batch batch
                        ? batch(i, batch)
                        : next instanceof PipelineTest.Register register ? register(i, register) : restart(i);
                if (!goesOn) {
                    if (i + 1 < steps.size()) {
                        failures.add(TestOutcome.Failure.of(
                                test.steps(),
                                OptionalInt.of(i),
                                "pipeline",
                                "the pipeline stopped here: "
                                        + (steps.size() - i - 1 == 1
                                                ? "the step after this one did not run"
                                                : "the " + (steps.size() - i - 1)
                                                        + " steps after this one did not run")));
                    }
                    return;
                }
            }
            stop();
            StructType schema = schema();
            List<Row> rows = test.realSinks() ? sinkBefore : everyRow;
            all = Optional.of(new TestOutcome.Received(-1, schema, rows));
            check(
                    OptionalInt.empty(),
                    test.atEnd(),
                    schema,
                    rows,
                    everyRejected,
                    everyQuarantined,
                    totals,
                    rejectedTotals,
                    null);
        }

        /** The pipeline as written, fed by the fixture, then the pipeline that runs; false when it cannot. */
        private boolean start() {
            Pipeline declared = new Pipeline(spark, sluice.connectors(), definition);
            Optional<SourceFixture> found = declared.sourceFixture();
            if (found.isEmpty()) {
                PipelinePlan asWritten = declared.validate();
                failures.add(TestOutcome.Failure.of(
                        test.steps(),
                        OptionalInt.empty(),
                        "pipeline",
                        asWritten.isReady()
                                ? "source '" + definition.sourceName() + "' cannot be tested without its system: it"
                                        + " gives no fixture for records given by hand"
                                : problems("the pipeline has problems", asWritten.problems())));
                return false;
            }
            fixture = found.get();
            PipelineDefinition tested;
            List<io.sluice.engine.plan.ReferenceTable> tables = tables(definition, dir);
            if (!failures.isEmpty()) {
                return false;
            }
            try {
                tested = definition
                        .withTables(tables)
                        .withSourceOptions(fixture.runOptions(definition.sourceOptions(), test.schemas()));
            } catch (RuntimeException e) { // the fixture's words: a schema it cannot serve, or one the test lacks
                failures.add(TestOutcome.Failure.of(test.steps(), OptionalInt.empty(), "pipeline", e.getMessage()));
                return false;
            }
            feed = FixtureFeed.create(fixture.schema());
            SourceStreams streams = (session, format, options) -> feed.open(session);
            PipelinePlan asWritten = new Pipeline(spark, sluice.connectors(), tested)
                    .readingFrom(streams)
                    .validate();
            if (!asWritten.isReady()) {
                failures.add(TestOutcome.Failure.of(
                        test.steps(),
                        OptionalInt.empty(),
                        "pipeline",
                        problems("the pipeline has problems", asWritten.problems())));
                return false;
            }
            Optional<PipelineDefinition> running = running(tested, dir);
            if (running.isEmpty()) {
                return false;
            }
            ConnectorRegistry registry = sluice.connectors().withSink(capture);
            pipeline = new Pipeline(spark, registry, running.get()).readingFrom(streams);
            return launch(OptionalInt.empty());
        }

        private boolean launch(OptionalInt step) {
            plan = pipeline.validate();
            try {
                handle = pipeline.start(plan);
                return true;
            } catch (ValidationException e) {
                failures.add(TestOutcome.Failure.of(
                        test.steps(), step, "pipeline", problems("the pipeline cannot start", e.problems())));
                return false;
            }
        }

        /** The pipeline as it runs in a test: checkpoint here, batches back to back, the sink captured or here. */
        private Optional<PipelineDefinition> running(PipelineDefinition definition, Path dir) {
            Map<String, String> sinkOptions = new LinkedHashMap<>(definition.sinkOptions());
            sinkOptions.remove(StreamSink.CHECKPOINT_LOCATION.name());
            sinkOptions.remove(StreamSink.QUERY_NAME.name());
            String sink = CaptureSink.NAME;
            if (test.realSinks() && definition.fansOut()) {
                failures.add(TestOutcome.Failure.of(
                        test.steps(),
                        OptionalInt.empty(),
                        "pipeline",
                        "realSinks: the pipeline writes several sinks (" + definition.sinksInWords() + "): test it with"
                                + " its output captured (realSinks: false), each sink's rows under 'sinks'"));
                return Optional.empty();
            }
            if (test.realSinks()) {
                if (!sinkOptions.containsKey("path")) {
                    failures.add(
                            TestOutcome.Failure.of(
                                    test.steps(),
                                    OptionalInt.empty(),
                                    "pipeline",
                                    "realSinks: sink '" + definition.sinkName() + "' has no option 'path' to write to a"
                                            + " temporary directory instead: test it with its output captured (realSinks: false)"));
                    return Optional.empty();
                }
                sinkOptions.put("path", dir.resolve("sink").toString());
                sink = definition.sinkName();
            } else {
                sinkOptions.clear();
            }
            return Optional.of(new PipelineDefinition(
                    definition.name(),
                    definition.sourceName(),
                    definition.sourceOptions(),
                    definition.transforms(),
                    sink,
                    sinkOptions,
                    definition.outputMode(),
                    StreamTrigger.processingTime(Duration.ZERO),
                    Optional.of(dir.resolve("checkpoint").toString()),
                    Optional.of(definition.queryName().orElse(definition.name())),
                    definition.acceptedChanges(),
                    definition.expectations(),
                    definition.tables()));
        }

        /**
         * The pipeline's reference tables, each the test gives rows for replaced by those rows (a JSON
         * file in the test's directory, read once): the test joins what it says, not what the real
         * table holds today. A table the test names that the pipeline does not have fails the test.
         */
        private List<io.sluice.engine.plan.ReferenceTable> tables(PipelineDefinition definition, Path dir) {
            test.tables()
                    .keySet()
                    .forEach(name -> io.sluice.engine.plan.ReferenceTables.notDeclared(definition, name)
                            .ifPresent(why -> failures.add(TestOutcome.Failure.ofTest("tables", why))));
            Map<String, String> standIns = new LinkedHashMap<>();
            test.tables().forEach((name, rows) -> {
                Path file = dir.resolve("tables").resolve(name + ".json");
                try {
                    java.nio.file.Files.createDirectories(file.getParent());
                    java.nio.file.Files.write(file, rows);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                standIns.put(name, file.toString());
            });
            return io.sluice.engine.plan.ReferenceTables.withStandIns(definition, standIns);
        }

        private boolean batch(int step, PipelineTest.Batch batch) {
            List<Row> raw;
            try {
                raw = fixture.rows(batch.records());
            } catch (IllegalArgumentException e) { // a record the fixture cannot write in the source's format
                failures.add(TestOutcome.Failure.of(test.steps(), OptionalInt.of(step), "pipeline", e.getMessage()));
                return false;
            }
            feed.release(raw);
            Optional<String> failed = Optional.empty();
            try {
                handle.processAllAvailable();
            } catch (Exception e) { // Spark's StreamingQueryException: checked, and undeclared by Scala
                // the cause in words; the test's own step says which batch
                failed = Optional.of(pipeline.describeFailure(
                        handle.exception().map(Throwable.class::cast).orElse(e)));
            }
            plan = handle.plan(); // a restart the source asked for (a new schema) planned it again
            long last = handle.lastProgress().map(p -> p.batchId()).orElse(lastBatch);
            Map<String, Long> counts = new TreeMap<>();
            Map<String, Long> rejectedCounts = new HashMap<>();
            for (long id = lastBatch + 1; id <= last; id++) {
                for (Counter counter : plan.counters()) {
                    long count = counter.count(id);
                    counts.merge(counter.group() + "." + counter.name(), count, Long::sum);
                    counter.policy().ifPresent(policy -> rejectedCounts.merge(policy, count, Long::sum));
                }
            }
            counts.forEach((name, count) -> totals.merge(name, count, Long::sum));
            rejectedCounts.forEach((policy, count) -> rejectedTotals.merge(policy, count, Long::sum));
            List<Row> rows = rowsOf(lastBatch);
            lastBatch = last;
            everyRow.addAll(rows);
            StructType schema = schema();
            received.add(new TestOutcome.Received(step, schema, rows));
            List<Row> rejected = raw.isEmpty()
                    ? List.of()
                    : fixture.rejected(spark.createDataFrame(raw, fixture.schema()))
                            .collectAsList();
            everyRejected.addAll(rejected);
            List<QuarantineMatch.Kept> quarantined = quarantinedSince();
            everyQuarantined.addAll(quarantined);
            check(
                    OptionalInt.of(step),
                    batch.expect(),
                    schema,
                    rows,
                    rejected,
                    quarantined,
                    counts,
                    rejectedCounts,
                    failed);
            return failed.isEmpty();
        }

        /** Whether the source keeps a dead letter to read back: as the last look found, else asked once. */
        private boolean deadLetterKept() {
            if (deadLetterKept == null) {
                deadLetterKept = fixture.deadLetter(spark).isPresent();
            }
            return deadLetterKept;
        }

        /** The rows the rules quarantined since the last look, read back from the dead letter (when a test asks). */
        private List<QuarantineMatch.Kept> quarantinedSince() {
            if (!asksQuarantined) {
                return List.of();
            }
            Optional<Dataset<Row>> deadLetter = fixture.deadLetter(spark);
            deadLetterKept = deadLetter.isPresent();
            List<Row> now = deadLetter.map(Dataset::collectAsList).orElse(List.of());
            List<Row> added = new ArrayList<>(now);
            for (Row before : deadLetterBefore) {
                added.remove(before);
            }
            deadLetterBefore = now;
            return QuarantineMatch.Kept.of(added);
        }

        private boolean register(int step, PipelineTest.Register register) {
            try {
                fixture.register(register.schemas());
                return true;
            } catch (IllegalArgumentException e) { // the fixture's words: a subject it does not serve
                failures.add(TestOutcome.Failure.of(test.steps(), OptionalInt.of(step), "pipeline", e.getMessage()));
                return false;
            }
        }

        private boolean restart(int step) {
            stop();
            return launch(OptionalInt.of(step));
        }

        private List<Row> rowsOf(long afterBatch) {
            if (!test.realSinks()) {
                return capture.rowsAfter(afterBatch);
            }
            List<Row> now = sinkContents();
            List<Row> added = new ArrayList<>(now);
            for (Row before : sinkBefore) {
                added.remove(before);
            }
            sinkBefore = now;
            return added;
        }

        /** What the real sink holds: its files (or table) read back with the pipeline's output columns. */
        private List<Row> sinkContents() {
            String path = dir.resolve("sink").toString();
            if (!Files.exists(dir.resolve("sink"))) {
                return List.of();
            }
            Dataset<Row> table;
            try {
                table = spark.read()
                        .schema(plan.schema())
                        .format(definition.sinkName())
                        .load(path);
            } catch (RuntimeException e) { // a format that takes no schema of the reader's (Delta): its own
                table = spark.read().format(definition.sinkName()).load(path);
            }
            return table.select(java.util.Arrays.stream(plan.schema().fieldNames())
                            .map(org.apache.spark.sql.functions::col)
                            .toArray(org.apache.spark.sql.Column[]::new))
                    .collectAsList();
        }

        private StructType schema() {
            return plan == null ? new StructType() : plan.schema();
        }

        private void check(
                OptionalInt step,
                Expectation expect,
                StructType schema,
                List<Row> rows,
                List<Row> rejected,
                List<QuarantineMatch.Kept> quarantined,
                Map<String, Long> counts,
                Map<String, Long> rejectedCounts,
                Optional<String> failed) {
            boolean atEnd = step.isEmpty();
            if (!atEnd) {
                if (expect.failure().isPresent() && failed.isEmpty()) {
                    failures.add(TestOutcome.Failure.of(
                            test.steps(),
                            step,
                            "fails",
                            "the batch did not fail (expected a failure saying '"
                                    + expect.failure().get() + "')"));
                } else if (expect.failure().isPresent()
                        && !failed.get().contains(expect.failure().get())) {
                    failures.add(TestOutcome.Failure.of(
                            test.steps(),
                            step,
                            "fails",
                            "the batch failed, saying: " + failed.get() + "\n(expected it to say '"
                                    + expect.failure().get() + "')"));
                } else if (expect.failure().isEmpty() && failed.isPresent()) {
                    failures.add(TestOutcome.Failure.of(
                            test.steps(), step, "pipeline", "the batch failed: " + failed.get()));
                }
                if (failed.isPresent()) {
                    return;
                }
            }
            expect.rows()
                    .flatMap(expected -> RowsMatch.compare(expected, schema, rows))
                    .ifPresent(diff -> failures.add(TestOutcome.Failure.of(test.steps(), step, "rows", diff)));
            expect.sinks()
                    .forEach((sink, expected) -> sinkRows(sink, schema, rows)
                            .map(routed -> RowsMatch.compare(expected, routed.schema(), routed.collectAsList())
                                    .map(diff -> sink + ": " + diff))
                            .orElseGet(() -> Optional.of(noSink(sink)))
                            .ifPresent(why -> failures.add(TestOutcome.Failure.of(test.steps(), step, "sinks", why))));
            expect.deadLettered()
                    .flatMap(expected -> Rejections.compare("dead_letter", expected, rejected, rejectedCounts))
                    .ifPresent(why -> failures.add(TestOutcome.Failure.of(test.steps(), step, "deadLettered", why)));
            expect.skipped()
                    .flatMap(expected -> Rejections.compare("skip", expected, rejected, rejectedCounts))
                    .ifPresent(why -> failures.add(TestOutcome.Failure.of(test.steps(), step, "skipped", why)));
            if (expect.quarantined().isPresent() && !deadLetterKept()) {
                failures.add(TestOutcome.Failure.of(
                        test.steps(),
                        step,
                        "quarantined",
                        "the pipeline has no dead letter a test can read back (source '" + definition.sourceName()
                                + "' quarantines into its dead letter: set its badRecords to dead_letter, with"
                                + " deadLetter.path or deadLetter.topic)"));
            } else if (expect.quarantined().isPresent()
                    && unknownRule(expect.quarantined().get()).isPresent()) {
                failures.add(TestOutcome.Failure.of(
                        test.steps(),
                        step,
                        "quarantined",
                        unknownRule(expect.quarantined().get()).get()));
            } else {
                expect.quarantined()
                        .flatMap(expected -> QuarantineMatch.compare(expected, quarantined))
                        .ifPresent(why -> failures.add(TestOutcome.Failure.of(test.steps(), step, "quarantined", why)));
            }
            if (expect.watermark().isPresent()) {
                watermark(expect.watermark().get())
                        .ifPresent(why -> failures.add(TestOutcome.Failure.of(test.steps(), step, "watermark", why)));
            }
            for (Map.Entry<String, Long> counter : new TreeMap<>(expect.counters()).entrySet()) {
                Long actual = counts.get(counter.getKey());
                if (actual == null) {
                    failures.add(TestOutcome.Failure.of(
                            test.steps(),
                            step,
                            "counters",
                            "the pipeline has no counter '" + counter.getKey() + "'"
                                    + io.sluice.core.option.Suggestions.didYouMean(counter.getKey(), counts.keySet())
                                    + " (its counters: "
                                    + (counts.isEmpty() ? "none" : String.join(", ", counts.keySet())) + ")"));
                } else if (actual.longValue() != counter.getValue()) {
                    failures.add(TestOutcome.Failure.of(
                            test.steps(),
                            step,
                            "counters",
                            "'" + counter.getKey() + "' is " + actual + ", expected " + counter.getValue()));
                }
            }
        }

        /**
         * The rows sink {@code name} received: the pipeline's output with its {@code where} and
         * {@code columns} applied — what the run's writer of several sinks gives it; empty when the
         * pipeline has no such sink.
         */
        private Optional<Dataset<Row>> sinkRows(String name, StructType schema, List<Row> rows) {
            return definition.sinks().stream()
                    .filter(sink -> sink.name().equals(name) && definition.fansOut())
                    .findFirst()
                    .map(sink -> io.sluice.engine.plan.FanOut.Route.apply(sink, spark.createDataFrame(rows, schema)));
        }

        /** A sink the test names that the pipeline does not have, in words. */
        private String noSink(String name) {
            List<String> names = definition.fansOut()
                    ? definition.sinks().stream()
                            .map(io.sluice.engine.plan.SinkSpec::name)
                            .toList()
                    : List.of();
            return "the pipeline has no sink named '" + name + "'"
                    + io.sluice.core.option.Suggestions.didYouMean(name, names)
                    + (names.isEmpty()
                            ? " (it writes one sink: compare its rows with 'rows')"
                            : " (its sinks: " + String.join(", ", names) + ")");
        }

        /** A rule a quarantined row is expected to have broken that the pipeline does not have, in words. */
        private Optional<String> unknownRule(List<Expectation.Quarantined> expected) {
            List<String> rules = definition.expectations().stream()
                    .map(io.sluice.engine.plan.Expectation::name)
                    .toList();
            return expected.stream()
                    .flatMap(row -> row.rules().stream())
                    .filter(rule -> !rules.contains(rule))
                    .findFirst()
                    .map(rule -> "the pipeline has no rule '" + rule + "'"
                            + io.sluice.core.option.Suggestions.didYouMean(rule, rules) + " (its rules: "
                            + (rules.isEmpty() ? "none" : String.join(", ", rules)) + ")");
        }

        private Optional<String> watermark(String expected) {
            Instant want;
            try {
                want = Instant.parse(expected.trim());
            } catch (DateTimeParseException e) {
                return Optional.of("'" + expected + "' is not an instant: write it as 2026-11-25T10:00:00Z");
            }
            Optional<String> got = handle.lastProgress().map(p -> p.eventTime().get("watermark"));
            if (got.isEmpty()) {
                return Optional.of("the pipeline has no event-time watermark (declare one with WATERMARK ... DELAY OF"
                        + " in the SQL, or withWatermark); expected " + expected);
            }
            Instant actual = Instant.parse(got.get());
            return actual.equals(want) ? Optional.empty() : Optional.of("it is " + actual + ", expected " + want);
        }

        private void stop() {
            if (handle != null) {
                try {
                    handle.stop();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(PipelineTester.class).warn("the test's query did not stop", e);
                }
                handle = null;
            }
        }

        void close() {
            stop();
            if (feed != null) {
                feed.close();
            }
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    private static String problems(String what, List<Problem> problems) {
        StringBuilder text = new StringBuilder(what).append(':');
        problems.forEach(problem -> text.append("\n  ").append(problem));
        return text.toString();
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(PipelineTester.class).warn("could not delete {}", dir, e);
        }
    }
}
