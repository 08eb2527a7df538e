package io.sluice.source.kafka;

import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import io.sluice.core.option.Suggestions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.registry.RegistrySettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.spark.sql.types.StructType;

/**
 * The options of the {@code kafka} source: Spark's own, with Spark's names, defaults and
 * meaning (see Spark's Structured Streaming + Kafka integration guide), and Sluice's
 * decoding options. Declared once; validation, messages and the README table come from here.
 */
final class KafkaSourceOptions {
    private KafkaSourceOptions() {}

    static final OptionSpec<String> BOOTSTRAP_SERVERS = KafkaSettings.bootstrapServers();
    static final OptionSpec<String> ASSIGN = OptionSpec.stringOption("assign")
            .check(KafkaJson::checkAssign)
            .description("Exact partitions to read, as JSON: {\"topicA\":[0,1],\"topicB\":[2]}")
            .build();
    static final OptionSpec<String> SUBSCRIBE = OptionSpec.stringOption("subscribe")
            .description("Comma-separated list of topics to read")
            .build();
    static final OptionSpec<String> SUBSCRIBE_PATTERN = OptionSpec.stringOption("subscribePattern")
            .check(KafkaSourceOptions::checkPattern)
            .description("Java regex of topics to read; topics created later are picked up")
            .build();
    static final OptionSpec<String> STARTING_OFFSETS = OptionSpec.stringOption("startingOffsets")
            .defaultValue("latest")
            .check(KafkaJson::checkStartingOffsets)
            .description(
                    "Where a new query starts: earliest, latest, or per-partition JSON {\"t\":{\"0\":23,\"1\":-2}} (-2 earliest, -1 latest); a restarted query resumes from its checkpoint")
            .build();
    static final OptionSpec<Long> STARTING_TIMESTAMP = OptionSpec.longOption("startingTimestamp")
            .check(OptionCheck.of(v -> v >= 0, "must be a timestamp in epoch milliseconds", "epoch milliseconds"))
            .description(
                    "Start every partition at the first offset whose timestamp is at or after this epoch-millisecond time")
            .build();
    static final OptionSpec<String> STARTING_OFFSETS_BY_TIMESTAMP = OptionSpec.stringOption(
                    "startingOffsetsByTimestamp")
            .check(KafkaJson::checkOffsetsByTimestamp)
            .description("Per-partition start timestamps, as JSON: {\"t\":{\"0\":1700000000000}}")
            .build();
    static final OptionSpec<String> STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY = OptionSpec.oneOfOption(
                    "startingOffsetsByTimestampStrategy", "error", "latest")
            .defaultValue("error")
            .description("When no offset matches a starting timestamp: fail (error) or start at the latest offset")
            .build();
    static final OptionSpec<Boolean> FAIL_ON_DATA_LOSS = OptionSpec.booleanOption("failOnDataLoss")
            .defaultValue(true)
            .description("Fail the query when data may have been lost (topic deleted, offsets out of range)")
            .build();
    static final OptionSpec<Long> POLL_TIMEOUT = OptionSpec.longOption("kafkaConsumer.pollTimeoutMs")
            .defaultValue(120_000L)
            .check(OptionCheck.positive())
            .description("Timeout in milliseconds for polling Kafka on executors")
            .build();
    // Read settings measured in bench (docs/benchmark.md): Kafka's consumer defaults (500 records a poll, 1 MiB a
    // partition a fetch, a 64 KiB socket buffer) make a task wait on round trips with cores idle. Sluice's defaults
    // are Kafka settings like any other: explain shows them, a pipeline's own kafka.* value wins.
    static final OptionSpec<Integer> MAX_POLL_RECORDS = OptionSpec.intOption("kafka.max.poll.records")
            .defaultValue(10_000)
            .check(OptionCheck.positive())
            .description("Records a poll of the executors' consumers returns at most (Kafka's default: 500;"
                    + " Sluice's is measured faster, docs/benchmark.md)")
            .build();
    static final OptionSpec<Integer> MAX_PARTITION_FETCH_BYTES = OptionSpec.intOption("kafka.max.partition.fetch.bytes")
            .defaultValue(8 * 1024 * 1024)
            .check(OptionCheck.positive())
            .description("Bytes a fetch returns at most for one partition (Kafka's default: 1 MiB; Sluice's 8 MiB)")
            .build();
    static final OptionSpec<Integer> RECEIVE_BUFFER_BYTES = OptionSpec.intOption("kafka.receive.buffer.bytes")
            .defaultValue(1024 * 1024)
            .description("The consumers' socket receive buffer in bytes, -1 for the system's (Kafka's default:"
                    + " 64 KiB; Sluice's 1 MiB)")
            .build();
    /** The consumer settings Sluice gives Spark's reader when the pipeline does not. */
    static final List<OptionSpec<Integer>> READ_DEFAULTS =
            List.of(MAX_POLL_RECORDS, MAX_PARTITION_FETCH_BYTES, RECEIVE_BUFFER_BYTES);

