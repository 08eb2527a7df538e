package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.when;

import io.sluice.core.SampleRecord;
import io.sluice.core.SourceFixture;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.core.option.Suggestions;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryProtobuf;
import io.sluice.kafka.registry.RegistrySettings;
import io.sluice.kafka.registry.RegistryStandIn;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Records given by hand as Spark's Kafka source gives them: the same columns (headers when
 * {@code includeHeaders} is on), the first topic the options name, the partition the record
 * asks for (0 by default), offsets counted per partition across every batch of the fixture,
 * CreateTime timestamps. Used by a test run's stream and by a preview of given records.
 *
 * <p>A key or value given as a document is written in its part's format ({@link
 * DocumentFrames}); for a part read through a schema registry, a test runs a {@link
 * RegistryStandIn} with the schemas it declares and points the options at it ({@link
 * #runOptions}), so it needs no registry and says which schemas the records were written with.
 */
final class KafkaFixture implements SourceFixture {
    /** Kafka's timestampType for a timestamp the producer set. */
    private static final int CREATE_TIME = 0;

    private ConnectorOptions options;
    private DocumentFrames frames;
    private Optional<RegistryStandIn> standIn = Optional.empty();
    private final String topic;
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private Optional<java.nio.file.Path> deadLetterDir = Optional.empty();

    KafkaFixture(ConnectorOptions options) {
        this.options = requireNonNull(options, "options is null");
        this.topic = options.isSet(SUBSCRIBE)
                ? KafkaJson.topicList(options.get(SUBSCRIBE)).get(0)
                : options.isSet(ASSIGN)
                        ? KafkaJson.topics(options.get(ASSIGN)).stream()
                                .sorted()
                                .findFirst()
                                .orElse("fixture")
                        : "fixture";
        this.frames = new DocumentFrames(options);
    }

    @Override
    public synchronized Map<String, String> runOptions(
            Map<String, String> declared, Map<String, List<String>> schemas) {
        requireNonNull(declared, "declared is null");
        requireNonNull(schemas, "schemas is null");
        Map<String, String> formats = subjectTypes();
        if (formats.isEmpty()) {
            return deadLetterHere(SourceFixture.super.runOptions(declared, schemas));
        }
        readsEach(schemas, "schemaRegistry", formats);
        for (String subject : formats.keySet()) {
            if (schemas.getOrDefault(subject, List.of()).isEmpty()) {
                throw new IllegalArgumentException("the source reads the writers' schemas of subject '" + subject
                        + "' from a schema registry (option '" + RegistrySettings.URL.name()
                        + "'): give the test the subject's versions, oldest first, under 'schemaRegistry:' — a"
                        + " registry in the test serves them");
            }
        }
        RegistryStandIn registry = RegistryStandIn.start();
        standIn = Optional.of(registry);
        schemas.forEach((subject, versions) ->
                versions.forEach(text -> registry.register(subject, formats.get(subject), text)));
        Map<String, String> run = new LinkedHashMap<>(declared);
        Map<String, String> raw = new LinkedHashMap<>(options.withPrefix(""));
        for (OptionSpec<?> registryOption : RegistrySettings.ALL) { // credentials and TLS are the real registry's
            run.remove(registryOption.name());
            raw.remove(registryOption.name());
        }
        run.put(RegistrySettings.URL.name(), registry.url());
        raw.put(RegistrySettings.URL.name(), registry.url());
        Map<String, Object> parsed = new HashMap<>();
        for (OptionSpec<?> spec : KafkaSourceOptions.ALL) {
            if (raw.containsKey(spec.name())) {
                options.find(spec).ifPresent(value -> parsed.put(spec.name(), value));
            }
        }
        parsed.put(RegistrySettings.URL.name(), registry.url());
        options = new ConnectorOptions(raw, parsed, options::isSecret);
        frames = new DocumentFrames(options);
        return deadLetterHere(run);
    }

    /**
     * The options with the dead letter — a directory or a topic — sent to the fixture's own
     * directory in the declared format, where {@link #deadLetter} reads it back: a test writes
     * neither to the real dead letter nor to a broker. Options that name both places are left as
     * declared, for validation to refuse.
     */
    private Map<String, String> deadLetterHere(Map<String, String> run) {
        if (options.get(BAD_RECORDS) != BadRecordPolicy.DEAD_LETTER
                || options.isSet(DEAD_LETTER_PATH) == options.isSet(DEAD_LETTER_TOPIC)) {
            return run;
        }
        try {
            deadLetterDir = Optional.of(java.nio.file.Files.createTempDirectory("sluice-test-dead-letter-"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot make a directory for the test's dead letter", e);
        }
        Map<String, String> here = new LinkedHashMap<>(run);
        here.remove(DEAD_LETTER_TOPIC.name());
        here.put(DEAD_LETTER_PATH.name(), deadLetterDir.get().toString());
        return here;
    }

    /** The dead letter's files, read back; a value kept as base64 (not UTF-8) is shown as base64. */
    @Override
    public synchronized Optional<Dataset<Row>> deadLetter(SparkSession spark) {
        requireNonNull(spark, "spark is null");
        if (deadLetterDir.isEmpty()) {
            return Optional.empty();
        }
        String format = options.get(DEAD_LETTER_FORMAT);
        StructType kept = new StructType()
                .add("topic", DataTypes.StringType)
                .add("partition", DataTypes.IntegerType)
                .add("offset", DataTypes.LongType)
                .add("value", format.equals("parquet") ? DataTypes.BinaryType : DataTypes.StringType)
                .add("valueBase64", DataTypes.StringType)
                .add("error", DataTypes.StringType);
        boolean empty;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(deadLetterDir.get())) {
            empty = files.noneMatch(f -> !f.getFileName().toString().startsWith("."));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list the test's dead letter", e);
        }
        // a column a file lacks (valueBase64 in parquet, which keeps bytes as they are) reads as null
        Dataset<Row> files = empty
                ? spark.createDataFrame(List.of(), kept)
                : spark.read()
                        .schema(kept)
                        .format(format)
                        .load(deadLetterDir.get().toString());
        return Optional.of(files.select(
                when(
                                col("topic").isNotNull(),
                                format_string("%s-%d offset %d", col("topic"), col("partition"), col("offset")))
                        .as("record"),
                col("error").as("reason"),
                coalesce(col("value").cast(DataTypes.StringType), col("valueBase64"))
                        .as("value")));
    }

    @Override
    public synchronized void register(Map<String, List<String>> schemas) {
        requireNonNull(schemas, "schemas is null");
        if (standIn.isEmpty()) {
            SourceFixture.super.register(schemas);
        }
        Map<String, String> formats = subjectTypes();
        readsEach(schemas, "register", formats);
        schemas.forEach((subject, versions) ->
                versions.forEach(text -> standIn.get().register(subject, formats.get(subject), text)));
        frames = new DocumentFrames(options); // later documents are written with the new latest versions
    }

    /** The subjects the source reads through a registry, each with the registry's type of its schemas. */
    private Map<String, String> subjectTypes() {
        Map<String, String> formats = new LinkedHashMap<>();
        List<String> topics = RegistryRules.topics(options);
        for (KafkaSourceOptions.RegistryOptions part : List.of(VALUE_AVRO, KEY_AVRO)) {
            if (RegistryRules.usesRegistry(part, options)) {
                formats.put(SubjectLookup.subject(part, options, topics), registryType(options.get(part.format())));
            }
        }
        return formats;
    }

    /** Every subject given is one the source reads; else the words, with "did you mean". */
    private static void readsEach(Map<String, List<String>> schemas, String where, Map<String, String> formats) {
        for (String subject : schemas.keySet()) {
            if (!formats.containsKey(subject)) {
                throw new IllegalArgumentException(where + ": the source reads no subject '" + subject + "'"
                        + Suggestions.didYouMean(subject, formats.keySet()) + " (it reads "
                        + String.join(
                                ", ",
                                formats.keySet().stream()
                                        .map(s -> "'" + s + "'")
                                        .toList()) + ")");
            }
        }
    }

    private static String registryType(String format) {
        return switch (format) {
            case "protobuf" -> RegistryProtobuf.PROTOBUF;
            case "json-schema" -> "JSON";
            default -> RegisteredSchema.AVRO;
        };
    }

    @Override
    public synchronized void close() {
        standIn.ifPresent(RegistryStandIn::close);
        standIn = Optional.empty();
        deadLetterDir.ifPresent(KafkaFixture::delete);
        deadLetterDir = Optional.empty();
    }

    private static void delete(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(KafkaFixture.class).warn("could not delete {}", dir, e);
        }
    }

    /** The topic the given records are said to come from. */
    String topic() {
        return topic;
    }

    @Override
    public StructType schema() {
        StructType schema = new StructType()
                .add("key", DataTypes.BinaryType)
                .add("value", DataTypes.BinaryType)
                .add("topic", DataTypes.StringType)
                .add("partition", DataTypes.IntegerType)
                .add("offset", DataTypes.LongType)
                .add("timestamp", DataTypes.TimestampType)
                .add("timestampType", DataTypes.IntegerType);
        return options.get(INCLUDE_HEADERS)
                ? schema.add(
                        "headers",
                        DataTypes.createArrayType(new StructType()
                                .add("key", DataTypes.StringType)
                                .add("value", DataTypes.BinaryType)))
                : schema;
    }

    @Override
    public synchronized List<Row> rows(List<SampleRecord> records) {
        requireNonNull(records, "records is null");
        boolean headers = options.get(INCLUDE_HEADERS);
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            SampleRecord record = records.get(i);
            int number = i + 1;
            byte[] key = record.key()
                    .map(bytes -> written(record, SampleRecord.Part.KEY, bytes, number))
                    .orElse(null);
            byte[] value = written(record, SampleRecord.Part.VALUE, record.value(), number);
            int partition = record.partition().orElse(0);
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            Object[] values = {
                key,
                value,
                topic,
                partition,
                offset,
                Timestamp.from(record.timestamp().orElse(now)),
                CREATE_TIME,
                // Spark's Kafka source gives null, not an empty array, for a record without headers
                record.headers().isEmpty()
                        ? null
                        : record.headers().stream()
                                .map(h -> RowFactory.create(h.key(), h.value()))
                                .toList()
            };
            rows.add(RowFactory.create(headers ? values : java.util.Arrays.copyOf(values, values.length - 1)));
        }
        return rows;
    }

    /** The part's bytes: as given, or the document written in the part's format. */
    private byte[] written(SampleRecord record, SampleRecord.Part part, byte[] given, int number) {
        if (!record.isDocument(part)) {
            return given;
        }
        try {
            return frames.write(part, given);
        } catch (IllegalArgumentException | io.sluice.kafka.registry.RegistryException e) {
            throw new IllegalArgumentException(
                    "the " + part.word() + " of record " + number + " cannot be written as '"
                            + options.get(part == SampleRecord.Part.KEY ? KEY_FORMAT : VALUE_FORMAT) + "': "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Dataset<Row> rejected(Dataset<Row> raw) {
        return RecordDecoder.sample(raw, KafkaSource.decoding(options), "").rejected();
    }
}
