package io.sluice.kafka.registry;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * An Avro schema from the registry with the named types it references resolved: each reference
 * (and theirs, depth first) is parsed into the same parser before the schema that uses it, as
 * Confluent's serializers do, so the result stands alone ({@link Schema#toString()} writes every
 * named type in full) and can be handed to Spark's {@code from_avro}.
 */
public final class RegistryAvro {
    private RegistryAvro() {}

    public static Schema parse(SchemaRegistryClient client, RegisteredSchema schema) {
        if (!schema.type().equals(RegisteredSchema.AVRO)) {
            throw new RegistryException(
                    schema.describe() + " in the schema registry at " + client.url() + " is " + schema.type()
                            + ", not Avro: set the format to match what the producers write",
                    0,
                    null);
        }
        Schema.Parser parser = new Schema.Parser();
        addReferences(client, schema, parser, new HashSet<>());
        try {
            return parser.parse(schema.text());
        } catch (SchemaParseException e) {
            throw new RegistryException(
                    schema.describe() + " in the schema registry at " + client.url() + " is not an Avro schema: "
                            + e.getMessage(),
                    0,
                    e);
        }
    }

    private static void addReferences(
            SchemaRegistryClient client, RegisteredSchema schema, Schema.Parser parser, Set<String> seen) {
        for (RegisteredSchema.Reference reference : schema.references()) {
            if (!seen.add(reference.subject() + "/" + reference.version())) {
                continue;
            }
            RegisteredSchema referenced = client.version(reference.subject(), String.valueOf(reference.version()));
            addReferences(client, referenced, parser, seen);
            try {
                parser.parse(referenced.text());
            } catch (SchemaParseException e) {
                throw new RegistryException(
                        referenced.describe() + ", which " + schema.describe() + " references as '" + reference.name()
                                + "', is not an Avro schema: " + e.getMessage(),
                        0,
                        e);
            }
        }
    }
}
