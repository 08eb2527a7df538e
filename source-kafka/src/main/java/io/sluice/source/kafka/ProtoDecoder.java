package io.sluice.source.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.RegistryProtobuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Decodes one framed Protobuf key or value on an executor: after the magic byte and the schema
 * id, Confluent's message indexes (a zig-zag varint count, then the indexes; {@code [0]}, the
 * file's first message, as the single byte 0) say which message of the writer's file wrote it;
 * a record of the reader's message is parsed with the reader's descriptor — Protobuf's own
 * resolution by field number, so older and newer writers read alike — and becomes a row
 * ({@link ProtoRows}). The row's last field is the error, null when it decoded.
 */
final class ProtoDecoder implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;

    private final String part;
    private final RegistryProtobuf.Files reader;
    private final String message;
    /**
     * Per writer id, the full name of each message by its index path ({@code "0"}, {@code "1.0"});
     * under {@link #ANY_ID}, the paths of a fixed schema, which every id is read with.
     */
    private final Map<Integer, Map<String, String>> names;

    /** The key of {@link #names} of a fixed schema (a descriptor set, no registry): any id. */
    static final int ANY_ID = -1;

    private final int width;
    private transient Descriptor descriptor;

    ProtoDecoder(
            String part,
            RegistryProtobuf.Files reader,
            String message,
            Map<Integer, Map<String, String>> names,
            int width) {
        this.part = part;
        this.reader = reader;
        this.message = message;
        this.names = Map.copyOf(names);
        this.width = width;
    }

    /** Each message of a file by its index path, nested ones under their parent's. */
    static Map<String, String> indexes(com.google.protobuf.Descriptors.FileDescriptor file) {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        List<Descriptor> top = file.getMessageTypes();
        for (int i = 0; i < top.size(); i++) {
            add(names, String.valueOf(i), top.get(i));
        }
        return names;
    }

    private static void add(Map<String, String> names, String path, Descriptor message) {
        names.put(path, message.getFullName());
        List<Descriptor> nested = message.getNestedTypes();
        for (int i = 0; i < nested.size(); i++) {
            add(names, path + "." + i, nested.get(i));
        }
    }

    @Override
    public Row call(byte[] raw) {
        if (raw == null || raw.length < ConfluentFrame.HEADER) {
            return null;
        }
        int id = ((raw[1] & 0xFF) << 24) | ((raw[2] & 0xFF) << 16) | ((raw[3] & 0xFF) << 8) | (raw[4] & 0xFF);
        try {
            CodedInputStream in =
                    CodedInputStream.newInstance(raw, ConfluentFrame.HEADER, raw.length - ConfluentFrame.HEADER);
            int count = in.readSInt32();
            List<String> path = new ArrayList<>();
            if (count == 0) {
                path.add("0");
            }
            for (int i = 0; i < count; i++) {
                path.add(String.valueOf(in.readSInt32()));
            }
            String index = String.join(".", path);
            String written =
                    names.getOrDefault(id, names.getOrDefault(ANY_ID, Map.of())).get(index);
            if (written == null) {
                return failed(DecodeFailure.NOT_PROTOBUF.says(part) + " written with schema id " + id + ": its message"
                        + " indexes [" + path.stream().collect(Collectors.joining(", ")) + "] name no message of"
                        + " that schema");
            }
            if (!written.equals(message)) {
                return failed(DecodeFailure.OTHER_MESSAGE.says(part) + " '" + written + "' of schema id " + id
                        + ", not '" + message + "', the message read: set " + part + ".protobuf.message to read"
                        + " that one (in a pipeline of its own)");
            }
            DynamicMessage decoded = DynamicMessage.parseFrom(descriptor(), in);
            Row row = ProtoRows.row(decoded);
            Object[] values = new Object[width + 1];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            return RowFactory.create(values);
        } catch (InvalidProtocolBufferException e) {
            return failed(DecodeFailure.NOT_PROTOBUF.says(part) + " written with schema id " + id + " (message '"
                    + message + "'): " + e.getMessage());
        } catch (java.io.IOException e) {
            return failed(
                    DecodeFailure.NOT_PROTOBUF.says(part) + " written with schema id " + id + ": " + e.getMessage());
        }
    }

    private Row failed(String error) {
        Object[] values = new Object[width + 1];
        values[width] = error;
        return RowFactory.create(values);
    }

    private Descriptor descriptor() {
        if (descriptor == null) {
            for (com.google.protobuf.Descriptors.FileDescriptor file : reader.buildAll()) {
                descriptor = descriptor == null ? find(file, message) : descriptor;
            }
        }
        return descriptor;
    }

    /** A message of the file (nested ones too) by its full name. */
    static Descriptor find(com.google.protobuf.Descriptors.FileDescriptor file, String fullName) {
        List<Descriptor> queue = new ArrayList<>(file.getMessageTypes());
        while (!queue.isEmpty()) {
            Descriptor next = queue.remove(0);
            if (next.getFullName().equals(fullName)) {
                return next;
            }
            queue.addAll(next.getNestedTypes());
        }
        return null;
    }
}