    static final OptionSpec<Integer> FETCH_RETRIES = OptionSpec.intOption("fetchOffset.numRetries")
            .defaultValue(3)
            .check(OptionCheck.notNegative())
            .description("Retries before giving up fetching Kafka offsets")
            .build();
    static final OptionSpec<Long> FETCH_RETRY_INTERVAL = OptionSpec.longOption("fetchOffset.retryIntervalMs")
            .defaultValue(10L)
            .check(OptionCheck.notNegative())
            .description("Milliseconds to wait before retrying to fetch Kafka offsets")
            .build();
    static final OptionSpec<Long> MAX_OFFSETS_PER_TRIGGER = OptionSpec.longOption("maxOffsetsPerTrigger")
            .check(OptionCheck.positive())
            .description("Upper bound of offsets read per trigger, split across partitions by volume")
            .build();
    static final OptionSpec<Long> MIN_OFFSETS_PER_TRIGGER = OptionSpec.longOption("minOffsetsPerTrigger")
            .check(OptionCheck.positive())
            .description("Wait for at least this many new offsets before a trigger (up to maxTriggerDelay)")
            .build();
    static final OptionSpec<Duration> MAX_TRIGGER_DELAY = OptionSpec.durationOption("maxTriggerDelay")
            .defaultValue(Duration.ofMinutes(15))
            .check(OptionCheck.notNegative())
            .description("Longest a trigger waits for minOffsetsPerTrigger")
            .build();
    static final OptionSpec<Integer> MIN_PARTITIONS = OptionSpec.intOption("minPartitions")
            .check(OptionCheck.positive())
            .description("Minimum number of Spark partitions to read with; Kafka partitions are split to reach it")
            .build();
    static final OptionSpec<Long> MAX_RECORDS_PER_PARTITION = OptionSpec.longOption("maxRecordsPerPartition")
            .check(OptionCheck.positive())
            .description("Upper bound of records per Spark partition; larger Kafka offset ranges are split")
            .build();
    static final OptionSpec<String> GROUP_ID_PREFIX = OptionSpec.stringOption("groupIdPrefix")
            .defaultValue("spark-kafka-source")
            .description("Prefix of the consumer group ids Spark generates")
            .build();
    static final OptionSpec<String> COMMIT_OFFSETS_TO = OptionSpec.stringOption("commitOffsetsTo")
            .description("A consumer group to write each committed batch's end offsets to, so that Kafka's own tools"
                    + " (kafka-consumer-groups, Burrow, lag exporters) see the pipeline's lag. For monitoring only:"
                    + " the checkpoint stays the truth of what was read. The group must have no active members")
            .check(io.sluice.core.option.OptionCheck.nonEmpty())
            .build();
    static final OptionSpec<Boolean> INCLUDE_HEADERS = OptionSpec.booleanOption("includeHeaders")
            .defaultValue(false)
            .description("Add the record headers as a column 'headers' (array of key, value)")
            .build();

