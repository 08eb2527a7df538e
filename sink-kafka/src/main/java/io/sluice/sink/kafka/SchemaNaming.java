package io.sluice.sink.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The options that name a registry schema and the subject it is registered under, for the
 * value or for the key: the subject given, or named by one of Confluent's strategies from the
 * topic and the schema's full name. One piece of code serves both parts, so the key's subject
 * follows exactly the value's rules (Confluent's {@code key.subject.name.strategy} and {@code
 * value.subject.name.strategy}).
 *
 * @param part "value" or "key", as the options and messages name it
 * @param format the part's format option
 * @param subject the option giving the subject
 * @param strategy the option choosing the strategy
 * @param recordName the option naming the record (message, title)
 * @param namespace the option giving its namespace (package)
 * @param defaultName the record's name when {@code recordName} is not set
 */
record SchemaNaming(
        String part,
        OptionSpec<String> format,
        OptionSpec<String> subject,
        OptionSpec<String> strategy,
        OptionSpec<String> recordName,
        OptionSpec<String> namespace,
        String defaultName) {
    static final String TOPIC_NAME = "topic_name";
    static final String RECORD_NAME = "record_name";
    static final String TOPIC_RECORD_NAME = "topic_record_name";

    SchemaNaming {
        requireNonNull(part, "part is null");
        requireNonNull(format, "format is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(strategy, "strategy is null");
        requireNonNull(recordName, "recordName is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(defaultName, "defaultName is null");
    }

    /** The strategy option's declaration for {@code part}. */
    static OptionSpec<String> strategyOption(String part) {
        return OptionSpec.oneOfOption(part + ".subject.strategy", TOPIC_NAME, RECORD_NAME, TOPIC_RECORD_NAME)
                .description("How the " + part + "'s subject is named when " + part + ".subject is not set, as"
                        + " Confluent's strategies: topic_name (the topic and -" + part + "; the default), record_name"
                        + " (the full name of the " + part + "'s record, message or title: " + part + ".namespace and "
                        + part + ".recordName), topic_record_name (the topic, -, and that full name)")
                .build();
    }

    /** The record's (message's, title's) name. */
    String name(ConnectorOptions options) {
        return options.find(recordName).orElse(defaultName);
    }

    /** The record's namespace (the message's package), empty for none. */
    String namespace(ConnectorOptions options) {
        return options.find(namespace).orElse("");
    }

    /** The subject {@code schema} is registered under. */
    String subject(ConnectorOptions options, RegistryValue schema) {
        return options.find(subject).orElseGet(() -> switch (strategy(options)) {
            case RECORD_NAME -> schema.name();
            case TOPIC_RECORD_NAME -> topic(options) + "-" + schema.name();
            default -> topic(options) + "-" + part;
        });
    }

    /**
     * Why the subject of {@code schema} cannot be named by the strategy: a record-name strategy
     * needs a named schema, and Avro's own types ({@code "string"}) have no name; empty when it can.
     */
    Optional<String> problem(ConnectorOptions options, RegistryValue schema) {
        if (options.isSet(subject) || strategy(options).equals(TOPIC_NAME) || schema.named()) {
            return Optional.empty();
        }
        return Optional.of("option '" + strategy.name() + "' = '" + strategy(options) + "' names the subject after the "
                + part + "'s record, and a " + part + " that is not a struct is, in " + options.get(format)
                + ", the format's own type (" + schema.name() + "), which has no name; set '" + subject.name()
                + "', or use " + TOPIC_NAME);
    }

    /** The rules of these options: used only with a registry format; a topic when the subject is named after it. */
    List<OptionRule> rules() {
        List<OptionRule> rules = new ArrayList<>();
        for (OptionSpec<String> option : List.of(subject, strategy, recordName, namespace)) {
            rules.add(OptionRules.onlyWhen(option, format, RegistryValue.FORMATS));
        }
        rules.add(options -> RegistryValue.FORMATS.contains(options.get(format))
                        && !options.isSet(subject)
                        && !options.isSet(KafkaSinkOptions.TOPIC)
                        && !strategy(options).equals(RECORD_NAME)
                ? List.of("option '" + format.name() + "' = '" + options.get(format) + "' needs option 'topic' or '"
                        + subject.name() + "': the subject is named after the topic (" + strategy.name()
                        + "), and without 'topic' each row picks its own")
                : List.of());
        return List.copyOf(rules);
    }

    private String strategy(ConnectorOptions options) {
        return options.find(strategy).orElse(TOPIC_NAME);
    }

    private static String topic(ConnectorOptions options) {
        return options.get(KafkaSinkOptions.TOPIC);
    }
}
