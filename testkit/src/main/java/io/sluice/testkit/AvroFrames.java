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
 * Records as a registry-aware Avro producer writes them, for tests: Confluent's framing (the
 * magic byte 0, the schema id as a big-endian int) around a datum from Avro's own
 * {@link BinaryEncoder}. Written here from the specification, apart from the decoder under test.
 */
public final class AvroFrames {
    private AvroFrames() {}

    /** {@code datum} (a GenericRecord, or a value of {@code schema}'s type) framed with schema {@code id}. */
    public static byte[] frame(int id, Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
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