    static final OptionSpec<String> VALUE_FORMAT = OptionSpec.oneOfOption(
                    "value.format", "binary", "string", "json", "avro", "json-schema", "protobuf")
            .defaultValue("binary")
            .description("How to decode the value: binary (Spark's raw bytes), string (UTF-8), json (typed columns from"
                    + " value.schema), avro (Confluent's wire format: schema id, then Avro; typed columns from the"
                    + " registry's schema or value.avroSchema), json-schema (the same framing, then JSON; typed"
                    + " columns from the registry's JSON Schema), protobuf (the same framing with message indexes,"
                    + " then Protobuf; typed columns from the registry's .proto schema)")
            .build();
    static final OptionSpec<String> VALUE_COLUMNS = OptionSpec.oneOfOption("value.columns", "fields", "struct")
            .defaultValue("fields")
            .description("How a decoded record value (json, avro, json-schema, protobuf) becomes columns: fields (each"
                    + " field a column, before key and the metadata) or struct (one struct column 'value', as Spark's"
                    + " from_json and from_avro give it; for values with fields named like Kafka's columns, such as"
                    + " timestamp)")
            .build();
    static final OptionSpec<String> VALUE_SCHEMA = OptionSpec.stringOption("value.schema")
            .check(KafkaSourceOptions::checkDdl)
            .description("Spark DDL schema of JSON values, e.g. 'id BIGINT, amount DOUBLE'; its fields become columns")
            .build();
    static final OptionSpec<String> KEY_FORMAT = OptionSpec.oneOfOption(
                    "key.format", "binary", "string", "json", "avro", "json-schema", "protobuf")
            .defaultValue("binary")
            .description(
                    "How to decode the key: binary, string, json (a struct column from key.schema), avro, json-schema"
                            + " or protobuf (as value.format)")
            .build();
    static final OptionSpec<String> KEY_SCHEMA = OptionSpec.stringOption("key.schema")
            .check(KafkaSourceOptions::checkDdl)
            .description("Spark DDL schema of JSON keys")
            .build();

    /** The Avro options of the value and of the key: the same three, each under its prefix. */
    record RegistryOptions(
            String part,
            OptionSpec<String> format,
            OptionSpec<String> subject,
            OptionSpec<String> version,
            OptionSpec<String> schema,
            OptionSpec<NewSchemaPolicy> onNewSchema,
            OptionSpec<String> protobufMessage,
            OptionSpec<String> protobufDescriptorFile) {

        /** The option of a fixed schema for the part's format (no registry), if the format has one. */
        java.util.Optional<OptionSpec<String>> fixedSchema(String format) {
            return switch (format) {
                case "avro" -> java.util.Optional.of(schema);
                case "protobuf" -> java.util.Optional.of(protobufDescriptorFile);
                default -> java.util.Optional.empty();
            };
        }
    }

    static final RegistryOptions VALUE_AVRO = avroOptions("value", VALUE_FORMAT);
    static final RegistryOptions KEY_AVRO = avroOptions("key", KEY_FORMAT);

    private static RegistryOptions avroOptions(String part, OptionSpec<String> format) {
        return new RegistryOptions(
                part,
                format,
                OptionSpec.stringOption(part + ".subject")
                        .check(OptionCheck.nonEmpty())
                        .description("The registry subject of the " + part + "'s reader schema (default: the topic's"
                                + " name and -" + part + ", Confluent's topic-name strategy)")
                        .build(),
                OptionSpec.stringOption(part + ".subject.version")
                        .check(KafkaSourceOptions::checkVersion)
                        .description("The version of " + part + ".subject read as the reader schema: latest (at start,"
                                + " when not set) or a version number; records written with other versions are resolved"
                                + " to it")
                        .build(),
                OptionSpec.stringOption(part + ".avroSchema")
                        .check(AvroReading::checkSchema)
                        .description("A fixed Avro schema (JSON) of the " + part
                                + ", instead of the registry: every record is decoded with it")
                        .build(),
                OptionSpec.enumOption(part + ".onNewSchema", NewSchemaPolicy.class)
                        .defaultValue(NewSchemaPolicy.RESTART)
                        .description("A " + part + " written with a schema id its subject did not have at start (a"
                                + " version registered mid-stream): restart (the pipeline starts again from its"
                                + " checkpoint with the subject's latest version, its new fields as new columns; the"
                                + " batch is redone, nothing lost or written twice), fail (stop, naming subject,"
                                + " version and id) or bad_record (badRecords decides)")
                        .build(),
                OptionSpec.stringOption(part + ".protobuf.message")
                        .check(OptionCheck.nonEmpty())
                        .description("The Protobuf message the " + part + " is read as, by name (default: the first"
                                + " message of the reader schema, which Confluent's serializer writes as index [0])")
                        .build(),
                OptionSpec.stringOption(part + ".protobuf.descriptorFile")
                        .check(OptionCheck.nonEmpty())
                        .description("A Protobuf descriptor set file (protoc --include_imports --descriptor_set_out)"
                                + " with the " + part + "'s message, instead of the registry: every framed record is"
                                + " read with it")
                        .build());
    }

