package io.sluice.sink.kafka;

import io.sluice.kafka.KafkaSettings;
import io.sluice.spi.option.OptionPrefix;
import io.sluice.spi.option.OptionSpec;
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
    static final OptionSpec<String> VALUE_FORMAT = OptionSpec.oneOfOption("value.format", "json", "string", "binary")
            .defaultValue("json")
            .description(
                    "How to encode the value: json (every column but the key, topic and headers, as one JSON object),"
                            + " string or binary (the query's 'value' column as it is)")
            .build();
    static final OptionSpec<String> KEY_COLUMN = OptionSpec.stringOption("key.column")
            .description("Column holding each record's key: string or binary as it is, a struct, map or array as JSON,"
                    + " anything else as its text; without it, records have no key")
            .build();
    static final OptionSpec<String> HEADERS = OptionSpec.stringOption("headers")
            .description("Column of record headers, array<struct<key: string, value: binary>> (the kafka source's"
                    + " 'headers' with includeHeaders)")
            .build();

    static final List<OptionSpec<?>> ALL = List.of(BOOTSTRAP_SERVERS, TOPIC, VALUE_FORMAT, KEY_COLUMN, HEADERS);

    /** Every Kafka producer setting, checked against the producer's own list; passwords are secret. */
    static final OptionPrefix KAFKA = KafkaSettings.prefix(
            "Kafka producer settings (acks, compression, security, ...), passed to the producer as they are",
            ProducerConfig.configDef());

    /** What Spark's Kafka writer refuses, and why. */
    static final Map<String, String> REJECTED = Map.of(
            "kafka.key.serializer", "Spark writes keys as bytes; choose what they hold with 'key.column'",
            "kafka.value.serializer", "Spark writes values as bytes; choose how they are encoded with 'value.format'");
}
