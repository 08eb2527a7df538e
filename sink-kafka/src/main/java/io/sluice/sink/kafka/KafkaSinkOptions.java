package io.sluice.sink.kafka;

import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.registry.RegistrySettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The options of the {@code kafka} sink: Spark's (with Spark's names) and Sluice's encoding,
 * the mirror of the source's decoding. Declared once; validation, messages, the catalogue and
 * the README table come from here.
 */
final class KafkaSinkOptions {
    private KafkaSinkOptions() {}

    static final OptionSpec<String> BOOTSTRAP_SERVERS = KafkaSettings.bootstrapServers();
    static final OptionSpec<String> TOPIC = OptionSpec.stringOption("topic")
            .description("Topic to write every row to; without it, each row's string column 'topic' says where it goes")
            .build();
    static final OptionSpec<String> VALUE_FORMAT = OptionSpec.oneOfOption(
                    "value.format", "json", "string", "binary", "avro", "json-schema", "protobuf")
            .defaultValue("json")
            .description(
                    "How to encode the value: json (every column but the key, topic and headers, as one JSON object),"
                            + " avro (the same columns as one Avro record in Confluent's wire format, its schema"
                            + " registered in schemaRegistry.url), json-schema and protobuf (the same, as JSON or a"
                            + " Protobuf message), string or binary (the query's 'value' column as it is)")
            .build();
    static final OptionSpec<String> VALUE_SUBJECT = OptionSpec.stringOption("value.subject")
            .check(io.sluice.core.option.OptionCheck.nonEmpty())
            .description("The registry subject of the value's schema (avro, json-schema, protobuf; default: by"
                    + " value.subject.strategy)")
            .build();
    static final OptionSpec<String> VALUE_SUBJECT_STRATEGY = SchemaNaming.strategyOption("value");
    static final OptionSpec<String> VALUE_RECORD_NAME = OptionSpec.stringOption("value.recordName")
            .check(KafkaSinkOptions::checkAvroName)
            .description(
                    "The name of the value's Avro record, Protobuf message or JSON Schema title (default: topLevelRecord,"
                            + " as Spark's to_avro)")
            .build();
    static final OptionSpec<String> VALUE_NAMESPACE = OptionSpec.stringOption("value.namespace")
            .check(KafkaSinkOptions::checkAvroNamespace)
            .description(
                    "The namespace of the value's Avro record, or the package of its Protobuf message (default: none)")
            .build();
    static final OptionSpec<String> KEY_COLUMN = OptionSpec.stringOption("key.column")
            .description("Column holding each record's key: string or binary as it is, a struct, map or array as JSON,"
                    + " anything else as its text; without it, records have no key")
            .build();
    static final OptionSpec<String> KEY_FORMAT = OptionSpec.oneOfOption(
                    "key.format", "auto", "avro", "json-schema", "protobuf")
            .defaultValue("auto")
            .description("How to encode key.column: auto (string or binary as it is, a struct, map or array as JSON,"
                    + " anything else as its text), or avro, json-schema, protobuf through the registry (a struct as a"
                    + " record, message or object of its fields; a scalar as the format's own type, in Protobuf a"
                    + " message Key with the one field)")
            .build();
    static final OptionSpec<String> KEY_SUBJECT = OptionSpec.stringOption("key.subject")
            .check(io.sluice.core.option.OptionCheck.nonEmpty())
            .description("The registry subject of the key's schema (avro, json-schema, protobuf; default: by"
                    + " key.subject.strategy)")
            .build();
    static final OptionSpec<String> KEY_SUBJECT_STRATEGY = SchemaNaming.strategyOption("key");
    static final OptionSpec<String> KEY_RECORD_NAME = OptionSpec.stringOption("key.recordName")
            .check(KafkaSinkOptions::checkAvroName)
            .description("The name of the key's Avro record, Protobuf message or JSON Schema title (default: Key)")
            .build();
    static final OptionSpec<String> KEY_NAMESPACE = OptionSpec.stringOption("key.namespace")
            .check(KafkaSinkOptions::checkAvroNamespace)
            .description(
                    "The namespace of the key's Avro record, or the package of its Protobuf message (default: none)")
            .build();

    /** How the value's schema and subject are named. */
    static final SchemaNaming VALUE_NAMING = new SchemaNaming(
            "value",
            VALUE_FORMAT,
            VALUE_SUBJECT,
            VALUE_SUBJECT_STRATEGY,
            VALUE_RECORD_NAME,
            VALUE_NAMESPACE,
            "topLevelRecord");
    /** How the key's schema and subject are named. */
    static final SchemaNaming KEY_NAMING = new SchemaNaming(
            "key", KEY_FORMAT, KEY_SUBJECT, KEY_SUBJECT_STRATEGY, KEY_RECORD_NAME, KEY_NAMESPACE, "Key");

    static final OptionSpec<String> HEADERS = OptionSpec.stringOption("headers")
            .description("Column of record headers, array<struct<key: string, value: binary>> (the kafka source's"
                    + " 'headers' with includeHeaders)")
            .build();

    /** Every option: the connector's own, then the registry's (shared with the other Kafka connector). */
    static final List<OptionSpec<?>> ALL = withRegistry(List.of(
            BOOTSTRAP_SERVERS,
            TOPIC,
            VALUE_FORMAT,
            VALUE_SUBJECT,
            VALUE_SUBJECT_STRATEGY,
            VALUE_RECORD_NAME,
            VALUE_NAMESPACE,
            KEY_COLUMN,
            KEY_FORMAT,
            KEY_SUBJECT,
            KEY_SUBJECT_STRATEGY,
            KEY_RECORD_NAME,
            KEY_NAMESPACE,
            HEADERS));

    /** Avro's rule for a name: a letter or underscore, then letters, digits and underscores. */
    private static final java.util.regex.Pattern AVRO_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static java.util.Optional<String> checkAvroName(String name) {
        return AVRO_NAME.matcher(name).matches()
                ? java.util.Optional.empty()
                : java.util.Optional.of("is not an Avro name (a letter or _, then letters, digits and _)");
    }

    private static java.util.Optional<String> checkAvroNamespace(String namespace) {
        for (String part : namespace.split("\\.", -1)) {
            if (!AVRO_NAME.matcher(part).matches()) {
                return java.util.Optional.of("is not an Avro namespace (names separated by dots, like com.shop)");
            }
        }
        return java.util.Optional.empty();
    }

    /** Every Kafka producer setting, checked against the producer's own list; passwords are secret. */
    static final OptionPrefix KAFKA = KafkaSettings.prefix(
            "Kafka producer settings (acks, compression, security, ...), passed to the producer as they are",
            ProducerConfig.configDef());

    /** What Spark's Kafka writer refuses, and why. */
    static final Map<String, String> REJECTED = Map.of(
            "kafka.key.serializer", "Spark writes keys as bytes; choose what they hold with 'key.column'",
            "kafka.value.serializer", "Spark writes values as bytes; choose how they are encoded with 'value.format'");

    private static List<OptionSpec<?>> withRegistry(List<OptionSpec<?>> own) {
        List<OptionSpec<?>> all = new java.util.ArrayList<>(own);
        all.addAll(RegistrySettings.ALL);
        return List.copyOf(all);
    }
}
