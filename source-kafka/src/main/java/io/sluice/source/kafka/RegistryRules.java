package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.ASSIGN;
import static io.sluice.source.kafka.KafkaSourceOptions.KEY_AVRO;
import static io.sluice.source.kafka.KafkaSourceOptions.SUBSCRIBE;
import static io.sluice.source.kafka.KafkaSourceOptions.VALUE_AVRO;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import io.sluice.kafka.registry.RegistrySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * What the registry formats' options (Avro, JSON Schema) need of each other, checked before start
 * without asking the registry: where the schemas come from, which subject, and that no registry
 * option is set in vain.
 */
final class RegistryRules {
    private RegistryRules() {}

    static List<OptionRule> all() {
        List<OptionRule> rules = new ArrayList<>();
        for (KafkaSourceOptions.RegistryOptions part : List.of(VALUE_AVRO, KEY_AVRO)) {
            rules.add(OptionRules.onlyWhen(part.schema(), part.format(), "avro"));
            rules.add(OptionRules.onlyWhen(part.protobufMessage(), part.format(), "protobuf"));
            rules.add(OptionRules.onlyWhen(part.protobufDescriptorFile(), part.format(), "protobuf"));
            for (OptionSpec<?> subjectOption : List.of(part.subject(), part.version(), part.onNewSchema())) {
                rules.add(options ->
                        options.isSet(subjectOption) && !REGISTRY_FORMATS.contains(options.get(part.format()))
                                ? List.of("option '" + subjectOption.name() + "' is only used when '"
                                        + part.format().name() + "' is avro, json-schema or protobuf (it is "
                                        + options.get(part.format()) + ")")
                                : List.of());
            }
            rules.add(options -> partRule(part, options));
        }
        rules.add(RegistryRules::registryRule);
        rules.addAll(RegistrySettings.rules());
        return rules;
    }

    /** The formats whose records carry a registry's schema id. */
    static final List<String> REGISTRY_FORMATS = List.of("avro", "json-schema", "protobuf");

    /** Whether the part is read through the registry: Avro without a fixed schema, or JSON Schema. */
    static boolean usesRegistry(KafkaSourceOptions.RegistryOptions part, ConnectorOptions options) {
        String format = options.get(part.format());
        return REGISTRY_FORMATS.contains(format)
                && part.fixedSchema(format).filter(options::isSet).isEmpty();
    }

    /** The topics named by subscribe or assign (none for a pattern): the subject's default needs exactly one. */
    static List<String> topics(ConnectorOptions options) {
        if (options.isSet(SUBSCRIBE)) {
            return KafkaJson.topicList(options.get(SUBSCRIBE));
        }
        return options.find(ASSIGN)
                .map(text -> KafkaJson.topics(text).stream().sorted().toList())
                .orElse(List.of());
    }

    private static List<String> partRule(KafkaSourceOptions.RegistryOptions part, ConnectorOptions options) {
        String value = options.get(part.format());
        if (!REGISTRY_FORMATS.contains(value)) {
            return List.of();
        }
        String format = "option '" + part.format().name() + "' = '" + value + "'";
        java.util.Optional<OptionSpec<String>> fixed = part.fixedSchema(value);
        if (fixed.filter(options::isSet).isPresent()) {
            List<String> problems = new ArrayList<>();
            for (OptionSpec<?> registryOnly : List.of(part.subject(), part.version(), part.onNewSchema())) {
                if (options.isSet(registryOnly)) {
                    problems.add("option '" + registryOnly.name() + "' is not used with '"
                            + fixed.get().name() + "' (a fixed schema): set one or the other");
                }
            }
            return problems;
        }
        if (!options.isSet(RegistrySettings.URL)) {
            return List.of(format + " needs option '" + RegistrySettings.URL.name()
                    + "' (the registry the writers' schemas come from)"
                    + fixed.map(option -> " or '" + option.name() + "' (one fixed schema)")
                            .orElse(""));
        }
        List<String> topics = topics(options);
        if (!options.isSet(part.subject()) && topics.size() != 1) {
            return List.of(format + " needs option '" + part.subject().name() + "' when the source reads "
                    + (topics.isEmpty() ? "a pattern" : "several topics (" + String.join(", ", topics) + ")")
                    + ": the subject is the topic's name and -" + part.part() + " only for one topic");
        }
        return List.of();
    }

    private static List<String> registryRule(ConnectorOptions options) {
        if (usesRegistry(VALUE_AVRO, options) || usesRegistry(KEY_AVRO, options)) {
            return List.of();
        }
        List<String> set = RegistrySettings.ALL.stream()
                .map(OptionSpec::name)
                .filter(options::isSet)
                .toList();
        return set.isEmpty()
                ? List.of()
                : List.of(
                        "option" + (set.size() == 1 ? " '" : "s '") + String.join("', '", set) + "' "
                                + (set.size() == 1 ? "is" : "are")
                                + " only used when 'value.format' or 'key.format' is json-schema, protobuf, or avro without a fixed schema");
    }
}
