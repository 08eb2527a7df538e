package io.sluice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Records as registry-aware producers write them, for tests: Confluent's framing (the magic byte
 * 0, the schema id as a big-endian int) around an Avro datum from Avro's own
 * {@link BinaryEncoder}, a Protobuf message after its message indexes, or a JSON text. Written here from the specification, apart from the
 * decoders under test.
 */
public final class ConfluentFrames {
    private ConfluentFrames() {}

    private static ByteArrayOutputStream header(int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        return out;
    }

    /**
     * A Protobuf message framed with schema {@code id}, after Confluent's message indexes: the
     * path of the message in its file ({@code [0]} the first top-level message, {@code [1, 0]}
     * the first nested in the second), written as a zig-zag varint count and zig-zag varints —
     * {@code [0]} as the single byte 0.
     */
    public static byte[] protobuf(int id, java.util.List<Integer> indexes, com.google.protobuf.Message message) {
        ByteArrayOutputStream out = header(id);
        try {
            com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
            if (indexes.equals(java.util.List.of(0))) {
                coded.writeSInt32NoTag(0);
            } else {
                coded.writeSInt32NoTag(indexes.size());
                for (int index : indexes) {
                    coded.writeSInt32NoTag(index);
                }
            }
            message.writeTo(coded);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JSON text framed with schema {@code id}, as a JSON Schema serializer writes it. */
    public static byte[] json(int id, String text) {
        ByteArrayOutputStream out = header(id);
        out.writeBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code datum} (a GenericRecord, or a value of {@code schema}'s type) framed with schema {@code id}. */
    public static byte[] avro(int id, Schema schema, Object datum) {
        ByteArrayOutputStream out = header(id);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
