package io.sluice.sink.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.Connector;
import io.sluice.core.OutputMode;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a user can get wrong with a file sink, caught before a query starts (no broker needed: the plan is only analysed). */
class FileSinkValidationTest {
    private final Sluice sluice = SharedSluice.get();

    private PipelineBuilder kafka(String sql) {
        return sluice.pipeline("files")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                "127.0.0.1:9",
                                "subscribe",
                                "t",
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, name STRING, tags ARRAY<STRING>"))
                .sql(sql);
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void everyFormatIsDiscoveredAndFollowsTheConventions() {
        List<String> names = sluice.connectors().sinks().stream()
                .map(Connector::name)
                .filter(n -> List.of("csv", "json", "orc", "parquet", "text").contains(n))
                .toList();
        assertEquals(List.of("csv", "json", "orc", "parquet", "text"), names);
        sluice.connectors().sinks().forEach(sink -> assertEquals(List.of(), ConnectorConventions.violations(sink)));
    }

    @Test
    void theReadmeDocumentsEveryFormatsOptions() {
        for (FileSink sink : List.of(new ParquetSink(), new JsonSink(), new CsvSink(), new OrcSink(), new TextSink())) {
            assertEquals("", ReadmeTables.checkDocs(sink));
        }
    }

    @Test
    void onlyAppendAndAlwaysACheckpoint() {
        assertEquals(
                List.of(
                        "sink 'parquet': missing required option 'path'",
                        "sink 'parquet': output mode UPDATE is not supported (supported: APPEND): files are only ever added; write an"
                                + " aggregation in APPEND with a watermark, or use the memory or console sink",
                        "sink 'parquet': missing required option 'checkpointLocation' (set it on the sink or on the pipeline): it is where the pipeline keeps how far it got, so that a restart goes on from there instead of writing its input again"),
                texts(kafka("SELECT id FROM input")
                        .sink("parquet")
                        .outputMode(OutputMode.UPDATE)
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void partitionColumnsMustExist() {
        assertEquals(
                List.of("sink 'parquet': option 'partitionBy' names column 'region', which the query does not have"
                        + " (columns: id, name, tags, key, topic, partition, offset, timestamp, timestampType)"),
                texts(kafka("SELECT * FROM input")
                        .sink("parquet", Map.of("path", "/tmp/p", "partitionBy", "topic,region"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of(
                        "sink 'json': option 'partitionBy' uses every column, which leaves no data to write in the files"),
                texts(kafka("SELECT id FROM input")
                        .sink("json", Map.of("path", "/tmp/p", "partitionBy", "id"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void compressionAndFormatOptionsAreCheckedPerFormat() {
        assertEquals(
                List.of(
                        "sink 'csv': option 'compression' = 'zlib' is not one of: bzip2, deflate, gzip, lz4, none, snappy, zstd",
                        "sink 'csv': unknown option 'headr' — did you mean 'header'? (options: checkpointLocation, compression, dateFormat,"
                                + " encoding, escape, header, lineSep, maxRecordsPerFile, nullValue, partitionBy, path, queryName, quote,"
                                + " quoteAll, retention, sep, timestampFormat)"),
                texts(kafka("SELECT id, name FROM input")
                        .sink("csv", Map.of("path", "/tmp/p", "headr", "true", "compression", "zlib"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of(
                        "sink 'parquet': option 'compression' = 'snapy' is not one of: brotli, gzip, lz4, lz4_raw, lzo, none,"
                                + " snappy, uncompressed, zstd — did you mean 'snappy'?"),
                texts(kafka("SELECT id FROM input")
                        .sink("parquet", Map.of("path", "/tmp/p", "compression", "snapy"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void formatsThatCannotHoldTheQuerysColumnsSayHowToFixIt() {
        assertEquals(
                List.of(
                        "sink 'csv': csv cannot write column 'tags' of type array<string>: flatten it, turn it into a string"
                                + " (to_json), or use the json or parquet sink"),
                texts(kafka("SELECT id, tags FROM input")
                        .sink("csv", Map.of("path", "/tmp/p"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of("sink 'text': the text format writes exactly one string column, but the query has 2 columns"
                        + " (id bigint, name string): select one, e.g. to_json(struct(*)) AS value"),
                texts(kafka("SELECT id, name FROM input")
                        .sink("text", Map.of("path", "/tmp/p"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of(),
                texts(kafka("SELECT to_json(struct(*)) AS value FROM input")
                        .sink("text", Map.of("path", "/tmp/p"))
                        .checkpointLocation("/tmp/cp")
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void pathsAreCheckedOfflineAndADeadLetterInsideTheSinksDirectoryIsRefused(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a directory");
        assertEquals(
                List.of("sink 'parquet': option 'path' = '" + file + "' is a regular file, not a directory: name a"
                        + " directory (it is created if missing)"),
                texts(kafka("SELECT id FROM input")
                        .sink(
                                "parquet",
                                Map.of(
                                        "path",
                                        file.toString(),
                                        "checkpointLocation",
                                        dir.resolve("cp").toString()))
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of(
                        "sink 'parquet': option 'path' = 'hdfss://cluster/out' has the scheme 'hdfss', for which no file"
                                + " system is on the class path: check the spelling (file, hdfs, s3a, abfss, gs), or add the jar"
                                + " that brings it (hadoop-aws for s3a)"),
                texts(kafka("SELECT id FROM input")
                        .sink(
                                "parquet",
                                Map.of(
                                        "path",
                                        "hdfss://cluster/out",
                                        "checkpointLocation",
                                        dir.resolve("cp").toString()))
                        .build()
                        .validate()
                        .problems()));
        java.nio.file.Path out = dir.resolve("out");
        assertEquals(
                List.of("sink 'parquet': it writes directory '" + out
                        + "' (option 'path'), where source 'kafka' writes too (directory '"
                        + out.resolve("bad")
                        + "', option 'deadLetter.path'): the two outputs would mix, and readers of each would find the"
                        + " other's files; give them places apart"),
                texts(sluice.pipeline("mixed")
                        .source(
                                "kafka",
                                Map.of(
                                        "kafka.bootstrap.servers",
                                        "127.0.0.1:9",
                                        "subscribe",
                                        "t",
                                        "badRecords",
                                        "dead_letter",
                                        "deadLetter.path",
                                        out.resolve("bad").toString()))
                        .sink("parquet", Map.of("path", out.toString()))
                        .checkpointLocation(dir.resolve("cp").toString())
                        .build()
                        .validate()
                        .problems()));
    }
}
