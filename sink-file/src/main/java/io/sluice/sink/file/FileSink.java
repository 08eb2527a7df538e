package io.sluice.sink.file;

import static java.util.Objects.requireNonNull;

import io.sluice.core.BatchLogs;
import io.sluice.core.Messages;
import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.core.PathCheck;
import io.sluice.core.Place;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's file sink for one format. Exactly-once through a checkpoint and Spark's metadata
 * log ({@code <path>/_spark_metadata}): a batch's files count only once the log lists them,
 * so a batch replayed after a crash never shows twice to a reader that goes through Spark.
 *
 * <p>One implementation for every format; each registered connector is a one-line subclass
 * because ServiceLoader needs a class per provider.
 */
public abstract class FileSink implements StreamSink {
    static final OptionSpec<String> PATH = OptionSpec.stringOption("path")
            .required()
            .description("Directory the files go to; Spark's metadata log is kept in its _spark_metadata")
            .build();
    static final OptionSpec<List<String>> PARTITION_BY = OptionSpec.listOption("partitionBy")
            .description("Columns whose values become sub-directories (col=value/), checked to exist")
            .build();
    static final OptionSpec<Long> MAX_RECORDS_PER_FILE = OptionSpec.longOption("maxRecordsPerFile")
            .check(OptionCheck.notNegative())
            .description("Upper bound of rows per file (0 = no limit)")
            .build();

    static final OptionSpec<java.time.Duration> RETENTION = OptionSpec.durationOption("retention")
            .description("How long the metadata log lists a batch's files: when the log is compacted (every 10"
                    + " batches), files older than this leave it, so readers through the log stop seeing them and the"
                    + " log stays small; the files stay on disk, to archive or delete (default: forever)")
            .build();

    private final FileFormat format;
    private final OptionSpec<String> compression;
    private final List<OptionSpec<?>> options;

    FileSink(FileFormat format) {
        this.format = requireNonNull(format, "format is null");
        this.compression = OptionSpec.oneOfOption("compression", format.codecs().toArray(String[]::new))
                .description("Compression codec (Spark's default for " + format.connectorName() + " when unset)")
                .build();
        List<OptionSpec<?>> all =
                new ArrayList<>(List.of(PATH, PARTITION_BY, compression, MAX_RECORDS_PER_FILE, RETENTION));
        all.addAll(format.ownOptions());
        this.options = List.copyOf(all);
    }

    /** Another directory under the same checkpoint would lack everything written before. */
    @Override
    public List<OptionSpec<?>> identityOptions() {
        return List.of(PATH);
    }

    /** Files of one directory are read together: a column that changes type breaks every reader. */
    @Override
    public boolean schemaIsPermanent() {
        return true;
    }

    @Override
    public final String name() {
        return format.connectorName();
    }

    @Override
    public final String description() {
        return format.description();
    }

    @Override
    public final List<OptionSpec<?>> options() {
        return options;
    }

    @Override
    public final OutputModes outputModes() {
        return OutputModes.only(
                "files are only ever added; write an aggregation in APPEND with a watermark, or use the memory"
                        + " or console sink",
                OutputMode.APPEND);
    }

    /** Its directory: a source's dead letter there would mix with the files. */
    @Override
    public final List<Place> writes(ConnectorOptions options) {
        return List.of(Place.directory(options.get(PATH)).byOption(PATH.name()));
    }

