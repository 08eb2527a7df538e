package io.sluice.testkit.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.core.SampleRecord;
import io.sluice.core.SourceContext;
import io.sluice.core.SourceFixture;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.Sluice;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.testkit.CollectingSink;
import io.sluice.testkit.SharedSluice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The tester as a plugin author meets it: a source of their own becomes testable without its
 * system by giving a fixture, and a test then runs batch by batch through the real engine —
 * checkpoint, restart, output modes — with failures in words.
 */
class PipelineTesterTest {
    /** A plugin's source: words, read from its system as {@code line} bytes, decoded to text. */
    static final class WordsSource implements StreamSource {
        @Override
        public String name() {
            return "words";
        }

        @Override
        public String description() {
            return "Words (a test's source)";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of();
        }

        @Override
        public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
            return context.stream("words-system", Map.of()).selectExpr("CAST(line AS STRING) AS word");
        }

        @Override
        public Optional<SourceFixture> fixture(SourceContext context, ConnectorOptions options) {
            return Optional.of(new SourceFixture() {
                @Override
                public StructType schema() {
                    return new StructType().add("line", DataTypes.BinaryType);
                }

                @Override
                public List<Row> rows(List<SampleRecord> records) {
                    return records.stream()
                            .map(r -> RowFactory.create((Object) r.value()))
                            .toList();
                }

                @Override
                public Dataset<Row> rejected(Dataset<Row> raw) {
                    return raw.selectExpr("'?' AS record", "'never' AS reason").limit(0);
                }
            });
        }
    }

    private static final Sluice SLUICE = Sluice.using(
            SharedSluice.get().spark(),
            ConnectorRegistry.of(List.of(new WordsSource()), List.of(new CollectingSink())));

    private static PipelineDefinition counting(OutputMode mode) {
        return SLUICE.pipeline("word_counts")
                .source("words")
                .sql("SELECT word, count(*) AS n FROM input GROUP BY word")
                .sink("collect")
                .outputMode(mode)
                .build()
                .definition();
    }

    private static PipelineTest.Batch batch(Expectation expect, String... words) {
        return new PipelineTest.Batch(
                java.util.Arrays.stream(words).map(SampleRecord::of).toList(), expect);
    }

    private static Expectation rows(Map<String, Object>... rows) {
        return Expectation.none().withRows(Expectation.ExpectedRows.unordered(List.of(rows)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void updateModeEmitsTheChangedCountsOfEachBatchAndARestartKeepsTheState() {
        PipelineTest test = new PipelineTest(
                "counts words",
                List.of(
                        batch(rows(Map.of("word", "a", "n", "2"), Map.of("word", "b", "n", "1")), "a", "b", "a"),
                        new PipelineTest.Restart(),
                        batch(rows(Map.of("word", "a", "n", "3")), "a")),
                rows(Map.of("word", "a", "n", "2"), Map.of("word", "b", "n", "1"), Map.of("word", "a", "n", "3")),
                false);

        TestOutcome outcome = new PipelineTester(SLUICE).run(counting(OutputMode.UPDATE), test);

        outcome.assertPassed();
        assertEquals(2, outcome.received().size());
        assertEquals(0, outcome.received().get(0).step());
        assertEquals(2, outcome.received().get(1).step());
    }

    @Test
    @SuppressWarnings("unchecked")
    void completeModeEmitsTheWholeResultAndAMissedExpectationSaysSoInWords() {
        PipelineTest test = new PipelineTest(
                "counts words, wrongly",
                List.of(
                        batch(rows(Map.of("word", "a", "n", "1")), "a"),
                        batch(rows(Map.of("word", "b", "n", "1")), "b")),
                Expectation.none(),
                false);

        TestOutcome outcome = new PipelineTester(SLUICE).run(counting(OutputMode.COMPLETE), test);

        AssertionError error = assertThrows(AssertionError.class, outcome::assertPassed);
        assertEquals("""
                test 'counts words, wrongly' failed:
                  batch 2: rows: 1 row was received and not expected (+); 1 expected, 2 received
                    +-+----+-+
                    | |word|n|
                    +-+----+-+
                    | |b   |1|
                    |+|a   |1|
                    +-+----+-+""", error.getMessage());
    }

    @Test
    void aPipelineThatCannotRunSaysWhyAndASourceWithoutAFixtureCannotBeTestedThisWay() {
        PipelineDefinition appendAggregate = counting(OutputMode.APPEND);
        TestOutcome refused = new PipelineTester(SLUICE)
                .run(appendAggregate, new PipelineTest("t", List.of(), Expectation.none(), false));
        assertEquals(1, refused.failures().size());
        assertTrue(
                refused.failures().get(0).message().startsWith("the pipeline has problems:\n  pipeline 'word_counts':"),
                refused.failures().get(0).message());

        Sluice rateOnly = Sluice.using(
                SharedSluice.get().spark(),
                ConnectorRegistry.of(List.of(new io.sluice.testkit.RateSource()), List.of(new CollectingSink())));
        PipelineDefinition rate =
                rateOnly.pipeline("rate").source("rate").sink("collect").build().definition();
        TestOutcome noFixture =
                new PipelineTester(rateOnly).run(rate, new PipelineTest("t", List.of(), Expectation.none(), false));
        assertEquals(
                "source 'rate' cannot be tested without its system: it gives no fixture for records given by hand",
                noFixture.failures().get(0).message());
    }

    @Test
    void bytesGivenByHandReachTheSourceAsTheyAre() {
        byte[] invalid = {(byte) 0xff, 'x'};
        PipelineTest test = new PipelineTest(
                "bytes",
                List.of(new PipelineTest.Batch(
                        List.of(new SampleRecord(
                                Optional.empty(), invalid, List.of(), java.util.OptionalInt.empty(), Optional.empty())),
                        rows(Map.of("word", new String(invalid, StandardCharsets.UTF_8), "n", "1")))),
                Expectation.none(),
                false);

        new PipelineTester(SLUICE).run(counting(OutputMode.UPDATE), test).assertPassed();
    }
}
