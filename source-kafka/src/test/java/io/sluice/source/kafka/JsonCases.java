package io.sluice.source.kafka;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * JSON records for the differential test, from a seed: valid ones for every type of a schema
 * (edges, every timestamp form Spark reads, nesting, nulls, missing, unknown, reordered and
 * duplicate keys), malformed variants of one field, broken records (truncated, trailing
 * garbage, other roots, BOM, NUL, invalid UTF-8) and byte mutations of valid ones.
 */
final class JsonCases {
    private static final List<String> BAD_TOKENS = List.of(
            "1.0",
            "1e2",
            "-1E-2",
            "99999999999999999999999",
            "-99999999999999999999999",
            "NaN",
            "Infinity",
            "-Infinity",
            "+1",
            ".5",
            "01",
            "-0",
            "0x10",
            "'single'",
            "\"str\"",
            "\"12\"",
            "\"1.5\"",
            "\"NaN\"",
            "\"Infinity\"",
            "\"-Infinity\"",
            "true",
            "false",
            "[]",
            "[1]",
            "{}",
            "{\"a\":1}",
            "/* c */ 1",
            "// c\n1",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"a\u0001b\"",
            "\"tab\there\"",
            "\"\\x\"",
            "\"\\u12\"",
            "tru",
            "nul",
            "-",
            "\"",
            "\"unterminated",
            "1 2",
            "\"2024-13-01\"",
            "\"2024-02-30\"",
            "\"24:00:00\"",
            "\"2024-01-02T03:04:05+25:00\"",
            "\"1e400\"",
            "1e400",
            "-1e400",
            "4.9e-325",
            "12345678901.123");
    private static final byte[][] BAD_BYTES = {
        {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
        {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong, three bytes
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
        {(byte) 0xFF},
        {(byte) 0xFE},
        {(byte) 0x80}, // a lone continuation byte
        {(byte) 0xE2, (byte) 0x82}, // truncated
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, // a BOM
        {0},
    };
    private static final byte[] SPECIAL = "\"\\{}[],:0-e.+ \n\tntfu'/".getBytes(StandardCharsets.US_ASCII);

    private final StructType schema;
    private final SplittableRandom random;

    JsonCases(StructType schema, long seed) {
        this.schema = schema;
        this.random = new SplittableRandom(seed);
    }

    /** One case: a valid record, a malformed variant, a broken record or a mutation, in about equal parts. */
    byte[] next() {
        return switch (random.nextInt(4)) {
            case 0 -> utf8(record(schema, -1, null));
            case 1 -> utf8(record(schema, random.nextInt(schema.fields().length), pick(BAD_TOKENS)));
            case 2 -> broken(utf8(record(schema, -1, null)));
            default -> mutated(utf8(record(schema, -1, null)));
        };
    }

    /**
     * A record whose every token is in the strict fast path's subset ({@link StrictJson}): the
     * schema's fields in any order, some missing or null, ASCII strings without escapes, numbers
     * of every JSON form a double takes, integers at their type's edges, unknown keys with scalar
     * values, whitespace between tokens; a field of a type the subset does not cover is null.
     */
    byte[] strict() {
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        shuffle(fields);
        StringBuilder json = new StringBuilder(pick(List.of("", " ", "\n", "\t", "\r\n"))).append('{');
        boolean first = true;
        for (StructField field : fields) {
            if (random.nextInt(8) == 0) {
                continue;
            }
            first = separate(json, first);
            json.append(space())
                    .append(quote(field.name()))
                    .append(space())
                    .append(':')
                    .append(space());
            json.append(random.nextInt(10) == 0 ? "null" : strictValue(field.dataType()));
            json.append(space());
        }
        if (random.nextInt(4) == 0) {
            first = separate(json, first);
            json.append(quote("extra " + random.nextInt(3)))
                    .append(':')
                    .append(pick(List.of("1", "-2.5e3", "\"x\"", "true", "false", "null", "0")));
        }
        return utf8(json.append('}').append(space()).toString());
    }

    private String space() {
        return random.nextInt(6) == 0 ? pick(List.of(" ", "  ", "\n", "\t", "\r")) : "";
    }

    private String strictValue(DataType type) {
        if (type instanceof BooleanType
                || type instanceof ByteType
                || type instanceof ShortType
                || type instanceof IntegerType) {
            return value(type); // every one of these is in the subset already
        } else if (type instanceof LongType) {
            return pick(List.of(
                    integer(-999_999_999_999_999_999L, 999_999_999_999_999_999L),
                    "-0",
                    Long.toString(random.nextLong(1_000_000))));
        } else if (type instanceof DoubleType) {
            long digits = random.nextLong(1, 1_000_000_000_000_000_000L);
            int point = random.nextInt(20);
            String text = Long.toString(digits);
            String real = point >= text.length()
                    ? "0." + "0".repeat(point - text.length()) + text
                    : point == 0
                            ? text + ".0"
                            : text.substring(0, text.length() - point) + "." + text.substring(text.length() - point);
            return pick(List.of(
                    (random.nextBoolean() ? "-" : "") + real,
                    (random.nextBoolean() ? "-" : "")
                            + real
                            + pick(List.of("e", "E"))
                            + pick(List.of("", "+", "-"))
                            + random.nextInt(330),
                    Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)))
                            .replace("E", "e"),
                    Long.toString(random.nextLong()),
                    "0",
                    "-0",
                    "-0.0",
                    "0.1",
                    "1.7976931348623157e308",
                    "4.9e-324",
                    "2.2250738585072014E-308",
                    "9007199254740993",
                    "123456789012345.6",
                    "0.000001"));
        } else if (type instanceof StringType) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(3) == 0 ? random.nextInt(200) : random.nextInt(12);
            for (int i = 0; i < length; i++) {
                char c = (char) random.nextInt(0x20, 0x7F);
                text.append(c == '"' || c == '\\' ? 'q' : c);
            }
            return quote(text.toString());
        } else if (type instanceof DateType) {
            return quote(String.format(
                    "%04d-%02d-%02d", random.nextInt(1000, 10000), random.nextInt(1, 13), random.nextInt(1, 29)));
        } else if (type instanceof TimestampType) {
            String fraction =
                    pick(List.of("", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".000001", ".999999"));
            String offset = pick(List.of("Z", "+00:00", "-00:00", "+05:30", "-08:00", "+14:00", "-12:45", "+17:59"));
            return quote(String.format(
                    "%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
                    random.nextInt(1000, 10000),
                    random.nextInt(1, 13),
                    random.nextInt(1, 29),
                    random.nextBoolean() ? "T" : " ",
                    random.nextInt(24),
                    random.nextInt(60),
                    random.nextInt(60),
                    fraction,
                    offset));
        }
        return "null";
    }

    /** Hand-picked records every run has: other roots, empty and blank values, long strings, odd bytes. */
    static List<byte[]> fixed(StructType schema) {
        List<byte[]> cases = new ArrayList<>();
        for (String text : List.of(
                "",
                " ",
                "\n",
                "\t \r\n",
                "{}",
                "[]",
                "[{}]",
                "[{},{}]",
                "1",
                "-1",
                "\"x\"",
                "null",
                "true",
                "{",
                "}",
                "{}}",
                "{} {}",
                "{},",
                "{}x",
                "{} ",
                " {} ",
                "{\"a\"}",
                "{\"a\":}",
                "{:1}",
                "{,}",
                "{'a':1}",
                "{a:1}",
                "{\"a\":1,}",
                "[1,]",
                "\ufeff{}",
                "{\"\u0000\":1}")) {
            cases.add(utf8(text));
        }
        String first = schema.fields()[0].name();
        // the kinds of input a conformance corpus sorts into accepted, refused and either (our own instances)
        for (String value : List.of(
                "0e1",
                "0E+1",
                "-0e-0",
                "1e+2",
                "2.",
                "-.5",
                "1.e3",
                "-01",
                "0.1e",
                "1E-999",
                "123456789012345678901234567890",
                "1" + "0".repeat(400),
                "0." + "0".repeat(400) + "1",
                "\"\\ud83d\\ude00\"",
                "\"\\ud83d\"",
                "\"\\u0000\"",
                "\"\\a\"",
                "\"\u007f\"",
                "[" + "[".repeat(2000) + "]".repeat(2000) + "]",
                "{\"x\":" + "{\"x\":".repeat(1500) + "1" + "}".repeat(1500) + "}",
                "\f1",
                "1\u00a0",
                "tRue",
                "nulll",
                "\"a\" \"b\"")) {
            cases.add(utf8("{\"" + first + "\":" + value + "}"));
        }
        for (String text :
                List.of("{\"\":1}", "{ \"" + first + "\" : 1 , }", "{\"" + first + "\"::1}", "\f{}", "{}\f")) {
            cases.add(utf8(text));
        }
        // names are matched exactly: another case is an unknown key, to Spark and to the fast path
        cases.add(utf8("{\"" + first.toUpperCase(java.util.Locale.ROOT) + "\":1}"));
        cases.add(utf8("{\"" + first + " \":1}"));
        for (int length : new int[] {8191, 8192, 8193, 32767, 32768, 32769, 70000}) {
            cases.add(utf8("{\"" + first + "\":\"" + "x".repeat(length) + "\"}"));
            cases.add(utf8("{\"" + first + "\":1,\"pad\":\"" + "é".repeat(length / 2) + "\"}"));
        }
        for (byte[] bad : BAD_BYTES) {
            cases.add(concat(utf8("{\"" + first + "\":\""), bad, utf8("\"}")));
            cases.add(concat(bad, utf8("{}")));
            cases.add(concat(utf8("{\"" + first + "\":1}"), bad));
            cases.add(concat(utf8("{\""), bad, utf8("\":1}")));
        }
        return cases;
    }

    private String record(StructType struct, int badField, String badToken) {
        StringBuilder json = new StringBuilder("{");
        List<StructField> fields = new ArrayList<>(List.of(struct.fields()));
        if (random.nextInt(4) == 0) {
            shuffle(fields);
        }
        boolean first = true;
        for (int i = 0; i < fields.size(); i++) {
            StructField field = fields.get(i);
            boolean bad = badField >= 0 && field.equals(struct.fields()[badField]);
            if (!bad && random.nextInt(10) == 0) {
                continue; // missing
            }
            first = separate(json, first);
            json.append(quote(field.name())).append(':');
            json.append(bad ? badToken : random.nextInt(12) == 0 ? "null" : value(field.dataType()));
            if (random.nextInt(25) == 0) { // a duplicate key, Spark takes the last
                json.append(',').append(quote(field.name())).append(':').append(value(field.dataType()));
            }
        }
        if (random.nextInt(5) == 0) { // an unknown key
            first = separate(json, first);
            json.append("\"unknown\":").append(value(pickType()));
        }
        return json.append('}').toString();
    }

    private static boolean separate(StringBuilder json, boolean first) {
        if (!first) {
            json.append(',');
        }
        return false;
    }

    private String value(DataType type) {
        if (type instanceof BooleanType) {
            return random.nextBoolean() ? "true" : "false";
        } else if (type instanceof ByteType) {
            return integer(Byte.MIN_VALUE, Byte.MAX_VALUE);
        } else if (type instanceof ShortType) {
            return integer(Short.MIN_VALUE, Short.MAX_VALUE);
        } else if (type instanceof IntegerType) {
            return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (type instanceof LongType) {
            return integer(Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (type instanceof FloatType || type instanceof DoubleType) {
            return pick(List.of(
                    Double.toString(random.nextDouble() * 1e6),
                    Double.toString(-random.nextDouble()),
                    Long.toString(random.nextLong()),
                    "0",
                    "-0.0",
                    "1e308",
                    "1.7976931348623157E308",
                    "4.9E-324",
                    "3.4028235E38",
                    "1.4E-45",
                    "0.1",
                    "123456789.123456789",
                    "\"NaN\"",
                    "\"Infinity\"",
                    "\"-Infinity\"",
                    "\"+Infinity\"",
                    "\"+INF\"",
                    "\"-INF\""));
        } else if (type instanceof DecimalType decimal) {
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-decimal.scale());
            BigDecimal max =
                    BigDecimal.TEN.pow(decimal.precision() - decimal.scale()).subtract(unit);
            return pick(List.of(
                    new BigDecimal(random.nextLong(1_000_000_000L))
                            .scaleByPowerOfTen(-random.nextInt(12))
                            .toPlainString(),
                    max.toPlainString(),
                    max.negate().toPlainString(),
                    max.add(unit).toPlainString(),
                    "0",
                    "0.005",
                    "-0.005",
                    "1E+2",
                    "1e-2",
                    "\"12.5\"",
                    "12"));
        } else if (type instanceof StringType) {
            return pick(List.of(
                    quote("s" + random.nextInt(1000)),
                    "\"\"",
                    "\"é✓😀\"",
                    "\"line\\nbreak\\t\\\"q\\\" \\\\ \\/\"",
                    "\"\\u00e9\\ud83d\\ude00\"",
                    "12",
                    "1.5",
                    "true",
                    "{\"nested\":[1,2]}",
                    "[\"a\",{}]"));
        } else if (type instanceof BinaryType) {
            byte[] bytes = new byte[random.nextInt(8)];
            random.nextBytes(bytes);
            return quote(Base64.getEncoder().encodeToString(bytes));
        } else if (type instanceof DateType) {
            return pick(List.of(
                    "\"2024-02-29\"",
                    "\"2024-2-9\"",
                    "\"2024-02-29T10:11:12\"",
                    "\"2024-02-29 10:11:12\"",
                    "\"+12024-01-01\"",
                    "\"1582-10-10\"",
                    "\"0001-01-01\"",
                    "\"2024\"",
                    "\"2024-02\"",
                    "19000",
                    "\"19000\""));
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return pick(List.of(
                    "\"2024-01-02T03:04:05Z\"",
                    "\"2024-01-02T03:04:05\"",
                    "\"2024-01-02 03:04:05\"",
                    "\"2024-01-02T03:04:05.1\"",
                    "\"2024-01-02T03:04:05.123456\"",
                    "\"2024-01-02T03:04:05.1234567\"",
                    "\"2024-01-02T03:04:05.123+05:30\"",
                    "\"2024-01-02T03:04:05-08:00\"",
                    "\"2024-01-02T03:04:05+0100\"",
                    "\"2024-01-02T03:04:05 UTC\"",
                    "\"2024-01-02T03:04:05Europe/Paris\"",
                    "\"2024-01-02T03:04\"",
                    "\"2024-01-02T03\"",
                    "\"2024-01-02\"",
                    "\"2024-01\"",
                    "\"2024\"",
                    "\"2024-03-31T02:30:00\"",
                    "\"1969-12-31T23:59:59.999999Z\"",
                    "\"2024-02-29 23:59:59.5-00:00\"",
                    "\"2023-02-29T00:00:00Z\"",
                    "\"2024-01-02T03:04:60Z\"",
                    "\"0999-01-02T03:04:05Z\"",
                    "\"2024-01-02T03:04:05.Z\"",
                    "\"2024-01-02T03:04:05+18:00\"",
                    "\"2024-01-02T03:04:05z\"",
                    "\"T03:04:05\"",
                    "1700000000",
                    "-1",
                    "1700000000.5"));
        } else if (type instanceof ArrayType array) {
            return joined("[", "]", () -> random.nextInt(8) == 0 ? "null" : value(array.elementType()));
        } else if (type instanceof MapType map) {
            return joined("{", "}", () -> quote("k" + random.nextInt(3)) + ':' + value(map.valueType()));
        } else if (type instanceof StructType struct) {
            return record(struct, -1, null);
        }
        throw new IllegalArgumentException("no values for " + type);
    }

    /** Zero to three elements between brackets, separated by commas. */
    private String joined(String open, String close, java.util.function.Supplier<String> element) {
        StringBuilder json = new StringBuilder(open);
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            json.append(i > 0 ? "," : "").append(element.get());
        }
        return json.append(close).toString();
    }

    private String integer(long min, long max) {
        return pick(List.of(
                Long.toString(min),
                Long.toString(max),
                "0",
                "-1",
                Long.toString(random.nextLong(Math.max(1, max / 2 + 1))),
                Long.toString(-random.nextLong(Math.max(1, max / 2 + 1)))));
    }

    private DataType pickType() {
        return pick(List.of(
                org.apache.spark.sql.types.DataTypes.StringType,
                org.apache.spark.sql.types.DataTypes.LongType,
                org.apache.spark.sql.types.DataTypes.DoubleType,
                new ArrayType(org.apache.spark.sql.types.DataTypes.IntegerType, true),
                StructType.fromDDL("x INT, y STRING")));
    }

    private byte[] broken(byte[] record) {
        return switch (random.nextInt(6)) {
            case 0 -> java.util.Arrays.copyOf(record, random.nextInt(record.length)); // truncated
            case 1 -> concat(record, utf8(pick(List.of(" x", "{}", ",", "]", " 1", "\u0000", "}", " /* */"))));
            case 2 -> concat(utf8(pick(List.of("[", "[1,", "\ufeff", " ", "x"))), record);
            case 3 -> insert(record, BAD_BYTES[random.nextInt(BAD_BYTES.length)]);
            case 4 -> utf8("[" + new String(record, StandardCharsets.UTF_8) + "]");
            default -> insert(record, new byte[] {0});
        };
    }

    private byte[] mutated(byte[] record) {
        byte[] bytes = record;
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                case 2 -> bytes = insert(bytes, new byte[] {SPECIAL[random.nextInt(SPECIAL.length)]});
                case 3 ->
                    bytes = concat(
                            java.util.Arrays.copyOf(bytes, at),
                            java.util.Arrays.copyOfRange(bytes, at + 1, bytes.length));
                case 4 -> bytes = insert(bytes, BAD_BYTES[random.nextInt(BAD_BYTES.length)]);
                default -> {
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(8));
                    bytes = insert(bytes, java.util.Arrays.copyOfRange(bytes, at, end));
                }
            }
        }
        return bytes;
    }

    private byte[] insert(byte[] bytes, byte[] part) {
        int at = random.nextInt(bytes.length + 1);
        return concat(java.util.Arrays.copyOf(bytes, at), part, java.util.Arrays.copyOfRange(bytes, at, bytes.length));
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private void shuffle(List<StructField> fields) {
        for (int i = fields.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            StructField swap = fields.get(i);
            fields.set(i, fields.get(j));
            fields.set(j, swap);
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