    private static Optional<String> checkVersion(String version) {
        if (version.equals("latest")) {
            return Optional.empty();
        }
        try {
            return Integer.parseInt(version) > 0 ? Optional.empty() : Optional.of("must be latest or a version >= 1");
        } catch (NumberFormatException e) {
            return Optional.of("must be latest or a version number");
        }
    }

    static final OptionSpec<BadRecordPolicy> BAD_RECORDS = OptionSpec.enumOption("badRecords", BadRecordPolicy.class)
            .defaultValue(BadRecordPolicy.FAIL)
            .description(
                    "A record that does not decode: fail (stop, naming topic/partition/offset), skip (counted in progress), dead_letter (kept at deadLetter.path)")
            .build();
    static final OptionSpec<String> DEAD_LETTER_PATH = OptionSpec.stringOption("deadLetter.path")
            .description(
                    "Directory where dead-lettered records go (raw key and value, topic, partition, offset, timestamp, error)")
            .build();
    static final OptionSpec<String> DEAD_LETTER_FORMAT = OptionSpec.oneOfOption("deadLetter.format", "json", "parquet")
            .defaultValue("json")
            .description("File format of the dead letter at deadLetter.path")
            .build();
    static final OptionSpec<String> DEAD_LETTER_TOPIC = OptionSpec.stringOption("deadLetter.topic")
            .description(
                    "Kafka topic where dead-lettered records go, on the source's cluster: the raw key and value, with"
                            + " the source topic, partition, offset, timestamp and error in headers (sluice.*)")
            .build();

    /** Every option: the connector's own, then the registry's (shared with the other Kafka connector). */
    static final List<OptionSpec<?>> ALL = withRegistry(List.of(
            BOOTSTRAP_SERVERS,
            ASSIGN,
            SUBSCRIBE,
            SUBSCRIBE_PATTERN,
            STARTING_OFFSETS,
            STARTING_TIMESTAMP,
            STARTING_OFFSETS_BY_TIMESTAMP,
            STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY,
            FAIL_ON_DATA_LOSS,
            POLL_TIMEOUT,
            MAX_POLL_RECORDS,
            MAX_PARTITION_FETCH_BYTES,
            RECEIVE_BUFFER_BYTES,
            FETCH_RETRIES,
            FETCH_RETRY_INTERVAL,
            MAX_OFFSETS_PER_TRIGGER,
            MIN_OFFSETS_PER_TRIGGER,
            MAX_TRIGGER_DELAY,
            MIN_PARTITIONS,
            MAX_RECORDS_PER_PARTITION,
            GROUP_ID_PREFIX,
            COMMIT_OFFSETS_TO,
            INCLUDE_HEADERS,
            VALUE_FORMAT,
            VALUE_COLUMNS,
            VALUE_SCHEMA,
            KEY_FORMAT,
            KEY_SCHEMA,
            VALUE_AVRO.subject(),
            VALUE_AVRO.version(),
            VALUE_AVRO.schema(),
            KEY_AVRO.subject(),
            KEY_AVRO.version(),
            KEY_AVRO.schema(),
            VALUE_AVRO.onNewSchema(),
            KEY_AVRO.onNewSchema(),
            VALUE_AVRO.protobufMessage(),
            KEY_AVRO.protobufMessage(),
            VALUE_AVRO.protobufDescriptorFile(),
            KEY_AVRO.protobufDescriptorFile(),
            BAD_RECORDS,
            DEAD_LETTER_PATH,
            DEAD_LETTER_FORMAT,
            DEAD_LETTER_TOPIC));

    /** Sluice's own options: used to decode, never handed to Spark's Kafka reader. */
    static final Set<String> SLUICE_ONLY = withRegistryNames(Set.of(
            COMMIT_OFFSETS_TO.name(),
            VALUE_FORMAT.name(),
            VALUE_COLUMNS.name(),
            VALUE_SCHEMA.name(),
            KEY_FORMAT.name(),
            KEY_SCHEMA.name(),
            VALUE_AVRO.subject().name(),
            VALUE_AVRO.version().name(),
            VALUE_AVRO.schema().name(),
            KEY_AVRO.subject().name(),
            KEY_AVRO.version().name(),
            KEY_AVRO.schema().name(),
            VALUE_AVRO.onNewSchema().name(),
            KEY_AVRO.onNewSchema().name(),
            VALUE_AVRO.protobufMessage().name(),
            KEY_AVRO.protobufMessage().name(),
            VALUE_AVRO.protobufDescriptorFile().name(),
            KEY_AVRO.protobufDescriptorFile().name(),
            BAD_RECORDS.name(),
            DEAD_LETTER_PATH.name(),
            DEAD_LETTER_FORMAT.name(),
            DEAD_LETTER_TOPIC.name()));

