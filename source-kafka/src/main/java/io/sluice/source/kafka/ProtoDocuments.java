package io.sluice.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import io.sluice.core.option.Suggestions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A value written by hand as JSON (a test's {@code value: {...}}) as the Protobuf message a
 * producer would write, preceded by Confluent's message indexes: fields by name, nested
 * messages as maps, {@code repeated} as lists, {@code map} fields as maps, enums by name (or
 * number), {@code google.protobuf.Timestamp} as an instant; protobuf-java writes the bytes.
 * What does not fit the message is an error naming the field, before anything runs.
 */
final class ProtoDocuments {
    private static final String TIMESTAMP = "google.protobuf.Timestamp";
    private static final BigInteger UNSIGNED_64 = BigInteger.ONE.shiftLeft(64);

    private ProtoDocuments() {}

    /** Confluent's message indexes of {@code path} ({@code [0]} as the single byte 0), then the message. */
    static byte[] encode(JsonNode document, Descriptor message, List<Integer> path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (path.equals(List.of(0))) {
                out.writeRawByte(0);
            } else {
                out.writeSInt32NoTag(path.size());
                for (int index : path) {
                    out.writeSInt32NoTag(index);
                }
            }
            message(document, message, "").writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static DynamicMessage message(JsonNode node, Descriptor type, String at) {
        if (!node.isObject()) {
            throw wrong(at, "message " + type.getFullName() + " (a map)", node);
        }
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = type.findFieldByName(entry.getKey());
            if (field == null) {
                field = type.getFields().stream()
                        .filter(f -> f.getJsonName().equals(entry.getKey()))
                        .findFirst()
                        .orElse(null);
            }
            String path = at.isEmpty() ? entry.getKey() : at + "." + entry.getKey();
            if (field == null) {
                List<String> names =
                        type.getFields().stream().map(FieldDescriptor::getName).toList();
                throw new IllegalArgumentException(where(at) + "message " + type.getFullName() + " has no field '"
                        + entry.getKey() + "'" + Suggestions.didYouMean(entry.getKey(), names) + " (its fields: "
                        + String.join(", ", names) + ")");
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue; // unset: proto3's default, or an optional field's absence
            }
            if (field.isMapField()) {
                if (!value.isObject()) {
                    throw wrong(path, "a map", value);
                }
                Descriptor entryType = field.getMessageType();
                FieldDescriptor keyField = entryType.findFieldByNumber(1);
                FieldDescriptor valueField = entryType.findFieldByNumber(2);
                for (Iterator<Map.Entry<String, JsonNode>> e = value.fields(); e.hasNext(); ) {
                    Map.Entry<String, JsonNode> item = e.next();
                    String itemPath = path + "[" + item.getKey() + "]";
                    builder.addRepeatedField(
                            field,
                            DynamicMessage.newBuilder(entryType)
                                    .setField(
                                            keyField,
                                            scalar(
                                                    com.fasterxml.jackson.databind.node.TextNode.valueOf(item.getKey()),
                                                    keyField,
                                                    itemPath,
                                                    true))
                                    .setField(valueField, single(item.getValue(), valueField, itemPath))
                                    .build());
                }
            } else if (field.isRepeated()) {
                if (!value.isArray()) {
                    throw wrong(path, "a list", value);
                }
                for (int i = 0; i < value.size(); i++) {
                    builder.addRepeatedField(field, single(value.get(i), field, path + "[" + i + "]"));
                }
            } else {
                builder.setField(field, single(value, field, path));
            }
        }
        return builder.build();
    }

    private static Object single(JsonNode node, FieldDescriptor field, String at) {
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return scalar(node, field, at, false);
        }
        Descriptor type = field.getMessageType();
        if (type.getFullName().equals(TIMESTAMP) && node.isTextual()) {
            Instant instant;
            try {
                instant = Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        where(at) + "'" + node.textValue() + "' is not an instant: write it as 2026-11-25T10:00:00Z");
            }
            return DynamicMessage.newBuilder(type)
                    .setField(type.findFieldByName("seconds"), instant.getEpochSecond())
                    .setField(type.findFieldByName("nanos"), instant.getNano())
                    .build();
        }
        return message(node, type, at);
    }

    /** A scalar; {@code fromKey}: written as a map's key, so a number or a boolean comes as text. */
    private static Object scalar(JsonNode node, FieldDescriptor field, String at, boolean fromKey) {
        String type = field.getType().name().toLowerCase(java.util.Locale.ROOT);
        switch (field.getJavaType()) {
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                if (fromKey && (node.asText().equals("true") || node.asText().equals("false"))) {
                    return Boolean.parseBoolean(node.asText());
                }
                throw wrong(at, "a bool", node);
            case INT:
            case LONG:
                return integer(node, field, at, fromKey, type);
            case FLOAT:
            case DOUBLE:
                if (!node.isNumber()) {
                    throw wrong(at, "a " + type, node);
                }
                return field.getJavaType() == FieldDescriptor.JavaType.FLOAT
                        ? (Object) node.floatValue()
                        : (Object) node.doubleValue();
            case STRING:
                if (!node.isTextual()) {
                    throw wrong(at, "a string", node);
                }
                return node.textValue();
            case BYTE_STRING:
                if (!node.isTextual()) {
                    throw wrong(at, "bytes (as text)", node);
                }
                return ByteString.copyFrom(node.textValue().getBytes(StandardCharsets.UTF_8));
            case ENUM:
                List<String> names = field.getEnumType().getValues().stream()
                        .map(EnumValueDescriptor::getName)
                        .toList();
                EnumValueDescriptor symbol = node.isIntegralNumber()
                        ? field.getEnumType().findValueByNumber(node.intValue())
                        : field.getEnumType().findValueByName(node.asText());
                if (symbol == null) {
                    throw new IllegalArgumentException(where(at) + "'" + node.asText() + "' is not a value of enum "
                            + field.getEnumType().getFullName() + Suggestions.didYouMean(node.asText(), names)
                            + " (its values: " + String.join(", ", names) + ")");
                }
                return symbol;
            default:
                throw new IllegalStateException("a message is written above");
        }
    }

    /** An integer of the field's type: unsigned ones up to 2^32 - 1 or 2^64 - 1, kept in their bits. */
    private static Object integer(JsonNode node, FieldDescriptor field, String at, boolean fromKey, String type) {
        BigInteger value;
        try {
            value = node.isIntegralNumber() ? node.bigIntegerValue() : fromKey ? new BigInteger(node.asText()) : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null) {
            throw wrong(at, "an " + type, node);
        }
        boolean unsigned = switch (field.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
        boolean wide = field.getJavaType() == FieldDescriptor.JavaType.LONG;
        BigInteger min = unsigned
                ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(wide ? 63 : 31).negate();
        BigInteger max = (unsigned
                        ? BigInteger.ONE.shiftLeft(wide ? 64 : 32)
                        : BigInteger.ONE.shiftLeft(wide ? 63 : 31))
                .subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    where(at) + value + " is out of range for a " + type + " (" + min + " to " + max + ")");
        }
        if (wide) {
            return unsigned && value.bitLength() == 64
                    ? value.subtract(UNSIGNED_64).longValue()
                    : value.longValue();
        }
        return (int) value.longValue();
    }

    private static IllegalArgumentException wrong(String at, String expected, JsonNode node) {
        return new IllegalArgumentException(where(at) + "expected " + expected + ", got " + node);
    }

    private static String where(String at) {
        return at.isEmpty() ? "" : "field '" + at + "': ";
    }
}
