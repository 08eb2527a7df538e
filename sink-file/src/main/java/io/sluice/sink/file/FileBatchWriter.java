package io.sluice.sink.file;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Batch;
import io.sluice.core.BatchWriter;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.DataSource;
import org.apache.spark.sql.execution.streaming.Sink;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's own file sink, given one batch at a time: what a file sink writes when it is one of
 * several sinks of a pipeline. The same sink a {@code writeStream().format("parquet")} query
 * starts ({@code DataSource.createSink}), so the directory is the same — its files listed by
 * batch in {@code _spark_metadata}, a batch the log already has skipped, readers through Spark
 * seeing a batch whole or not at all — and a pipeline can go from one sink to several on the
 * same directory and checkpoint.
 *
 * <p>Spark reads the log from its first batch (or its last compaction) on, so a directory's log
 * must start at its batch 0 — but a sink added to a running pipeline first writes one of the
 * query's later batches. The log is then numbered from the first batch the directory got: that
 * query batch is kept in {@code <path>/_sluice_first_batch} (hidden from readers, as every
 * name starting with '_'), so a batch given again maps to the same log entry and is skipped. A
 * directory whose log exists without it started with the query (batch 0).
 *
 * <p>The one place this module reaches into Spark's internals ({@code DataSource}, {@code
 * Sink}); {@code FileBatchWriterTest} fails when Spark changes them.
 */
final class FileBatchWriter implements BatchWriter {
    private static final long serialVersionUID = 1L;

    private final String format;
    private final Map<String, String> options;
    private final List<String> partitionBy;
    private transient Sink sink;
    /** The query's batch the directory's log starts at; read or written at the first batch. */
    private transient Long first;

    /** Where the first query batch the directory got is kept. */
    static final String FIRST_BATCH = "_sluice_first_batch";

    FileBatchWriter(String format, Map<String, String> options, List<String> partitionBy) {
        this.format = requireNonNull(format, "format is null");
        this.options = Map.copyOf(requireNonNull(options, "options is null"));
        this.partitionBy = List.copyOf(requireNonNull(partitionBy, "partitionBy is null"));
    }

    @Override
    public void write(Batch batch, Dataset<Row> rows) throws java.io.IOException {
        Sink files = sink(rows.sparkSession());
        long from = first(rows.sparkSession().sparkContext().hadoopConfiguration(), batch.id());
        if (batch.id() < from) {
            return; // before this directory's first batch: a rewind to before the sink was added
        }
        files.addBatch(batch.id() - from, rows);
    }

    private synchronized long first(org.apache.hadoop.conf.Configuration hadoop, long batchId)
            throws java.io.IOException {
        if (first == null) {
            org.apache.hadoop.fs.Path directory = new org.apache.hadoop.fs.Path(options.get("path"));
            org.apache.hadoop.fs.Path marker = new org.apache.hadoop.fs.Path(directory, FIRST_BATCH);
            org.apache.hadoop.fs.FileSystem fs = marker.getFileSystem(hadoop);
            if (fs.exists(marker)) {
                try (var in = fs.open(marker)) {
                    first = Long.parseLong(
                            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
                }
            } else if (io.sluice.core.BatchLogs.latest(
                            hadoop, new org.apache.hadoop.fs.Path(directory, "_spark_metadata"))
                    .isPresent()) {
                first = 0L;
            } else {
                // a crash before the log's first entry writes it again with the same batch, given again
                try (var out = fs.create(marker, true)) {
                    out.write(Long.toString(batchId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                first = batchId;
            }
        }
        return first;
    }

    /** Made on the driver at the first batch and kept: it holds the directory's log. */
    private synchronized Sink sink(SparkSession spark) {
        if (sink == null) {
            @SuppressWarnings("unchecked")
            scala.collection.immutable.Seq<String> partitions = (scala.collection.immutable.Seq<String>)
                    scala.collection.immutable.Seq$.MODULE$.from(CollectionConverters.asScala(partitionBy));
            @SuppressWarnings("unchecked")
            scala.collection.immutable.Map<String, String> scalaOptions =
                    (scala.collection.immutable.Map<String, String>)
                            scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(options));
            @SuppressWarnings("unchecked")
            scala.collection.immutable.Seq<String> noPaths =
                    (scala.collection.immutable.Seq<String>) scala.collection.immutable.Seq$.MODULE$.empty();
            sink = DataSource.apply(
                            spark,
                            format,
                            noPaths,
                            Option.empty(),
                            partitions,
                            Option.empty(),
                            scalaOptions,
                            Option.empty(),
                            Option.empty())
                    .createSink(org.apache.spark.sql.streaming.OutputMode.Append());
        }
        return sink;
    }
}
