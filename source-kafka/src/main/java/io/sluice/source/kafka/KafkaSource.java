package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;

import com.google.auto.service.AutoService;
import io.sluice.core.CommitListener;
import io.sluice.core.PathCheck;
import io.sluice.core.Place;
import io.sluice.core.RealTimeSupport;
import io.sluice.core.SampleRequest;
import io.sluice.core.SourceContext;
import io.sluice.core.SourceFixture;
import io.sluice.core.SourceSample;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import io.sluice.kafka.KafkaFailures;
import io.sluice.kafka.KafkaPlaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code kafka} source: Spark's Kafka source, with every option validated before the
 * query starts, keys and values decoded, and undecodable records accounted for.
 *
 * <p>Output columns: the decoded value (its JSON fields as columns, or a {@code value}
 * column), {@code key}, {@code topic}, {@code partition}, {@code offset}, {@code timestamp},
 * {@code timestampType}, and {@code headers} when {@code includeHeaders} is true.
 */
@AutoService(StreamSource.class)
public final class KafkaSource implements StreamSource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaSource.class);

    /** Columns Spark's Kafka source produces; a JSON value field of the same name would hide one. */
    static final Set<String> KAFKA_COLUMNS =
            Set.of("key", "topic", "partition", "offset", "timestamp", "timestampType", "headers");

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Reads Kafka topics (Spark's Kafka source), decoding binary, string, JSON, or Avro, Protobuf and JSON Schema"
                + " (with a schema registry) keys and values";
    }

    /** Records deleted before they were read, brokers that do not answer: Kafka's failures in words. */
    @Override
    public Optional<String> explainFailure(List<Throwable> causes, Optional<java.time.Duration> silentFor) {
        return NewSchemaPolicy.notResolved(causes)
                .or(() -> deadLetterFailed(causes))
                .or(() -> KafkaFailures.explain(causes, silentFor));
    }

    /** Its dead letter could not be written: its own words, which name the place, and what to do. */
    private static Optional<String> deadLetterFailed(List<Throwable> causes) {
        return causes.stream()
                .filter(t -> t instanceof java.io.UncheckedIOException
                        && String.valueOf(t.getMessage()).startsWith(DeadLetterFunction.CANNOT_WRITE))
                .findFirst()
                .map(t -> t.getMessage().lines().findFirst().orElse("").strip()
                        + ": make it a place the pipeline can write, " + io.sluice.core.Messages.RESUMES);
    }

    /** A record written with a schema registered after start, when onNewSchema is restart: a new start reads it. */
    @Override
    public Optional<String> restartFor(List<Throwable> causes) {
        return NewSchemaPolicy.restartFor(causes);
    }

    @Override
    public List<OptionSpec<?>> options() {
        return ALL;
    }

    /** The topics read: another subscription under the same checkpoint is refused (Spark would report data lost). */
    @Override
    public List<OptionSpec<?>> identityOptions() {
        return List.of(ASSIGN, SUBSCRIBE, SUBSCRIBE_PATTERN);
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
    public List<OptionRule> rules() {
        List<OptionRule> rules = new ArrayList<>(List.of(
                OptionRules.exactlyOneOf(ASSIGN, SUBSCRIBE, SUBSCRIBE_PATTERN),
                OptionRules.atMostOneOf(STARTING_OFFSETS, STARTING_TIMESTAMP, STARTING_OFFSETS_BY_TIMESTAMP),
                OptionRules.requiredWhen(VALUE_SCHEMA, VALUE_FORMAT, "json", "a Spark DDL schema of the value"),
                OptionRules.onlyWhen(VALUE_SCHEMA, VALUE_FORMAT, "json"),
                OptionRules.requiredWhen(KEY_SCHEMA, KEY_FORMAT, "json", "a Spark DDL schema of the key"),
                OptionRules.onlyWhen(KEY_SCHEMA, KEY_FORMAT, "json"),
                OptionRules.requires(MAX_TRIGGER_DELAY, MIN_OFFSETS_PER_TRIGGER, "it bounds the wait for it"),
                OptionRules.requiresOneOf(
                        STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY,
                        "it says where to start a partition with no record at or after the timestamp",
                        STARTING_TIMESTAMP,
                        STARTING_OFFSETS_BY_TIMESTAMP),
                this::deadLetterRule,
                KafkaSource::offsetsPerTriggerRule,
                KafkaSource::startingTopicsRule,
                KafkaSource::valueFieldsRule));
        rules.addAll(RegistryRules.all());
        return List.copyOf(rules);
    }

    /** Within a partition, a record read later has a higher offset. */
    @Override
    public List<String> recordOrder() {
        return List.of("partition", "offset");
    }

    @Override
    public List<Place> reads(ConnectorOptions options) {
        String servers = options.get(BOOTSTRAP_SERVERS);
        if (options.isSet(SUBSCRIBE_PATTERN)) {
            return List.of(KafkaPlaces.pattern(servers, options.get(SUBSCRIBE_PATTERN)));
        }
        Collection<String> topics = options.isSet(SUBSCRIBE)
                ? KafkaJson.topicList(options.get(SUBSCRIBE))
                : KafkaJson.topics(options.find(ASSIGN).orElse("{}"));
        return topics.stream().map(topic -> KafkaPlaces.topic(servers, topic)).toList();
    }

    /** A dead letter in files cannot be kept in real-time mode; one on a topic can. */
    @Override
    public RealTimeSupport realTime(ConnectorOptions options) {
        return options.find(DEAD_LETTER_PATH)
                .map(path -> RealTimeSupport.refused(
                        "its dead letter goes to "
                                + options.get(DEAD_LETTER_FORMAT) + " files at " + path
                                + ", which real-time mode cannot keep (a batch has no"
                                + " fixed end to replay)",
                        "use deadLetter.topic, or a micro-batch trigger"))
                .orElse(RealTimeSupport.supported());
    }

    /**
     * Kafka's progress names each partition's end and latest offsets: the difference is what is
     * still to read. Spark leaves the latest out of a batch replayed from the checkpoint and under
     * the available-now trigger; the cluster is asked then ({@link LatestOffsets}).
     */
    @Override
    public Map<String, Long> backlog(ConnectorOptions options, SourceProgress progress) {
        if (progress.latestOffset() == null && progress.endOffset() != null) {
            return LatestOffsets.behind(options, progress.endOffset());
        }
        return KafkaJson.behind(progress.endOffset(), progress.latestOffset());
    }

    /**
     * Asks the cluster what only it knows: that real-time mode gets a core per partition, and
     * that the records the checkpoint has yet to read are still there.
     */
    @Override
    public List<String> preflight(SourceContext context, ConnectorOptions options) {
        if (!context.inPipeline() && options.get(BAD_RECORDS) == BadRecordPolicy.DEAD_LETTER) {
            return List.of("option 'badRecords' = 'dead_letter' works in a pipeline only: the stream Sluice.read"
                    + " returns feeds a query of your own, whose batches Sluice does not commit the dead letter with"
                    + " nor count — build a pipeline (sluice.pipeline(...)), whose dead letter is written exactly once"
                    + " in the same read as its sink, or set badRecords to fail or skip");
        }
        List<String> problems = new ArrayList<>();
        options.find(DEAD_LETTER_PATH)
                .flatMap(path -> PathCheck.directory(DEAD_LETTER_PATH.name(), path, context.spark()))
                .ifPresent(problems::add);
        Map<TopicPartition, Long> committed = context.checkpointLocation()
                .map(checkpoint -> RetentionCheck.committedOffsets(context.spark(), checkpoint))
                .orElse(Map.of());
        java.util.OptionalInt realTimeCores = context.trigger().isRealTime()
                ? java.util.OptionalInt.of(context.spark().sparkContext().defaultParallelism())
                : java.util.OptionalInt.empty();
        problems.addAll(KafkaPreflight.check(options, committed, realTimeCores));
        return problems;
    }

    /** With {@code commitOffsetsTo}: each committed batch's end offsets written to that consumer group. */
    @Override
    public Optional<CommitListener> onCommit(SourceContext context, ConnectorOptions options) {
        return options.find(COMMIT_OFFSETS_TO).map(group -> new GroupOffsets(group, context.pipelineName(), options));
    }

    /** Its dead letter: a sink writing there would mix its output with the bad records. */
    @Override
    public List<Place> writes(ConnectorOptions options) {
        List<Place> places = new ArrayList<>();
        options.find(DEAD_LETTER_PATH)
                .map(path -> Place.directory(path).byOption(DEAD_LETTER_PATH.name()))
                .ifPresent(places::add);
        options.find(DEAD_LETTER_TOPIC)
                .map(topic ->
                        KafkaPlaces.topic(options.get(BOOTSTRAP_SERVERS), topic).byOption(DEAD_LETTER_TOPIC.name()))
                .ifPresent(places::add);
        return places;
    }

    @Override
    public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
        Map<String, String> sparkOptions = new HashMap<>(options.asMap());
        SLUICE_ONLY.forEach(sparkOptions::remove);
        READ_DEFAULTS.forEach(setting -> sparkOptions.put(setting.name(), String.valueOf(options.get(setting))));
        // Sluice reads durations as '15 minutes' or 'PT15M'; Spark's own grammar takes neither: give it milliseconds
        options.find(MAX_TRIGGER_DELAY)
                .filter(delay -> options.isSet(MAX_TRIGGER_DELAY))
                .ifPresent(delay -> sparkOptions.put(MAX_TRIGGER_DELAY.name(), delay.toMillis() + "ms"));
        BadRecordPolicy policy = options.get(BAD_RECORDS);
        Dataset<Row> raw = context.stream("kafka", sparkOptions);
        RecordDecoder.Decoding decoding = decoding(
                options,
                deadLetter(context, options),
                switch (policy) {
                    case FAIL -> Optional.empty();
                    case SKIP -> Optional.of(context.rejected(RecordDecoder.METRICS, "skipped", "skip"));
                    case DEAD_LETTER ->
                        Optional.of(context.rejected(RecordDecoder.METRICS, "deadLettered", "dead_letter"));
                },
                policy == BadRecordPolicy.DEAD_LETTER
                        ? Optional.of(context.failures(DEAD_LETTER_METRICS, "writeFailures"))
                        : Optional.empty());
        decoding.keyRegistry().ifPresent(reading -> context.explain(reading.explain()));
        decoding.valueRegistry().ifPresent(reading -> context.explain(reading.explain()));
        return RecordDecoder.decode(raw, decoding);
    }

    /**
     * The latest records of each partition read as one batch between offsets asked of the
     * cluster (no consumer group, nothing committed), or the records given, decoded as
     * {@link #read} decodes them; bad records are shown with their reasons and go nowhere.
     */
    @Override
    public Optional<SourceSample> sample(SourceContext context, ConnectorOptions options, SampleRequest request) {
        KafkaSample.Raw raw;
        try {
            raw = KafkaSample.raw(context, options, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the cluster for offsets", e);
        } catch (Exception e) { // the admin client's futures throw checked exceptions
            Throwable cause =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot read a sample from " + options.get(BOOTSTRAP_SERVERS) + ": " + cause.getMessage(), e);
        }
        return Optional.of(RecordDecoder.sample(raw.rows(), decoding(options), raw.description()));
    }

    /** Records given by hand in Spark's Kafka columns: a test run's stream, decoded by {@link #read} as usual. */
    @Override
    public Optional<SourceFixture> fixture(SourceContext context, ConnectorOptions options) {
        return Optional.of(new KafkaFixture(options));
    }

    /** The decoding alone: no dead letter, no counters (a sample, a fixture's rejected records). */
    static RecordDecoder.Decoding decoding(ConnectorOptions options) {
        return decoding(options, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static RecordDecoder.Decoding decoding(
            ConnectorOptions options,
            Optional<DeadLetter> deadLetter,
            Optional<io.sluice.core.Counter> counter,
            Optional<io.sluice.core.Counter> deadLetterFailures) {
        Optional<RegistryReading> valueRegistry = registry(VALUE_AVRO, options);
        boolean fields = options.get(VALUE_COLUMNS).equals("fields");
        valueRegistry.flatMap(RegistryReading::fields).filter(type -> fields).ifPresent(type -> {
            for (String field : type.fieldNames()) {
                if (KAFKA_COLUMNS.contains(field)) {
                    throw new IllegalArgumentException("the value's schema (" + valueRegistry.get()
                            + ") has a field '" + field + "', which would hide the Kafka column '" + field
                            + "' (the value's fields become columns): set value.columns to struct to read the value as"
                            + " one struct column 'value' (value." + field + " in SQL), or read it with a reader"
                            + " schema without that field");
                }
            }
        });
        return new RecordDecoder.Decoding(
                options.get(KEY_FORMAT),
                options.find(KEY_SCHEMA).map(StructType::fromDDL),
                options.get(VALUE_FORMAT),
                options.find(VALUE_SCHEMA).map(StructType::fromDDL),
                registry(KEY_AVRO, options),
                valueRegistry,
                options.get(BAD_RECORDS),
                options.get(INCLUDE_HEADERS),
                !fields,
                deadLetter,
                counter,
                deadLetterFailures);
    }

    static final String DEAD_LETTER_METRICS = "kafka.deadLetter";
    /** The stage of a quarantine that cannot be written, apart from the decoder's dead letter. */
    static final String QUARANTINE_METRICS = "expect.quarantine";

    /** A registry format's schemas for the key or value, asked of the registry now (once a start); empty for others. */
    private static Optional<RegistryReading> registry(RegistryOptions part, ConnectorOptions options) {
        List<String> topics = RegistryRules.topics(options);
        RegistryReading reading = switch (options.get(part.format())) {
            case "avro" -> AvroReading.resolve(part, options, topics);
            case "json-schema" -> JsonSchemaReading.resolve(part, options, topics);
            case "protobuf" -> ProtobufReading.resolve(part, options, topics);
            default -> null;
        };
        if (reading != null) {
            LOG.info("source 'kafka': {}", reading);
        }
        return Optional.ofNullable(reading);
    }

    /** The cluster's offsets of the partitions the source reads, through an admin client of its {@code kafka.*} options. */
    @Override
    public Optional<io.sluice.core.SourcePositions> positions(ConnectorOptions options) {
        return Optional.of(new KafkaPositions(options));
    }

    /** The dead letter, when {@code badRecords} is {@code dead_letter}: rows the pipeline's rules quarantine go there too. */
    @Override
    public Optional<io.sluice.core.Quarantine> quarantine(SourceContext context, ConnectorOptions options) {
        if (options.get(BAD_RECORDS) != BadRecordPolicy.DEAD_LETTER) {
            return Optional.empty();
        }
        return deadLetter(context, options)
                .map(letter -> new KafkaQuarantine(letter, context.failures(QUARANTINE_METRICS, "writeFailures")));
    }

    private static Optional<DeadLetter> deadLetter(SourceContext context, ConnectorOptions options) {
        if (options.isSet(DEAD_LETTER_TOPIC)) {
            return Optional.of(DeadLetter.topic(options.get(DEAD_LETTER_TOPIC), options.withPrefix(KAFKA.prefix())));
        }
        return options.find(DEAD_LETTER_PATH)
                .map(path -> DeadLetter.files(
                        path,
                        options.get(DEAD_LETTER_FORMAT),
                        context.spark().sparkContext().hadoopConfiguration()));
    }

    /** Every mistake of the {@code deadLetter.*} group at once, not the first only. */
    private List<String> deadLetterRule(ConnectorOptions options) {
        List<String> problems = new ArrayList<>();
        Optional<Place> reread = options.find(DEAD_LETTER_TOPIC)
                .flatMap(topic -> reads(options).stream()
                        .filter(KafkaPlaces.topic(options.get(BOOTSTRAP_SERVERS), topic)::overlaps)
                        .findFirst());
        if (reread.isPresent()) {
            problems.add(
                    "option 'deadLetter.topic' = '" + options.get(DEAD_LETTER_TOPIC) + "' is a topic this source reads"
                            + (reread.get().pattern() ? " (" + reread.get() + ")" : "")
                            + ": every bad record would be read again and"
                            + " dead-lettered again, without end; dead-letter to a topic the source does not read");
        }
        boolean deadLetter = options.get(BAD_RECORDS) == BadRecordPolicy.DEAD_LETTER;
        if (deadLetter && !options.isSet(DEAD_LETTER_PATH) && !options.isSet(DEAD_LETTER_TOPIC)) {
            problems.add(
                    "option 'badRecords' = 'dead_letter' needs option 'deadLetter.path' (files) or 'deadLetter.topic' (Kafka)");
        }
        if (options.isSet(DEAD_LETTER_PATH) && options.isSet(DEAD_LETTER_TOPIC)) {
            problems.add(
                    "set only one of 'deadLetter.path', 'deadLetter.topic' (found: both): the dead letter goes to files or to a topic");
        }
        if (options.isSet(DEAD_LETTER_FORMAT) && !options.isSet(DEAD_LETTER_PATH)) {
            problems.add("option 'deadLetter.format' is the format of files at 'deadLetter.path', which is not set");
        }
        if (!deadLetter
                && (options.isSet(DEAD_LETTER_PATH)
                        || options.isSet(DEAD_LETTER_FORMAT)
                        || options.isSet(DEAD_LETTER_TOPIC))) {
            problems.add("options 'deadLetter.*' are only used when 'badRecords' is dead_letter (it is "
                    + options.get(BAD_RECORDS).name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return problems;
    }

    private static List<String> offsetsPerTriggerRule(ConnectorOptions options) {
        Optional<Long> min = options.find(MIN_OFFSETS_PER_TRIGGER);
        Optional<Long> max = options.find(MAX_OFFSETS_PER_TRIGGER);
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            return List.of("option 'minOffsetsPerTrigger' = '" + min.get()
                    + "' is larger than 'maxOffsetsPerTrigger' = '" + max.get() + "'");
        }
        return List.of();
    }

    private static List<String> startingTopicsRule(ConnectorOptions options) {
        Set<String> subscribed;
        String how;
        if (options.isSet(SUBSCRIBE)) {
            subscribed = Set.copyOf(KafkaJson.topicList(options.get(SUBSCRIBE)));
            how = "subscribe";
        } else if (options.isSet(ASSIGN)) {
            subscribed = KafkaJson.topics(options.get(ASSIGN));
            how = "assign";
        } else {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (OptionSpec<String> spec : List.of(STARTING_OFFSETS, STARTING_OFFSETS_BY_TIMESTAMP)) {
            options.find(spec).filter(text -> text.trim().startsWith("{")).ifPresent(text -> {
                for (String topic : KafkaJson.topics(text)) {
                    if (!subscribed.contains(topic)) {
                        problems.add("option '" + spec.name() + "' names topic '" + topic + "', which '" + how
                                + "' does not (" + how + ": "
                                + String.join(", ", subscribed.stream().sorted().toList()) + ")");
                    }
                }
            });
        }
        return problems;
    }

    private static List<String> valueFieldsRule(ConnectorOptions options) {
        if (!options.get(VALUE_FORMAT).equals("json")
                || !options.isSet(VALUE_SCHEMA)
                || options.get(VALUE_COLUMNS).equals("struct")) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String field : StructType.fromDDL(options.get(VALUE_SCHEMA)).fieldNames()) {
            if (KAFKA_COLUMNS.contains(field)) {
                problems.add("option 'value.schema' has a field '" + field + "', which would hide the Kafka column '"
                        + field + "': set value.columns to struct to read the value as one struct column 'value'"
                        + " (value." + field + " in SQL), or rename the field");
            }
        }
        return problems;
    }
}
