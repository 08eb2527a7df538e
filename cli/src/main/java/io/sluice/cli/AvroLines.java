package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.SampleRecord;
import io.sluice.kafka.registry.AvroDocuments;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryAvro;
import io.sluice.kafka.registry.RegistryException;
import io.sluice.kafka.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The values of {@code sluice dev produce --value-format avro}: each line a JSON document,
 * written as an Avro producer writes it — Confluent's framing with the id of the subject's schema
 * and the datum — by the same code that writes a test's documents ({@link AvroDocuments}), so a
 * value that is wrong for the schema is named with its field before anything is produced.
 */
final class AvroLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AvroLines() {}

    static List<SampleRecord> frame(List<SampleRecord> lines, String subject, String url, Optional<Path> schemaFile)
            throws IOException {
        SchemaRegistryClient client =
                new SchemaRegistryClient(url, Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
        RegisteredSchema registered;
        try {
            if (schemaFile.isPresent()) {
                String text = Files.readString(schemaFile.get(), StandardCharsets.UTF_8);
                try {
                    new Schema.Parser().parse(text);
                } catch (org.apache.avro.SchemaParseException e) {
                    throw new IllegalArgumentException(
                            "--value-schema " + schemaFile.get() + " is not an Avro schema: " + e.getMessage());
                }
                client.register(subject, text);
            }
            registered = client.version(subject, "latest");
        } catch (RegistryException e) {
            throw new IllegalStateException(
                    "the schema registry at " + SchemaRegistryClient.redact(url) + ": " + e.getMessage()
                            + (schemaFile.isEmpty() ? " (give --value-schema FILE.avsc to register one)" : ""));
        }
        Schema schema = RegistryAvro.parse(client, registered);
        byte[] header = ConfluentFrame.header(registered.id());
        List<SampleRecord> framed = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            SampleRecord line = lines.get(i);
            JsonNode document;
            try {
                document = JSON.readTree(line.value());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "record " + (i + 1) + " is not a JSON document: " + e.getOriginalMessage());
            }
            byte[] datum;
            try {
                datum = AvroDocuments.encode(document, schema);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "record " + (i + 1) + " does not fit " + registered.describe() + ": " + e.getMessage());
            }
            byte[] value = new byte[header.length + datum.length];
            System.arraycopy(header, 0, value, 0, header.length);
            System.arraycopy(datum, 0, value, header.length, datum.length);
            framed.add(new SampleRecord(line.key(), value, line.headers(), line.partition(), line.timestamp()));
        }
        return framed;
    }
}
