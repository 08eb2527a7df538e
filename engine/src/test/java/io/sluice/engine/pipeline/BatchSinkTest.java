package io.sluice.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.Sluice;
import io.sluice.engine.run.FailureCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework's side of a {@link BatchSink}: foreachBatch wiring, the query's identity, rows per partition. */
public class BatchSinkTest {
    /** What the partitions wrote, as "queryId batch partition: rows"; a static queue, as tasks run in this JVM. */
    public static final Queue<String> WRITTEN = new ConcurrentLinkedQueue<>();

    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        Sluice embedded = Sluice.embedded();
        sluice = Sluice.using(
                embedded.spark(),
                ConnectorRegistry.load(BatchSinkTest.class.getClassLoader())
                        .withSink(new RecordingSink())
                        .withSink(new FailingSink()));
    }

    /** A plugin whose writer throws in the executors, with a secret option that must not show. */
    static final class FailingSink implements BatchSink {
        static final OptionSpec<String> PASSWORD = OptionSpec.stringOption("password")
                .secret()
                .description("A secret")
                .build();

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public String description() {
            return "Fails every batch, saying its password (test sink)";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(PASSWORD);
        }

        @Override
        public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
            String password = options.get(PASSWORD);
            return BatchWriter.perPartition((batch, partition, rows) -> {
                throw new IllegalStateException("the service refused login with " + password + "\nat line two");
            });
        }
    }

    /** Records each partition's rows; the smallest batch sink there is. */
    public static final class RecordingSink implements BatchSink {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "Records what each partition of each batch received (test sink)";
        }

        @Override
        public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
            return BatchWriter.perPartition((batch, partition, rows) -> {
                StringBuilder text =
                        new StringBuilder(batch.queryId() + " " + batch.queryName() + " " + batch.id() + ":");
                rows.forEachRemaining(row -> text.append(' ').append(row.getInt(0)));
                WRITTEN.add(text.toString());
            });
        }
    }

    private PipelineHandle run(Path in, String checkpoint) throws Exception {
        PipelineHandle handle = sluice.pipeline("recorded")
                .source("json-dir", Map.of("path", in.toString(), "schema", "id INT", "maxFilesPerTrigger", "1"))
                .sql("SELECT id FROM input")
                .sink("recording")
                .checkpointLocation(dir.resolve(checkpoint).toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        assertTrue(handle.awaitTermination(Duration.ofMinutes(2)));
        return handle;
    }

    /**
     * A plugin's writer that throws: the Java caller gets one line naming the pipeline, the batch
     * and the sink, secrets masked, with Spark's exception (and the plugin's) as its causes.
     */
    @Test
    void aFailingWriterIsOneLineNamingPipelineBatchAndSink() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.json"), List.of("{\"id\":1}"));
        PipelineHandle handle = sluice.pipeline("refused_writes")
                .source("json-dir", Map.of("path", in.toString(), "schema", "id INT"))
                .sink("failing", Map.of("password", "hunter2"))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        PipelineFailedException failed = org.junit.jupiter.api.Assertions.assertThrows(
                PipelineFailedException.class, () -> handle.awaitTermination(Duration.ofMinutes(2)));
        assertEquals(
                "pipeline 'refused_writes' failed: query 'refused_writes', batch 0: sink 'failing' failed:"
                        + " IllegalStateException: the service refused login with *****",
                failed.getMessage());
        assertEquals(failed.getMessage(), handle.failure().orElseThrow().getMessage());
        assertTrue(
                failed.getCause() instanceof org.apache.spark.sql.streaming.StreamingQueryException,
                "Spark's exception is the cause");
        assertTrue(
                FailureCause.chain(failed).stream().anyMatch(io.sluice.core.BatchWriteException.class::isInstance),
                "the writer's exception is in the chain");
        assertEquals(PipelineFailedException.class.getName() + ": " + failed.getMessage(), failed.toString());
    }

    @Test
    void eachBatchReachesTheWriterWithTheQueryIdAndItsRows() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.json"), List.of("{\"id\":1}", "{\"id\":2}"));
        Files.write(in.resolve("b.json"), List.of("{\"id\":3}"));
        WRITTEN.clear();
        PipelineHandle first = run(in, "first");
        String id = first.id().toString();
        assertEquals(
                List.of(id + " recorded 0: 1 2", id + " recorded 1: 3"),
                WRITTEN.stream().sorted().toList());
        assertTrue(
                first.recentProgress().stream().allMatch(p -> p.numInputRows() > 0),
                "Spark counts the rows the writer read");

        WRITTEN.clear();
        PipelineHandle second = run(in, "second");
        assertNotEquals(first.id(), second.id(), "a new checkpoint is a new query");
        assertEquals(
                List.of(second.id() + " recorded 0: 1 2", second.id() + " recorded 1: 3"),
                WRITTEN.stream().sorted().toList());
    }
}
