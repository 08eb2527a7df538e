package io.sluice.kafka.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.option.Suggestions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * A value written by hand as JSON (a test's {@code value: {...}}) as the Avro datum a producer
 * would write with {@code schema}: the test writes what it means — a timestamp as an instant, a
 * date as {@code 2026-11-25}, a decimal as a number, an enum as its symbol, a union's branch as
 * its plain value — and Avro's own {@link GenericDatumWriter} writes the bytes. Anything that
 * does not fit the schema is an error naming the field, what the schema wants and what was
 * written, before anything runs.
 */
public final class AvroDocuments {
    private AvroDocuments() {}

    /**
     * The datum's binary encoding (without framing); shared by the source's test fixture and
     * {@code sluice dev produce}, so a document means the same wherever it is written.
     *
     * @throws IllegalArgumentException naming the field, when the document does not fit the schema
     */
    public static byte[] encode(JsonNode document, Schema schema) {
        Object datum = datum(document, schema, "");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<Object>(schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Object datum(JsonNode node, Schema schema, String at) {
        if (schema.getType() == Schema.Type.UNION) {
            return union(node, schema, at);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (schema.getType() == Schema.Type.NULL) {
                return null;
            }
            throw wrong(at, schema, node);
        }
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case NULL -> throw wrong(at, schema, node);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw wrong(at, schema, node);
                }
                yield node.booleanValue();
            }
            case INT -> {
                if (logical instanceof LogicalTypes.Date && node.isTextual()) {
                    yield (int) parse(
                            at, node, () -> LocalDate.parse(node.textValue()).toEpochDay());
                }
                if (logical instanceof LogicalTypes.TimeMillis && node.isTextual()) {
                    yield (int) parse(
                            at, node, () -> LocalTime.parse(node.textValue()).toNanoOfDay() / 1_000_000);
                }
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw wrong(at, schema, node);
                }
                yield node.intValue();
            }
            case LONG -> {
                if (node.isTextual() && logical != null) {
                    yield parse(at, node, () -> time(node.textValue(), logical));
                }
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw wrong(at, schema, node);
                }
                yield node.longValue();
            }
            case FLOAT -> (float) number(node, schema, at);
            case DOUBLE -> number(node, schema, at);
            case STRING -> {
                if (!node.isTextual()) {
                    throw wrong(at, schema, node);
                }
                yield node.textValue();
            }
            case BYTES -> ByteBuffer.wrap(bytes(node, schema, at, -1));
            case FIXED -> new GenericData.Fixed(schema, bytes(node, schema, at, schema.getFixedSize()));
            case ENUM -> {
                if (!node.isTextual() || !schema.getEnumSymbols().contains(node.textValue())) {
                    throw new IllegalArgumentException(where(at) + "'" + node.asText() + "' is not a symbol of enum "
                            + schema.getFullName() + Suggestions.didYouMean(node.asText(), schema.getEnumSymbols())
                            + " (its symbols: " + String.join(", ", schema.getEnumSymbols()) + ")");
                }
                yield new GenericData.EnumSymbol(schema, node.textValue());
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw wrong(at, schema, node);
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    items.add(datum(node.get(i), schema.getElementType(), at + "[" + i + "]"));
                }
                yield items;
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw wrong(at, schema, node);
                }
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    entries.put(
                            entry.getKey(),
                            datum(entry.getValue(), schema.getValueType(), at + "[" + entry.getKey() + "]"));
                }
                yield entries;
            }
            case RECORD -> record(node, schema, at);
            case UNION -> throw new IllegalStateException("a union is resolved above");
        };
    }

    private static GenericData.Record record(JsonNode node, Schema schema, String at) {
        if (!node.isObject()) {
            throw wrong(at, schema, node);
        }
        List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new IllegalArgumentException(where(at) + "record " + schema.getFullName() + " has no field '"
                        + name + "'" + Suggestions.didYouMean(name, names) + " (its fields: " + String.join(", ", names)
                        + ")");
            }
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            String path = at.isEmpty() ? field.name() : at + "." + field.name();
            JsonNode given = node.get(field.name());
            if (given != null) {
                record.put(field.pos(), datum(given, field.schema(), path));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else if (field.schema().isNullable()) {
                record.put(field.pos(), null);
            } else {
                throw new IllegalArgumentException(
                        where(path) + "missing: " + field.schema().getType().getName() + " field '" + field.name()
                                + "' of " + schema.getFullName()
                                + " has no default and cannot be null");
            }
        }
        return record;
    }

    /** A union's value: null for its null branch, else the first branch the value fits. */
    private static Object union(JsonNode node, Schema union, String at) {
        boolean isNull = node == null || node.isNull() || node.isMissingNode();
        for (Schema branch : union.getTypes()) {
            if (isNull != (branch.getType() == Schema.Type.NULL)) {
                continue;
            }
            try {
                return datum(node, branch, at);
            } catch (IllegalArgumentException e) {
                // the next branch may fit
            }
        }
        throw wrong(at, union, node);
    }

    private static double number(JsonNode node, Schema schema, String at) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
            }
        }
        throw wrong(at, schema, node);
    }

    /** Bytes: a decimal's two's-complement unscaled value, or else the text's UTF-8 bytes. */
    private static byte[] bytes(JsonNode node, Schema schema, String at, int size) {
        byte[] bytes;
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            if (!node.isNumber() && !node.isTextual()) {
                throw wrong(at, schema, node);
            }
            BigDecimal value;
            try {
                value = new BigDecimal(node.asText()).setScale(decimal.getScale());
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException(where(at) + "'" + node.asText() + "' is not a decimal of scale "
                        + decimal.getScale() + " (" + describe(schema) + ")");
            }
            if (value.precision() > decimal.getPrecision()) {
                throw new IllegalArgumentException(
                        where(at) + node.asText() + " has more digits than " + describe(schema) + " holds");
            }
            BigInteger unscaled = value.unscaledValue();
            bytes = unscaled.toByteArray();
            if (size > 0) {
                byte[] padded = new byte[size];
                byte fill = (byte) (unscaled.signum() < 0 ? 0xFF : 0);
                java.util.Arrays.fill(padded, 0, size - bytes.length, fill);
                System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
                bytes = padded;
            }
            return bytes;
        }
        if (!node.isTextual()) {
            throw wrong(at, schema, node);
        }
        bytes = node.textValue().getBytes(StandardCharsets.UTF_8);
        if (size >= 0 && bytes.length != size) {
            throw new IllegalArgumentException(where(at) + "'" + node.textValue() + "' is " + bytes.length
                    + " bytes, and fixed " + schema.getFullName() + " holds exactly " + size);
        }
        return bytes;
    }

    /** A time written as text, as the logical type counts it. */
    private static long time(String text, LogicalType logical) {
        return switch (logical.getName()) {
            case "timestamp-millis" -> Instant.parse(text).toEpochMilli();
            case "timestamp-micros" -> ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(text));
            case "timestamp-nanos" -> ChronoUnit.NANOS.between(Instant.EPOCH, Instant.parse(text));
            case "local-timestamp-millis" ->
                LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            case "local-timestamp-micros" ->
                ChronoUnit.MICROS.between(
                        Instant.EPOCH, LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            case "time-micros" -> LocalTime.parse(text).toNanoOfDay() / 1_000;
            default -> throw new DateTimeParseException("not a time of " + logical.getName(), text, 0);
        };
    }

    private static long parse(String at, JsonNode node, java.util.function.LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where(at) + "'" + node.textValue() + "' is not a time of the form the"
                    + " field's type takes (2026-11-25T10:00:00Z for a timestamp, 2026-11-25 for a date, 10:00:00"
                    + " for a time)");
        }
    }

    private static IllegalArgumentException wrong(String at, Schema schema, JsonNode node) {
        return new IllegalArgumentException(where(at) + "expected " + describe(schema) + ", got "
                + (node == null || node.isMissingNode() ? "nothing" : node.toString()));
    }

    private static String describe(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return "one of "
                    + String.join(
                            ", ",
                            schema.getTypes().stream()
                                    .map(AvroDocuments::describe)
                                    .toList());
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "a decimal(" + decimal.getPrecision() + ", " + decimal.getScale() + ")";
        }
        if (logical != null) {
            return "a " + logical.getName();
        }
        return switch (schema.getType()) {
            case RECORD -> "record " + schema.getFullName() + " (a map)";
            case ENUM -> "enum " + schema.getFullName();
            case FIXED -> "fixed " + schema.getFullName();
            case ARRAY -> "an array (a list)";
            case MAP -> "a map";
            case INT -> "an int";
            default -> "a " + schema.getType().getName();
        };
    }

    private static String where(String at) {
        return at.isEmpty() ? "" : "field '" + at + "': ";
    }
}
