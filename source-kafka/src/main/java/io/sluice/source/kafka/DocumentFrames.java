package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.KEY_AVRO;
import static io.sluice.source.kafka.KafkaSourceOptions.VALUE_AVRO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors;
import io.sluice.core.SampleRecord;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.registry.AvroDocuments;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryAvro;
import io.sluice.kafka.registry.RegistryProtobuf;
import io.sluice.kafka.registry.RegistrySettings;
import io.sluice.kafka.registry.SchemaRegistryClient;
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
    /** Per part, made at its first document: new versions registered later need new frames. */
    private final Map<SampleRecord.Part, Writer> writers = new java.util.EnumMap<>(SampleRecord.Part.class);

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
        Writer writer = writers.get(part);
        if (writer == null) { // asked once per part: the registry's latest version, parsed
            writer = writer(spec, format);
            writers.put(part, writer);
        }
        return frame(
                writer.id(), writer.datum() == null ? document : writer.datum().apply(node));
    }

    /** How a part's documents are written: the schema id its frames carry, and the datum of a document (null: as given). */
    private record Writer(int id, java.util.function.Function<JsonNode, byte[]> datum) {}

    private Writer writer(KafkaSourceOptions.RegistryOptions spec, String format) {
        boolean fixed = spec.fixedSchema(format).filter(options::isSet).isPresent();
        if (format.equals("avro")) {
            if (fixed) {
                Schema schema = new Schema.Parser().parse(options.get(spec.schema()));
                return new Writer(FIXED_ID, node -> AvroDocuments.encode(node, schema));
            }
            RegisteredSchema registered = latest(spec);
            Schema schema = RegistryAvro.parse(client(), registered);
            return new Writer(registered.id(), node -> AvroDocuments.encode(node, schema));
        }
        if (format.equals("protobuf")) {
            if (fixed) {
                String path = options.get(spec.protobufDescriptorFile());
                try {
                    return message(
                            spec,
                            FIXED_ID,
                            RegistryProtobuf.descriptorSet(Files.readAllBytes(Path.of(path)))
                                    .buildAll(),
                            path);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
                }
            }
            RegisteredSchema registered = latest(spec);
            return message(
                    spec,
                    registered.id(),
                    List.of(RegistryProtobuf.files(client(), registered).build()),
                    registered.describe());
        }
        return new Writer(latest(spec).id(), null); // JSON Schema: the document's own text
    }

    /** The message the part is read as (its option, else the first of the first file), with its index path. */
    private Writer message(
            KafkaSourceOptions.RegistryOptions spec, int id, List<Descriptors.FileDescriptor> files, String origin) {
        String wanted = options.find(spec.protobufMessage()).orElse(null);
        for (Descriptors.FileDescriptor file : files) {
            for (Map.Entry<String, String> named : ProtoDecoder.indexes(file).entrySet()) {
                if (wanted == null || named.getValue().equals(wanted)) {
                    List<Integer> path = new ArrayList<>();
                    for (String index : named.getKey().split("\\.")) {
                        path.add(Integer.parseInt(index));
                    }
                    Descriptors.Descriptor message = ProtoDecoder.find(file, named.getValue());
                    return new Writer(id, node -> ProtoDocuments.encode(node, message, path));
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
