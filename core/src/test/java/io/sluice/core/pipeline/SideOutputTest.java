package io.sluice.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.SideOutput;
import io.sluice.core.Sluice;
import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.core.registry.ConnectorRegistry;
import io.sluice.core.testing.JsonDirSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Side outputs: a second query the framework starts, checkpoints and stops with the main one — one fate for both. */
class SideOutputTest {
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        sluice = Sluice.using(Sluice.embedded().spark(), ConnectorRegistry.load(SideOutputTest.class.getClassLoader())
                .withSource(new SplitSource()));
    }

    /** JSON files whose negative ids go to a side output of JSON files at {@code negatives}. */
    static final class SplitSource implements StreamSource {
        static final OptionSpec<String> NEGATIVES = OptionSpec.stringOption("negatives").required()
                .description("Directory where negative ids go").build();

        @Override
        public String name() {
            return "split";
        }

        @Override
        public String description() {
            return "JSON files; negative ids go to a side output (test source)";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(JsonDirSource.PATH, JsonDirSource.SCHEMA, NEGATIVES);
        }

        @Override
        public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
            Dataset<Row> all = new JsonDirSource().read(context, options);
            String negatives = options.get(NEGATIVES);
            context.addSideOutput(new SideOutput("negatives", all.filter("id < 0"),
                    writer -> writer.format("json").option("path", negatives), "json files at " + negatives));
            return all.filter("id >= 0");
        }
    }

    private PipelineBuilder pipeline(Path in, Path negatives) {
        return sluice.pipeline("split").source("split", Map.of("path", in.toString(), "schema", "id INT",
                "negatives", negatives.toString())).sink("table");
    }

    @Test
    void theSideQueryRunsBesideTheMainOneWithItsOwnCheckpoint() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.json"), List.of("{\"id\":1}", "{\"id\":-2}", "{\"id\":3}"));
        Path negatives = dir.resolve("negatives");
        PipelineHandle handle = pipeline(in, negatives).checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow()).build().start();
        assertTrue(handle.awaitTermination(Duration.ofMinutes(2)));

        assertEquals("split-negatives", handle.sideQueries().get(0).name());
        assertTrue(Files.exists(dir.resolve("checkpoint/_side/negatives/commits/0")));
        assertEquals("[[1], [3]]", sluice.spark().sql("SELECT id FROM split ORDER BY id").collectAsList().toString());
        assertEquals("[[-2]]", sluice.spark().read().schema("id INT").json(negatives.toString()).collectAsList().toString());
    }

    @Test
    void aSideOutputNeedsACheckpoint() {
        assertEquals("[pipeline 'split': the negatives output (json files at /tmp/n) needs a checkpoint location to be kept"
                + " exactly once across restarts: set the pipeline's checkpointLocation]",
                pipeline(dir, Path.of("/tmp/n")).build().validate().toString());
    }

    @Test
    void aSideQueryThatFailsStopsTheMainOneAndIsTheFailureReported() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.json"), List.of("{\"id\":1}", "{\"id\":-1}"));
        Path negatives = dir.resolve("negatives");
        PipelineHandle handle = pipeline(in, negatives).checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200))).build().start();
        try {
            handle.processAllAvailable();
            // the side output's directory becomes unwritable: a file where it was
            try (Stream<Path> files = Files.walk(negatives)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            Files.writeString(negatives, "not a directory");
            Files.write(in.resolve("b.json"), List.of("{\"id\":-3}", "{\"id\":4}"));

            StreamingQueryException failure = assertThrows(StreamingQueryException.class,
                    () -> handle.awaitTermination(Duration.ofMinutes(2)));
            assertEquals("split-negatives", handle.failedQuery().orElseThrow().name());
            assertEquals(failure.getMessage(), handle.exception().orElseThrow().getMessage());
            assertFalse(handle.query().isActive(), "the main query stopped with its side output");
            assertTrue(handle.query().exception().isEmpty(), "the main query did not fail; it was stopped");
        } finally {
            handle.stop();
        }
    }
}
