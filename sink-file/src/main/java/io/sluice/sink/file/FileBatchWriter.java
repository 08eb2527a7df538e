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
 * <p>The one place this module reaches into Spark's internals ({@code DataSource}, {@code
 * Sink}); {@code FileBatchWriterTest} fails when Spark changes them.
 */
final class FileBatchWriter implements BatchWriter {
    private static final long serialVersionUID = 1L;

    private final String format;
    private final Map<String, String> options;
    private final List<String> partitionBy;
    private transient Sink sink;

    FileBatchWriter(String format, Map<String, String> options, List<String> partitionBy) {
        this.format = requireNonNull(format, "format is null");
        this.options = Map.copyOf(requireNonNull(options, "options is null"));
        this.partitionBy = List.copyOf(requireNonNull(partitionBy, "partitionBy is null"));
    }

    @Override
    public void write(Batch batch, Dataset<Row> rows) {
        sink(rows.sparkSession()).addBatch(batch.id(), rows);
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
