package io.sluice.source.kafka;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.Suggestions;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryException;
import io.sluice.kafka.registry.RegistrySettings;
import io.sluice.kafka.registry.SchemaRegistryClient;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The reader schema of a key or value read through the registry: the subject (given, or the
 * topic's name and -key/-value) at its latest or pinned version, asked once at start. A subject
 * or version the registry lacks is an error in words, with "did you mean" among its subjects or
 * the versions it has.
 */
record SubjectLookup(SchemaRegistryClient client, String subject, RegisteredSchema reader) {

    static SubjectLookup of(KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options, List<String> topics) {
        SchemaRegistryClient client = RegistrySettings.client(options);
        String subject = subject(spec, options, topics);
        String version = options.find(spec.version()).orElse("latest");
        try {
            return new SubjectLookup(client, subject, client.version(subject, version));
        } catch (RegistryException e) {
            throw new IllegalArgumentException(missing(client, e, spec, options, subject), e);
        }
    }

    /** The part's subject: as given, or the topic's name and -key or -value (Confluent's topic-name strategy). */
    static String subject(KafkaSourceOptions.RegistryOptions spec, ConnectorOptions options, List<String> topics) {
        return options.find(spec.subject()).orElseGet(() -> topics.get(0) + "-" + spec.part());
    }

    /** Every version of the subject, oldest first. */
    List<RegisteredSchema> versions() {
        return client.versions(subject).stream()
                .map(each -> each == reader.version() ? reader : client.version(subject, String.valueOf(each)))
                .toList();
    }

    /** The registry's "not found", with the subjects it has when the subject is the missing thing. */
    private static String missing(
            SchemaRegistryClient client,
            RegistryException e,
            KafkaSourceOptions.RegistryOptions spec,
            ConnectorOptions options,
            String subject) {
        if (e.errorCode() == 40402) {
            try {
                return e.getMessage() + " (it has versions "
                        + client.versions(subject).stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ")";
            } catch (RegistryException ignored) {
                return e.getMessage();
            }
        }
        if (e.errorCode() != 40401) {
            return e.getMessage();
        }
        String how = options.isSet(spec.subject())
                ? "option '" + spec.subject().name() + "' = '" + subject + "'"
                : "subject '" + subject + "' (the topic's name and -" + spec.part() + "; set "
                        + spec.subject().name() + " to read another)";
        List<String> subjects;
        try {
            subjects = client.subjects();
        } catch (RegistryException ignored) {
            subjects = List.of();
        }
        return how + ": the schema registry at " + client.url() + " has no such subject"
                + Suggestions.didYouMean(subject, subjects);
    }
}
