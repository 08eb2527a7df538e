package io.sluice.kafka.registry;

/**
 * Confluent's wire format, the framing every registry-aware Kafka serializer writes: byte 0 is
 * the magic byte 0, bytes 1 to 4 the schema's global id as a big-endian int, then the datum.
 */
public final class ConfluentFrame {
    private ConfluentFrame() {}

    public static final byte MAGIC = 0;

    /** Bytes before the datum. */
    public static final int HEADER = 5;

    /** The five bytes that start every record written with schema {@code id}. */
    public static byte[] header(int id) {
        return new byte[] {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }
}