    /** Every Kafka consumer setting, checked against the consumer's own list; passwords are secret. */
    static final OptionPrefix KAFKA = KafkaSettings.prefix(
            "Kafka consumer settings (security, timeouts, ...), passed to the consumer as they are",
            ConsumerConfig.configDef());

    /** What Spark refuses or silently overrides for streaming reads, and what to do instead. */
    static final Map<String, String> REJECTED = Map.ofEntries(
            Map.entry(
                    "endingOffsets",
                    "streaming reads never end; use the available-now trigger to stop at the offsets current at start"),
            Map.entry(
                    "endingTimestamp",
                    "streaming reads never end; use the available-now trigger to stop at the offsets current at start"),
            Map.entry(
                    "endingOffsetsByTimestamp",
                    "streaming reads never end; use the available-now trigger to stop at the offsets current at start"),
            Map.entry("kafka.auto.offset.reset", "Spark manages offsets itself; set 'startingOffsets' instead"),
            Map.entry("kafka.key.deserializer", "Spark always reads keys as bytes; set 'key.format' to decode them"),
            Map.entry(
                    "kafka.value.deserializer",
                    "Spark always reads values as bytes; set 'value.format' to decode them"),
            Map.entry("kafka.enable.auto.commit", "Spark keeps offsets in the query's checkpoint, not in Kafka"),
            Map.entry("kafka.interceptor.classes", "Spark's Kafka source does not support consumer interceptors"));

    private static Optional<String> checkPattern(String pattern) {
        try {
            java.util.regex.Pattern.compile(pattern);
            return Optional.empty();
        } catch (java.util.regex.PatternSyntaxException e) {
            return Optional.of("is not a valid Java regex: " + e.getDescription());
        }
    }

    /** The type names a DDL schema takes, for "did you mean" when one is misspelt. */
    private static final List<String> TYPES = List.of(
            "BOOLEAN",
            "TINYINT",
            "SMALLINT",
            "INT",
            "BIGINT",
            "FLOAT",
            "DOUBLE",
            "DECIMAL",
            "STRING",
            "VARCHAR",
            "CHAR",
            "BINARY",
            "DATE",
            "TIMESTAMP",
            "TIMESTAMP_NTZ",
            "ARRAY",
            "MAP",
            "STRUCT",
            "VARIANT",
            "INTERVAL");

    private static Optional<String> checkDdl(String ddl) {
        try {
            StructType.fromDDL(ddl);
            return Optional.empty();
        } catch (Exception e) { // Spark's ParseException is checked but undeclared
            String shape = "is not a Spark DDL schema like 'id BIGINT, name STRING': ";
            if (e instanceof org.apache.spark.sql.AnalysisException analysis
                    && String.valueOf(analysis.getCondition()).startsWith("UNSUPPORTED_DATATYPE")) {
                String type = analysis.getMessageParameters()
                        .getOrDefault("typeName", "?")
                        .replace("\"", "");
                return Optional.of(shape + "'" + type + "' is not a type" + Suggestions.didYouMean(type, TYPES));
            }
            String line = String.valueOf(e.getMessage())
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .findFirst()
                    .orElse(e.getClass().getSimpleName());
            return Optional.of(
                    shape + line.replaceFirst("^\\[[A-Z_.]+\\] ", "").replaceFirst("\\s*SQLSTATE: \\w+.*$", ""));
        }
    }

    private static List<OptionSpec<?>> withRegistry(List<OptionSpec<?>> own) {
        List<OptionSpec<?>> all = new java.util.ArrayList<>(own);
        all.addAll(RegistrySettings.ALL);
        return List.copyOf(all);
    }

    private static Set<String> withRegistryNames(Set<String> own) {
        Set<String> names = new java.util.HashSet<>(own);
        RegistrySettings.ALL.forEach(option -> names.add(option.name()));
        return Set.copyOf(names);
    }
}
