package io.sluice.sink.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.Batch;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's own file sink given batches one at a time — the adapter over Spark's internals ({@code
 * DataSource.createSink}, {@code Sink.addBatch}) that a file sink of several uses: fails when
 * Spark changes them. A batch its log has is skipped; readers see each batch's rows once,
 * partitioned as asked.
 */
class FileBatchWriterTest {
    private final SparkSession spark = SharedSluice.get().spark();

    @TempDir
    Path dir;

    private Dataset<Row> rows(int from, int count) {
        return spark.range(from, from + count).selectExpr("id", "CAST(id % 2 AS INT) AS part");
    }

    @Test
    void eachBatchIsWrittenOnceThroughTheMetadataLog() throws Exception {
        Path out = dir.resolve("out");
        FileBatchWriter writer = new FileBatchWriter(
                "parquet", Map.of("path", out.toString(), "retention", "3600000ms"), List.of("part"));
        writer.write(new Batch("query-1", "files", 0), rows(0, 3));
        writer.write(new Batch("query-1", "files", 0), rows(100, 3)); // given again: skipped, by the log
        writer.write(new Batch("query-1", "files", 1), rows(3, 2));

        assertTrue(Files.exists(out.resolve("_spark_metadata").resolve("0")));
        assertTrue(Files.exists(out.resolve("_spark_metadata").resolve("1")));
        assertTrue(Files.isDirectory(out.resolve("part=1")));
        Dataset<Row> read = spark.read().parquet(out.toString());
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L),
                read.orderBy("id")
                        .select("id")
                        .as(org.apache.spark.sql.Encoders.LONG())
                        .collectAsList());

        // a new writer on the same directory (a restart) reads the log and skips what it lists
        new FileBatchWriter("parquet", Map.of("path", out.toString()), List.of("part"))
                .write(new Batch("query-1", "files", 1), rows(200, 2));
        assertEquals(5, spark.read().parquet(out.toString()).count());
    }

    @Test
    void aDirectoryThatJoinsARunningQueryIsNumberedFromItsFirstBatchAndReadable() throws Exception {
        Path out = dir.resolve("joined");
        new FileBatchWriter("json", Map.of("path", out.toString()), List.of())
                .write(new Batch("query-1", "late", 7), rows(0, 2));
        FileBatchWriter restarted = new FileBatchWriter("json", Map.of("path", out.toString()), List.of());
        restarted.write(new Batch("query-1", "late", 7), rows(50, 2)); // given again after a restart: skipped
        restarted.write(new Batch("query-1", "late", 8), rows(2, 1));

        assertEquals("7", Files.readString(out.resolve(FileBatchWriter.FIRST_BATCH)));
        assertTrue(Files.exists(out.resolve("_spark_metadata").resolve("0")));
        assertTrue(Files.exists(out.resolve("_spark_metadata").resolve("1")));
        assertEquals(
                List.of(0L, 1L, 2L),
                spark.read()
                        .schema("id BIGINT")
                        .json(out.toString())
                        .orderBy("id")
                        .as(org.apache.spark.sql.Encoders.LONG())
                        .collectAsList());
    }
}
