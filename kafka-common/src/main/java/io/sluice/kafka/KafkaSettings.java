package io.sluice.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * The Kafka settings a connector passes through, declared from the Kafka client's own
 * {@link ConfigDef}: its names (a typo gets "did you mean"), its secrets (PASSWORD-typed keys
 * and the JAAS config) and its value checks (types and allowed values), so that
 * {@code kafka.security.protocol=PLAINTEXTT} or {@code kafka.request.timeout.ms=abc} is refused
 * before start instead of failing inside the first batch.
 */
public final class KafkaSettings {
    private KafkaSettings() {}

    /** {@code kafka.bootstrap.servers}, required, each entry host:port. */
    public static OptionSpec<String> bootstrapServers() {
        return OptionSpec.stringOption("kafka.bootstrap.servers")
                .required()
                .check(KafkaSettings::checkServers)
                .description("Comma-separated host:port list of Kafka brokers")
                .build();
    }

    /** {@code kafka.*}: the client's settings, checked against {@code config}. */
    public static OptionPrefix prefix(String description, ConfigDef config) {
        requireNonNull(config, "config is null");
        return OptionPrefix.checked("kafka.", description, config.names(), key -> isSecret(config, key))
                .withValueCheck((key, value) -> checkValue(config, key, value));
    }

    static boolean isSecret(ConfigDef config, String key) {
        ConfigDef.ConfigKey definition = config.configKeys().get(key);
        return (definition != null && definition.type == ConfigDef.Type.PASSWORD) || key.equals("sasl.jaas.config");
    }

    /** Why the client would refuse {@code value} for {@code key}, in its own words; empty when it would take it. */
    static Optional<String> checkValue(ConfigDef config, String key, String value) {
        ConfigDef.ConfigKey definition = config.configKeys().get(key);
        if (definition == null) {
            return Optional.empty();
        }
        if (key.equals("bootstrap.servers")) {
            return checkServers(value);
        }
        if (key.equals(SaslConfigs.SASL_JAAS_CONFIG)) {
            return checkJaas(value);
        }
        if (isSecret(config, key)) {
            return Optional.empty(); // the client's own messages may quote a value: secrets are not given to them
        }
        try {
            Object parsed = ConfigDef.parseType(key, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(key, parsed);
            }
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Parsed with the Kafka client's own JAAS parser, as the client will at start: a malformed
     * value is refused here, in words that never repeat it, instead of in the client's exception,
     * which quotes the value — password included — into the log and Spark's event log.
     */
    static Optional<String> checkJaas(String value) {
        try {
            JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(value)));
            return Optional.empty();
        } catch (IllegalArgumentException | SecurityException e) {
            return Optional.of("is not a JAAS configuration the Kafka client can read: one login module, as"
                    + " <LoginModule class> required <key>=\"<value>\" ...;  (ending with a semicolon)");
        }
    }

    private static Optional<String> checkServers(String servers) {
        List<String> bad = Arrays.stream(servers.split(","))
                .map(String::strip)
                .filter(entry -> !entry.matches("\\[?[^\\s\\[\\]]+\\]?:\\d{1,5}"))
                .toList();
        return bad.isEmpty()
                ? Optional.empty()
                : Optional.of("must be host:port entries separated by commas"
                        + " (e.g. broker1:9092,broker2:9092); not host:port: " + String.join(", ", bad));
    }
}
