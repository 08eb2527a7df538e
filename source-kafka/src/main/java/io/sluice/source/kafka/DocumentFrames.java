package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.KEY_AVRO;
import static io.sluice.source.kafka.KafkaSourceOptions.VALUE_AVRO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryAvro;
import io.sluice.kafka.registry.RegistryProtobuf;
import io.sluice.kafka.registry.RegistrySettings;
import io.sluice.kafka.registry.SchemaRegistryClient;
import io.sluice.spi.SampleRecord;
import io.sluice.spi.option.ConnectorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A key or value given by hand as a document (JSON text) written as a producer of the part's
 * format writes it: Avro, Protobuf or JSON Schema in Confluent's framing, with the schema the
 * source reads — the latest version of the part's subject in the registry the options name (in
 * a test, the fixture's stand-in), or the fixed schema of {@code value.avroSchema} or {@code
 * value.protobuf.descriptorFile}; JSON and text formats as the document's text. So a test gives
 * an Avro record as readably as a JSON one, and the source decodes real frames.
 */
final class DocumentFrames {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The id a frame carries for a fixed schema, which reads every id alike. */
    private static final int FIXED_ID = 1;

    private final ConnectorOptions options;
    private SchemaRegistryClient client;

    DocumentFrames(ConnectorOptions options) {
        this.options = options;
    }

    /** The part's bytes; an error in words (the field, what its schema wants) when the document does not fit. */
    byte[] write(SampleRecord.Part part, byte[] document) {
        KafkaSourceOptions.RegistryOptions spec = part == SampleRecord.Part.KEY ? KEY_AVRO : VALUE_AVRO;
        String format = options.get(spec.format());
        if (!RegistryRules.REGISTRY_FORMATS.contains(format)) {
            return document;
        }
        JsonNode node;
        try {
            node = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not a document: " + e.getMessage().lines().findFirst().orElse(""));
        }
        boolean fixed = spec.fixedSchema(format).filter(options::isSet).isPresent();
        return switch (format) {
            case "avro" ->
                fixed
                        ? frame(
                                FIXED_ID,
                                AvroDocuments.encode(node, new Schema.Parser().parse(options.get(spec.schema()))))
                        : avro(spec, node);
            case "protobuf" -> fixed ? fixedProtobuf(spec, node) : protobuf(spec, node);
            default -> frame(latest(spec).id(), document);
        };
    }

    private byte[] avro(KafkaSourceOptions.RegistryOptions spec, JsonNode node) {
        RegisteredSchema schema = latest(spec);
        return frame(schema.id(), AvroDocuments.encode(node, RegistryAvro.parse(client(), schema)));
    }

    private byte[] protobuf(KafkaSourceOptions.RegistryOptions spec, JsonNode node) {
        RegisteredSchema schema = latest(spec);
        Descriptors.FileDescriptor file =
                RegistryProtobuf.files(client(), schema).build();
        return frame(schema.id(), message(spec, List.of(file), node, schema.describe()));
    }

    private byte[] fixedProtobuf(KafkaSourceOptions.RegistryOptions spec, JsonNode node) {
        String path = options.get(spec.protobufDescriptorFile());
        List<Descriptors.FileDescriptor> files;
        try {
            files = RegistryProtobuf.descriptorSet(Files.readAllBytes(Path.of(path)))
                    .buildAll();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return frame(FIXED_ID, message(spec, files, node, path));
    }

    /** The message the part is read as (its option, else the first of the first file), with its index path. */
    private byte[] message(
            KafkaSourceOptions.RegistryOptions spec,
            List<Descriptors.FileDescriptor> files,
            JsonNode node,
            String origin) {
        String wanted = options.find(spec.protobufMessage()).orElse(null);
        for (Descriptors.FileDescriptor file : files) {
            for (Map.Entry<String, String> named : ProtoDecoder.indexes(file).entrySet()) {
                if (wanted == null || named.getValue().equals(wanted)) {
                    List<Integer> path = new ArrayList<>();
                    for (String index : named.getKey().split("\\.")) {
                        path.add(Integer.parseInt(index));
                    }
                    return ProtoDocuments.encode(node, ProtoDecoder.find(file, named.getValue()), path);
                }
            }
        }
        throw new IllegalArgumentException(origin + " has no message " + (wanted == null ? "" : "'" + wanted + "'"));
    }

    private RegisteredSchema latest(KafkaSourceOptions.RegistryOptions spec) {
        return client().version(SubjectLookup.subject(spec, options, RegistryRules.topics(options)), "latest");
    }

    private SchemaRegistryClient client() {
        if (client == null) {
            client = RegistrySettings.client(options);
        }
        return client;
    }

    private static byte[] frame(int id, byte[] datum) {
        byte[] header = ConfluentFrame.header(id);
        byte[] framed = new byte[header.length + datum.length];
        System.arraycopy(header, 0, framed, 0, header.length);
        System.arraycopy(datum, 0, framed, header.length, datum.length);
        return framed;
    }
}
