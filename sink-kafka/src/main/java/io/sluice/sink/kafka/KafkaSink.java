package io.sluice.sink.kafka;

import static io.sluice.sink.kafka.KafkaSinkOptions.*;

import com.google.auto.service.AutoService;
import io.sluice.core.OutputMode;
import io.sluice.core.OutputModes;
import io.sluice.core.Place;
import io.sluice.core.RealTimeSupport;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import io.sluice.kafka.KafkaAdmin;
import io.sluice.kafka.KafkaFailures;
import io.sluice.kafka.KafkaPlaces;
import io.sluice.kafka.registry.RegistryException;
import io.sluice.kafka.registry.RegistrySettings;
import io.sluice.kafka.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code kafka} sink: Spark's Kafka writer, with the value encoded from the query's
 * columns (JSON by default), an optional key and headers column, and every rule checked
 * against the query's schema before start.
 *
 * <p>Delivery is Spark's: at least once. A batch replayed after a crash writes its records
 * again; a downstream reader that needs exactly once deduplicates by a key it can trust, such
 * as the source coordinates carried in headers (README shows how).
 */
@AutoService(StreamSink.class)
public final class KafkaSink implements StreamSink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaSink.class);

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Writes Kafka topics (Spark's Kafka sink), encoding rows as JSON, Avro, Protobuf or JSON Schema (with a schema registry), string or binary values with optional keys and headers";
    }

    /** Records deleted before they were read, brokers that do not answer: Kafka's failures in words. */
    @Override
    public Optional<String> explainFailure(List<Throwable> causes, Optional<java.time.Duration> silentFor) {
        return KafkaFailures.explain(causes, silentFor);
    }

    @Override
    public List<OptionSpec<?>> options() {
        return ALL;
    }

    @Override
    public List<OptionPrefix> optionPrefixes() {
        return List.of(KAFKA);
    }

    @Override
    public Map<String, String> rejectedOptions() {
        return REJECTED;
    }

    @Override
    public OutputModes outputModes() {
        return OutputModes.only(
                "a topic only grows, so COMPLETE would write the whole result again every batch; use UPDATE"
                        + " to write each changed row",
                OutputMode.APPEND,
                OutputMode.UPDATE);
    }

    @Override
    public RealTimeSupport realTime(ConnectorOptions options) {
        return RealTimeSupport.supported();
    }

    @Override
    public List<Place> writes(ConnectorOptions options) {
        return options.find(TOPIC)
                .map(topic -> List.of(
                        KafkaPlaces.topic(options.get(BOOTSTRAP_SERVERS), topic).byOption(TOPIC.name())))
                .orElse(List.of());
    }

    /**
     * Without a checkpoint kept between runs, every restart would read from the source's
     * starting offsets again: the topic would get everything once more (or, from the latest
     * offsets, miss what arrived while the pipeline was stopped). Spark's own Kafka writer
     * refuses to start without one, for the same reason.
     */
    @Override
    public boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        KafkaRecordEncoder.Encoding encoding = encoding(options);
        List<String> problems = new ArrayList<>(KafkaRecordEncoder.problems(schema, encoding));
        if (encoding.topicColumn()
                && context.facts().isSourceColumn("topic", KafkaPlaces.SOURCE_CONNECTOR, KafkaPlaces.TOPIC_COLUMN)) {
            problems.add(
                    "without option 'topic', each row goes to the topic in its column 'topic', and that column is the"
                            + " kafka source's own: every record would go back to the topic it was read from, and be read again,"
                            + " without end; set option 'topic' to the topic to write, or compute the column in the SQL"
                            + " (e.g. concat(topic, '-out') AS topic)");
        }
        Optional<RegistryValue> registry = Optional.empty();
        if (problems.isEmpty() && isRegistry(options)) {
            StructType columns = KafkaRecordEncoder.valueType(schema, encoding);
            Optional<String> unwritable = RegistryValue.problem(options.get(VALUE_FORMAT), columns);
            if (unwritable.isPresent()) {
                return List.of("value.format '" + options.get(VALUE_FORMAT) + "': " + unwritable.get());
            }
            RegistryValue value = registryValue(options, columns);
            Optional<String> unnamed = VALUE_NAMING.problem(options, value);
            if (unnamed.isPresent()) {
                return List.of(unnamed.get());
            }
            refusal(options, VALUE_NAMING.subject(options, value), value, "value")
                    .ifPresent(problems::add);
            registry = Optional.of(value);
        }
        Optional<RegistryValue> registryKey = Optional.empty();
        if (problems.isEmpty() && isRegistryKey(options)) {
            StructField column = schema.apply(options.get(KEY_COLUMN));
            Optional<String> unwritable = RegistryValue.problem(
                    options.get(KEY_FORMAT),
                    column.dataType() instanceof StructType struct
                            ? struct
                            : new StructType(new StructField[] {column}));
            if (unwritable.isPresent()) {
                return List.of("key.format '" + options.get(KEY_FORMAT) + "': " + unwritable.get());
            }
            RegistryValue key = registryKey(options, column);
            Optional<String> unnamed = KEY_NAMING.problem(options, key);
            if (unnamed.isPresent()) {
                return List.of(unnamed.get());
            }
            refusal(options, KEY_NAMING.subject(options, key), key, "key").ifPresent(problems::add);
            registryKey = Optional.of(key);
        }
        if (problems.isEmpty()) {
            // the writer's own projection over an empty frame: an expression Spark cannot encode fails here, not at
            // start
            try {
                KafkaRecordEncoder.encode(
                        context.spark().createDataFrame(List.of(), schema), encoding, registry, registryKey);
            } catch (Exception e) { // Spark's AnalysisException is checked but undeclared
                problems.add("cannot encode the rows: " + firstLine(e.getMessage()));
            }
        }
        return problems;
    }

    /**
     * The topic of option {@code topic} exists (or the brokers create topics on first write): a
     * producer told of a missing topic waits {@code max.block.ms} and fails the batch — after its
     * other rows, and its source's dead letter, were written — so the pipeline would redo them.
     * Topics chosen per row by the {@code topic} column cannot be known before start.
     */
    @Override
    public List<String> preflight(SinkContext context, ConnectorOptions options) {
        if (!options.isSet(TOPIC)) {
            return List.of();
        }
        String servers = options.get(BOOTSTRAP_SERVERS);
        String allow = "describe the topic it writes: grant it Describe and Write on it";
        try (Admin admin = Admin.create(KafkaAdmin.config(options, KafkaAdmin.TIMEOUT))) {
            Optional<String> unreachable = KafkaAdmin.reach(admin, servers, allow);
            if (unreachable.isPresent()) {
                return List.of(unreachable.get());
            }
            return KafkaAdmin.missingWrittenTopics(
                    admin, Map.of(options.get(TOPIC).trim(), TOPIC.name()), KafkaAdmin.topics(admin), servers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("the check of Kafka at " + servers + " was interrupted");
        } catch (Exception e) { // the admin client's futures throw checked exceptions
            return List.of(KafkaAdmin.words(e, servers, allow));
        }
    }

    /** The registry's refusal of a schema as the subject's next version, in words; empty when it accepts it. */
    private static Optional<String> refusal(
            ConnectorOptions options, String subject, RegistryValue schema, String part) {
        try {
            return RegistrySettings.client(options)
                    .incompatibility(subject, schema.type(), schema.text())
                    .map(
                            why -> "the schema registry at "
                                    + SchemaRegistryClient.redact(options.get(RegistrySettings.URL))
                                    + " refuses the " + part + "'s schema as the next version of subject '" + subject
                                    + "' ("
                                    + why
                                    + "): the query's columns changed in a way the subject's compatibility does not"
                                    + " allow; keep the columns compatible (add nullable columns), or write to another subject");
        } catch (RegistryException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether the key is written in a registry format. */
    private static boolean isRegistryKey(ConnectorOptions options) {
        return RegistryValue.FORMATS.contains(options.get(KEY_FORMAT));
    }

    private static RegistryValue registryKey(ConnectorOptions options, StructField column) {
        return RegistryValue.key(
                options.get(KEY_FORMAT), column, KEY_NAMING.name(options), KEY_NAMING.namespace(options));
    }

    /** Whether the value is written in a registry format (Avro, JSON Schema, Protobuf). */
    private static boolean isRegistry(ConnectorOptions options) {
        return RegistryValue.FORMATS.contains(options.get(VALUE_FORMAT));
    }

    /** The value's schema in its format, derived from the value's columns. */
    private static RegistryValue registryValue(ConnectorOptions options, StructType columns) {
        return RegistryValue.of(
                options.get(VALUE_FORMAT), columns, VALUE_NAMING.name(options), VALUE_NAMING.namespace(options));
    }

    @Override
    public List<OptionRule> rules() {
        List<OptionRule> rules = new ArrayList<>();
        rules.addAll(VALUE_NAMING.rules());
        rules.addAll(KEY_NAMING.rules());
        for (OptionSpec<?> option : RegistrySettings.ALL) {
            rules.add(options -> options.isSet(option) && !isRegistry(options) && !isRegistryKey(options)
                    ? List.of("option '" + option.name() + "' is only used when 'value.format' or 'key.format' is"
                            + " avro, json-schema or protobuf")
                    : List.of());
        }
        rules.add(OptionRules.requiredWhen(
                RegistrySettings.URL,
                VALUE_FORMAT,
                RegistryValue.FORMATS,
                "the registry the value's schema is registered in"));
        rules.add(OptionRules.requiredWhen(
                RegistrySettings.URL,
                KEY_FORMAT,
                RegistryValue.FORMATS,
                "the registry the key's schema is registered in"));
        rules.add(OptionRules.requiredWhen(
                KEY_COLUMN, KEY_FORMAT, RegistryValue.FORMATS, "the column written as the key"));
        rules.addAll(RegistrySettings.rules());
        return List.copyOf(rules);
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        Records records = records(options, data.schema());
        return records.encode(data).writeStream().format("kafka").options(records.kafka());
    }

    /** One of several sinks: each batch encoded the same way and written with Spark's Kafka writer. */
    @Override
    public boolean writesBatches() {
        return true;
    }

    @Override
    public io.sluice.core.BatchWriter batchWriter(SinkContext context, ConnectorOptions options, StructType schema) {
        Records records = records(options, schema);
        return (batch, rows) -> records.encode(rows)
                .write()
                .format("kafka")
                .options(records.kafka())
                .save();
    }

    /** How rows become records — the registry's schemas registered once, when the query starts — and the producer's options. */
    private record Records(
            KafkaRecordEncoder.Encoding encoding,
            Optional<RegistryValue> value,
            Optional<RegistryValue> key,
            java.util.Map<String, String> kafka) {
        Dataset<Row> encode(Dataset<Row> rows) {
            return KafkaRecordEncoder.encode(rows, encoding, value, key);
        }
    }

    private static Records records(ConnectorOptions options, StructType schema) {
        KafkaRecordEncoder.Encoding encoding = encoding(options);
        Optional<RegistryValue> registry = Optional.empty();
        if (isRegistry(options)) {
            RegistryValue value = registryValue(options, KafkaRecordEncoder.valueType(schema, encoding));
            String subject = VALUE_NAMING.subject(options, value);
            int id = RegistrySettings.client(options).register(subject, value.type(), value.text());
            LOG.info("sink 'kafka': the value's {} schema is id {} of subject '{}'", value.format(), id, subject);
            registry = Optional.of(value.withId(id));
        }
        Optional<RegistryValue> registryKey = Optional.empty();
        if (isRegistryKey(options)) {
            RegistryValue key = registryKey(options, schema.apply(options.get(KEY_COLUMN)));
            String subject = KEY_NAMING.subject(options, key);
            int id = RegistrySettings.client(options).register(subject, key.type(), key.text());
            LOG.info("sink 'kafka': the key's {} schema is id {} of subject '{}'", key.format(), id, subject);
            registryKey = Optional.of(key.withId(id));
        }
        java.util.Map<String, String> kafka = new java.util.HashMap<>();
        options.asMap().forEach((key, value) -> {
            if (key.startsWith(KAFKA.prefix()) || key.equals(TOPIC.name())) {
                kafka.put(key, value);
            }
        });
        return new Records(encoding, registry, registryKey, java.util.Map.copyOf(kafka));
    }

    private static KafkaRecordEncoder.Encoding encoding(ConnectorOptions options) {
        return new KafkaRecordEncoder.Encoding(
                options.get(VALUE_FORMAT), options.find(KEY_COLUMN), options.find(HEADERS), !options.isSet(TOPIC));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    /** Keeps no record of batches written: every batch given is written. */
    @Override
    public java.util.Optional<Boolean> hasWritten(
            org.apache.spark.sql.SparkSession spark, ConnectorOptions options, String queryId, long batchId) {
        return java.util.Optional.of(false);
    }
}
