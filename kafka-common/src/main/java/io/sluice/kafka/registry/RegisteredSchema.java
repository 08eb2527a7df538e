package io.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One schema as a Confluent-compatible registry serves it: under a subject and version (both
 * unknown when fetched by id alone), its global id, its type and text, and the other schemas it
 * references by name.
 */
public record RegisteredSchema(
        String subject, int version, int id, String type, String text, List<Reference> references) {
    /** The registry's type when it names none: Avro. */
    public static final String AVRO = "AVRO";

    public RegisteredSchema {
        requireNonNull(subject, "subject is null");
        requireNonNull(type, "type is null");
        requireNonNull(text, "text is null");
        references = List.copyOf(references);
    }

    /** {@code subject 'orders-value' version 2 (id 7)}, or {@code schema id 7} when fetched by id. */
    public String describe() {
        return subject.isEmpty()
                ? "schema id " + id
                : "subject '" + subject + "' version " + version + " (id " + id + ")";
    }

    /** A named schema another one uses, as registered under {@code subject} at {@code version}. */
    public record Reference(String name, String subject, int version) {
        public Reference {
            requireNonNull(name, "name is null");
            requireNonNull(subject, "subject is null");
        }
    }
}
