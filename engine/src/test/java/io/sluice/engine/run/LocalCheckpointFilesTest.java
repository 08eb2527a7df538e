package io.sluice.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.BatchSinkTest;
import io.sluice.engine.pipeline.PipelineHandle;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's checkpoint files on a local disk keep Spark's contract: Spark makes one when the
 * session names it (this fails when Spark renames the setting or the class's shape changes), a
 * file appears whole on close or not at all, a second writer of the same file fails as with
 * Spark's own manager, and a checkpoint moves between the two managers without a batch lost or
 * done twice.
 */
class LocalCheckpointFilesTest {
    @TempDir
    java.nio.file.Path dir;

    private static Configuration named() {
        Configuration conf = new Configuration();
        conf.set(LocalCheckpointFiles.SETTING, LocalCheckpointFiles.class.getName());
        return conf;
    }

    private CheckpointFileManager files() {
        return CheckpointFileManager.create(new Path(dir.toUri()), named());
    }

    private static byte[] read(CheckpointFileManager files, Path path) throws Exception {
        try (FSDataInputStream in = files.open(path)) {
            return in.readAllBytes();
        }
    }

    private List<String> tempFiles() throws Exception {
        try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
            return all.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".tmp"))
                    .toList();
        }
    }

    @Test
    void sparkMakesOneWhenTheSessionNamesIt() {
        assertInstanceOf(LocalCheckpointFiles.class, files());
        assertTrue(files().isLocal());
        assertEquals(
                LocalCheckpointFiles.class.getName(),
                Sluice.embeddedSettings().get(LocalCheckpointFiles.SETTING),
                "the embedded default writes local checkpoints with it");
    }

    /**
     * A kill between creating a temporary file and publishing it leaves the temporary: the next
     * manager for that directory removes it once it is older than a write can take, and leaves a
     * live writer's (young) temporary and every other file alone.
     */
    @Test
    void temporariesAKilledWriterLeftAreRemovedAtTheNextStart() throws Exception {
        java.nio.file.Path offsets = Files.createDirectories(dir.resolve("offsets"));
        String uuid = "0f5b8a40-3f9e-4f55-9a39-5d2f0d2f3c11";
        java.nio.file.Path abandoned = Files.writeString(offsets.resolve(".7." + uuid + ".tmp"), "half of a fi");
        java.nio.file.Path live = Files.writeString(offsets.resolve(".8." + uuid + ".tmp"), "being written");
        java.nio.file.Path notOurs = Files.writeString(offsets.resolve(".7.crc.tmp"), "someone else's");
        java.nio.file.Path batch = Files.writeString(offsets.resolve("6"), "v1");
        Files.setLastModifiedTime(
                abandoned,
                java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - LocalCheckpointFiles.ABANDONED.toMillis() - 1_000));

        CheckpointFileManager.create(new Path(offsets.toUri()), named());

        assertFalse(Files.exists(abandoned), "the killed writer's temporary is gone");
        assertTrue(Files.exists(live), "a temporary younger than a write can take is kept");
        assertTrue(Files.exists(notOurs), "a file of another name is kept");
        assertEquals("v1", Files.readString(batch));
    }

    /** Sluice's own record in a checkpoint is written as a checkpoint file: replaced whole, no temporary left. */
    @Test
    void writeAtomicallyReplacesAFileWholeOnEveryFileSystemSparkWouldUse() throws Exception {
        Path guard = new Path(dir.resolve("_sluice/pipeline.json").toUri());
        LocalCheckpointFiles.writeAtomically(named(), guard, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
        LocalCheckpointFiles.writeAtomically(new Configuration(), guard, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"v\":2}", Files.readString(dir.resolve("_sluice/pipeline.json")));
        assertEquals(List.of(), tempFiles());
    }

    /**
     * What syncing costs: each file's bytes and its directory reach the disk before the file counts
     * (printed, not asserted: a figure for docs/operations.md, measured on the machine that runs it).
     */
    @Test
    void printsWhatADurableCheckpointFileCosts() throws Exception {
        CheckpointFileManager files = files();
        int count = 40;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var out = files.createAtomic(new Path(dir.resolve("commits/" + i).toUri()), false);
            out.write("v1\n{\"nextBatchWatermarkMs\":0}".getBytes(StandardCharsets.UTF_8));
            out.close();
        }
        double perFile = (System.nanoTime() - started) / 1e6 / count;
        System.out.printf(
                java.util.Locale.ROOT, "durable local checkpoint file: %.2f ms a file (%d files)%n", perFile, count);
        assertEquals(count, Files.list(dir.resolve("commits")).count());
    }

    @Test
    void aFileAppearsWholeOnCloseOrNotAtAll() throws Exception {
        CheckpointFileManager files = files();
        Path offsets = new Path(dir.resolve("offsets/0").toUri());
        var out = files.createAtomic(offsets, false);
        out.write("v1\n{}".getBytes(StandardCharsets.UTF_8));
        assertFalse(files.exists(offsets), "not before close");
        out.close();
        assertArrayEquals("v1\n{}".getBytes(StandardCharsets.UTF_8), read(files, offsets));

        Path cancelled = new Path(dir.resolve("offsets/1").toUri());
        var abandoned = files.createAtomic(cancelled, false);
        abandoned.write(1);
        abandoned.cancel();
        abandoned.close();
        assertFalse(files.exists(cancelled));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aSecondWriterOfTheSameFileFailsAndTheFirstOneStays() throws Exception {
        CheckpointFileManager files = files();
        Path commit = new Path(dir.resolve("commits/3").toUri());
        try (var first = files.createAtomic(commit, false)) {
            first.write('a');
        }
        var second = files.createAtomic(commit, false);
        second.write('b');
        assertThrows(FileAlreadyExistsException.class, second::close);
        assertArrayEquals(new byte[] {'a'}, read(files, commit));
        assertEquals(List.of(), tempFiles());

        try (var replacing = files.createAtomic(commit, true)) {
            replacing.write('c');
        }
        assertArrayEquals(new byte[] {'c'}, read(files, commit), "overwriteIfPossible replaces it");
    }

    @Test
    void listsDeletesAndMakesDirectoriesAsSparkDoes() throws Exception {
        CheckpointFileManager files = files();
        Path log = new Path(dir.resolve("log").toUri());
        files.mkdirs(log);
        for (String name : List.of("0", "1", "2.compact", ".0.crc")) {
            try (var out = files.createAtomic(new Path(log, name), false)) {
                out.write(0);
            }
        }
        FileStatus[] listed = files.list(log, path -> !path.getName().startsWith("."));
        assertEquals(
                List.of("0", "1", "2.compact"),
                Arrays.stream(listed).map(s -> s.getPath().getName()).sorted().toList());
        files.delete(new Path(log, "1"));
        files.delete(new Path(log, "missing"));
        assertFalse(files.exists(new Path(log, "1")));
        assertThrows(FileNotFoundException.class, () -> files.open(new Path(log, "1")));
        Path created = files.createCheckpointDirectory();
        assertEquals("file", created.toUri().getScheme());
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void otherFileSystemsGoToTheManagerSparkWouldChoose() {
        Configuration conf = new Configuration();
        assertTrue(LocalCheckpointFiles.isLocal(new Path("/tmp/x"), conf));
        assertTrue(LocalCheckpointFiles.isLocal(new Path("file:/tmp/x"), conf));
        assertFalse(LocalCheckpointFiles.isLocal(new Path("hdfs://namenode:8020/x"), conf));
        assertFalse(LocalCheckpointFiles.isLocal(new Path("s3a://bucket/x"), conf));
        conf.set("fs.defaultFS", "hdfs://namenode:8020");
        assertFalse(LocalCheckpointFiles.isLocal(new Path("/x"), conf), "no scheme: the default file system's");
    }

    @Test
    void aCheckpointMovesBetweenSparksManagerAndThisOneWithoutALostOrRepeatedBatch() throws Exception {
        Sluice embedded = Sluice.embedded();
        SparkSession sparksDefault = embedded.spark().newSession();
        sparksDefault.conf().unset(LocalCheckpointFiles.SETTING);
        ConnectorRegistry connectors =
                ConnectorRegistry.load(getClass().getClassLoader()).withSink(new BatchSinkTest.RecordingSink());
        java.nio.file.Path in = Files.createDirectories(dir.resolve("in"));
        BatchSinkTest.WRITTEN.clear();
        Files.write(in.resolve("a.json"), List.of("{\"id\":1}", "{\"id\":2}"));
        run(Sluice.using(embedded.spark(), connectors), in);
        Files.write(in.resolve("b.json"), List.of("{\"id\":3}"));
        run(Sluice.using(sparksDefault, connectors), in);
        Files.write(in.resolve("c.json"), List.of("{\"id\":4}"));
        run(Sluice.using(embedded.spark(), connectors), in);

        assertEquals(
                List.of("0: 1 2", "1: 3", "2: 4"),
                BatchSinkTest.WRITTEN.stream()
                        .map(line -> line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1))
                        .sorted()
                        .toList());
        for (String log : List.of("offsets", "commits")) {
            for (String batch : List.of("0", "1", "2")) {
                assertTrue(
                        Files.isRegularFile(
                                dir.resolve("checkpoint").resolve(log).resolve(batch)),
                        log + "/" + batch);
            }
        }
        assertEquals(List.of(), tempFiles());
        java.nio.file.Path offsets = dir.resolve("checkpoint/offsets");
        assertTrue(Files.exists(offsets.resolve(".1.crc")), "batch 1 was written by Spark's manager (its checksum)");
        assertFalse(Files.exists(offsets.resolve(".0.crc")), "batches 0 and 2 by this one");
        assertFalse(Files.exists(offsets.resolve(".2.crc")));
    }

    private void run(Sluice sluice, java.nio.file.Path in) throws Exception {
        PipelineHandle handle = sluice.pipeline("moved")
                .source("json-dir", Map.of("path", in.toString(), "schema", "id INT", "maxFilesPerTrigger", "1"))
                .sql("SELECT id FROM input")
                .sink("recording")
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        assertTrue(handle.awaitTermination(Duration.ofMinutes(2)));
    }
}
