package io.sluice.source.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Property-based byte mutation (jqwik) of the JSON decoder: a record of the strict subset,
 * mutated by any few byte edits — flipped bits, bytes replaced, inserted or deleted, JSON's
 * special characters and bytes that are not UTF-8 — decodes exactly as {@code from_json}
 * decodes it, in PERMISSIVE and FAILFAST. A failure shrinks to the smallest record and edits
 * that show it. CI runs the tries of {@code junit-platform.properties}; a developer runs a
 * million with {@code -Djqwik.tries.default=1000000}.
 */
class JsonDecodingPropertyTest {
    private static final StructType SCHEMA = JsonDecodingDifferentialTest.STRICT;
    private static final byte[] SPECIAL =
            "\"\\{}[],:0123456789-+.eEtrufalsn \t\n\r'/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final JsonDecodingDifferentialTest.Decoders PERMISSIVE = new JsonDecodingDifferentialTest.Decoders(
            SCHEMA.add(JsonDecodingDifferentialTest.CORRUPT, DataTypes.StringType),
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", JsonDecodingDifferentialTest.CORRUPT),
            "UTC");
    private static final JsonDecodingDifferentialTest.Decoders FAILFAST =
            new JsonDecodingDifferentialTest.Decoders(SCHEMA, Map.of("mode", "FAILFAST"), "UTC");

    /** One byte edit: where (a fraction of the record's length), what, and with which byte. */
    record Edit(double where, int what, byte with) {
        byte[] applyTo(byte[] bytes) {
            int at = (int) (where * bytes.length);
            return switch (what) {
                case 0 -> flip(bytes, at, with);
                case 1 -> replace(bytes, at, with);
                case 2 -> insert(bytes, at, with);
                default -> delete(bytes, at);
            };
        }

        private static byte[] flip(byte[] bytes, int at, byte bit) {
            byte[] copy = bytes.clone();
            if (at < copy.length) {
                copy[at] ^= (byte) (1 << Math.floorMod(bit, 8));
            }
            return copy;
        }

        private static byte[] replace(byte[] bytes, int at, byte with) {
            byte[] copy = bytes.clone();
            if (at < copy.length) {
                copy[at] = with;
            }
            return copy;
        }

        private static byte[] insert(byte[] bytes, int at, byte with) {
            byte[] copy = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, copy, 0, at);
            copy[at] = with;
            System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
            return copy;
        }

        private static byte[] delete(byte[] bytes, int at) {
            if (at >= bytes.length) {
                return bytes;
            }
            byte[] copy = new byte[bytes.length - 1];
            System.arraycopy(bytes, 0, copy, 0, at);
            System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
            return copy;
        }
    }

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.longs().map(seed -> new JsonCases(SCHEMA, seed).strict());
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Byte> special = Arbitraries.of(toList(SPECIAL));
        Arbitrary<Byte> notUtf8 =
                Arbitraries.of((byte) 0x80, (byte) 0xC0, (byte) 0xE2, (byte) 0xED, (byte) 0xFF, (byte) 0);
        return Combinators.combine(
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(6, special),
                                net.jqwik.api.Tuple.of(2, notUtf8),
                                net.jqwik.api.Tuple.of(2, Arbitraries.bytes())))
                .as(Edit::new);
    }

    @Property
    void mutatedRecordsDecodeAsFromJson(
            @ForAll("records") byte[] record,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("edits") Edit> edits) {
        byte[] mutated = record;
        for (Edit edit : edits) {
            mutated = edit.applyTo(mutated);
        }
        PERMISSIVE.assertSame(mutated);
        FAILFAST.assertSame(mutated);
    }

    @Property
    void recordsOfTheStrictSubsetDecodeAsFromJson(@ForAll("records") byte[] record) {
        PERMISSIVE.assertSame(record);
        FAILFAST.assertSame(Arrays.copyOf(record, record.length));
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