    @Override
    public final boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public final List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        List<String> problems = new ArrayList<>();
        List<String> columns = List.of(schema.fieldNames());
        List<String> partitions = options.find(PARTITION_BY).orElse(List.of());
        PathCheck.directory(PATH.name(), options.get(PATH), context.spark()).ifPresent(problems::add);
        problems.addAll(Messages.missingColumns(PARTITION_BY.name(), partitions, schema));
        if (!partitions.isEmpty() && partitions.containsAll(columns)) {
            problems.add("option 'partitionBy' uses every column, which leaves no data to write in the files");
        }
        if (format == FileFormat.TEXT) {
            List<StructField> data = dataFields(schema, partitions);
            if (data.size() != 1 || !data.get(0).dataType().equals(DataTypes.StringType)) {
                problems.add("the text format writes exactly one string column, but the query has " + describe(data)
                        + ": select one, e.g. to_json(struct(*)) AS value");
            }
        }
        if (format == FileFormat.CSV) {
            for (StructField field : schema.fields()) {
                if (isNested(field.dataType())) {
                    problems.add("csv cannot write column '" + field.name() + "' of type "
                            + field.dataType().simpleString()
                            + ": flatten it, turn it into a string (to_json), or use the json or parquet sink");
                }
            }
        }
        return problems;
    }

    /**
     * Spark's file sink skips every batch whose id its directory's log already has: a directory
     * whose {@code _spark_metadata} another checkpoint wrote would take this pipeline's batches as
     * written and write nothing for them, silently. The log is this pipeline's only if it has no
     * batch this checkpoint never planned (a batch written and not yet committed is redone: its
     * files already listed, Spark skips it rightly).
     */
    @Override
    public final List<String> preflight(SinkContext context, ConnectorOptions options) {
        String path = options.get(PATH);
        Configuration hadoop = context.spark().sparkContext().hadoopConfiguration();
        OptionalLong written = BatchLogs.latest(hadoop, new org.apache.hadoop.fs.Path(path, "_spark_metadata"));
        if (written.isEmpty()) {
            return List.of();
        }
        OptionalLong planned = context.checkpointLocation()
                .map(checkpoint -> BatchLogs.latest(hadoop, new org.apache.hadoop.fs.Path(checkpoint, "offsets")))
                .orElse(OptionalLong.empty());
        if (planned.isPresent() && planned.getAsLong() >= written.getAsLong()) {
            return List.of();
        }
        return List.of("option 'path' = '" + path + "' holds the files of another pipeline's checkpoint (its log "
                + path + "/_spark_metadata lists batches up to " + written.getAsLong() + "; this pipeline's checkpoint "
                + (planned.isPresent() ? "has planned batches up to " + planned.getAsLong() : "is new")
                + "): Spark would take batches up to " + written.getAsLong() + " as written and write nothing for"
                + " them. Write to a new directory, run with the checkpoint that wrote it, or delete the directory"
                + " if its files are not needed");
    }

    @Override
    public final DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        DataStreamWriter<Row> writer =
                data.writeStream().format(format.connectorName()).options(writerOptions(options));
        List<String> partitions = options.find(PARTITION_BY).orElse(List.of());
        return partitions.isEmpty() ? writer : writer.partitionBy(partitions.toArray(String[]::new));
    }

    /** One of several sinks: Spark's same file sink, given each batch ({@link FileBatchWriter}). */
    @Override
    public final boolean writesBatches() {
        return true;
    }

    @Override
    public final io.sluice.core.BatchWriter batchWriter(
            SinkContext context, ConnectorOptions options, StructType schema) {
        return new FileBatchWriter(
                format.connectorName(),
                writerOptions(options),
                options.find(PARTITION_BY).orElse(List.of()));
    }

    /** Spark's metadata log skips a batch it lists. */
    @Override
    public final boolean deliversOnce(ConnectorOptions options) {
        return true;
    }

    /** The options Spark's file sink takes: the validated ones, but those the framework or the writer's calls set. */
    private static Map<String, String> writerOptions(ConnectorOptions options) {
        Map<String, String> writerOptions = new HashMap<>(options.asMap());
        writerOptions.remove(PARTITION_BY.name());
        writerOptions.remove(QUERY_NAME.name());
        writerOptions.remove(CHECKPOINT_LOCATION.name());
        // Sluice reads durations as '7 days' or 'P7D'; Spark's file sink takes a time string: give it milliseconds
        options.find(RETENTION).ifPresent(ttl -> writerOptions.put(RETENTION.name(), ttl.toMillis() + "ms"));
        return writerOptions;
    }

    private static List<StructField> dataFields(StructType schema, List<String> partitions) {
        return List.of(schema.fields()).stream()
                .filter(f -> !partitions.contains(f.name()))
                .toList();
    }

    private static String describe(List<StructField> fields) {
        return fields.size() + " column" + (fields.size() == 1 ? "" : "s") + " ("
                + String.join(
                        ", ",
                        fields.stream()
                                .map(f -> f.name() + " " + f.dataType().simpleString())
                                .toList()) + ")";
    }

    private static boolean isNested(DataType type) {
        return type instanceof StructType || type instanceof ArrayType || type instanceof MapType;
    }

    /** Spark's file sink skips a batch its log ({@code path/_spark_metadata}) has. */
    @Override
    public java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        OptionalLong last = BatchLogs.latest(
                spark.sparkContext().hadoopConfiguration(),
                new org.apache.hadoop.fs.Path(options.get(PATH), "_spark_metadata"));
        return java.util.Optional.of(last.isPresent() && last.getAsLong() >= batchId);
    }
}
