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
 * {@link BinaryEncoder}, or a JSON text. Written here from the specification, apart from the
 * decoders under test.
 */
public final class ConfluentFrames {
    private ConfluentFrames() {}

    private static ByteArrayOutputStream header(int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        return out;
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
