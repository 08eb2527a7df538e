package io.sluice.source.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Why a record's key or value did not decode, said for the dead letter — {@code field 'amount'
 * is "abc", not a DOUBLE}, {@code not JSON: Unexpected end-of-input ... (column 9)} — found by
 * reading the bad record once more, for bad records only. Spark's decoder marks a record
 * malformed without saying where; a person fixing the producer needs the field.
 *
 * <p>An explanation, never a verdict: the decision stays Spark's ({@code from_json} in
 * PERMISSIVE mode), and when this reading finds nothing wrong the dead letter keeps Spark's
 * words alone.
 */
final class JsonMismatch implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StructType schema;

    JsonMismatch(StructType schema) {
        this.schema = schema;
    }

    /** What is wrong with {@code raw} against the schema, or empty when this reading finds nothing. */
    Optional<String> explain(byte[] raw) {
        if (raw == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage().lines().findFirst().orElse("");
            return Optional.of("not JSON: " + message
                    + (e.getLocation() == null
                            ? ""
                            : " (column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || root.isMissingNode()) {
            return Optional.of("empty, not a JSON object");
        }
        if (!root.isObject()) {
            return Optional.of("a JSON " + kind(root) + ", not an object");
        }
        return struct(root, schema, "");
    }

    private static Optional<String> struct(JsonNode object, StructType type, String path) {
        for (StructField field : type.fields()) {
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                continue; // a missing field is null, as Spark reads it
            }
            Optional<String> wrong = value(value, field.dataType(), path + field.name());
            if (wrong.isPresent()) {
                return wrong;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(JsonNode value, DataType type, String path) {
        if (type instanceof StructType struct) {
            return value.isObject() ? struct(value, struct, path + ".") : mismatch(path, value, "an object");
        }
        if (type instanceof ArrayType array) {
            if (!value.isArray()) {
                return mismatch(path, value, "an array");
            }
            int index = 0;
            for (Iterator<JsonNode> items = value.elements(); items.hasNext(); index++) {
                JsonNode item = items.next();
                if (!item.isNull()) {
                    Optional<String> wrong = value(item, array.elementType(), path + "[" + index + "]");
                    if (wrong.isPresent()) {
                        return wrong;
                    }
                }
            }
            return Optional.empty();
        }
        if (type instanceof IntegerType
                || type instanceof LongType
                || type instanceof ShortType
                || type instanceof ByteType) {
            if (!value.isIntegralNumber()) {
                return mismatch(path, value, type.sql());
            }
            long max = type instanceof LongType
                    ? Long.MAX_VALUE
                    : type instanceof IntegerType
                            ? Integer.MAX_VALUE
                            : type instanceof ShortType ? Short.MAX_VALUE : Byte.MAX_VALUE;
            return value.canConvertToLong() && Math.abs(value.asLong()) <= max
                    ? Optional.empty()
                    : Optional.of("field '" + path + "' is " + value + ", out of the range of a " + type.sql());
        }
        if (type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType) {
            return value.isNumber() ? Optional.empty() : mismatch(path, value, type.sql());
        }
        if (type instanceof BooleanType) {
            return value.isBoolean() ? Optional.empty() : mismatch(path, value, "a BOOLEAN (true or false)");
        }
        if (type instanceof TimestampType || type instanceof DateType) {
            // loosely: the forms Spark reads are many, and a field Spark took must not be blamed
            if (value.isTextual() && !DATE_LIKE.matcher(value.asText().trim()).matches()) {
                return Optional.of(
                        "field '" + path + "' is " + value + ", not a " + type.sql() + " (e.g. 2026-11-25T10:00:00Z)");
            }
            return value.isTextual() || value.isNumber() ? Optional.empty() : mismatch(path, value, type.sql());
        }
        return Optional.empty(); // strings take any JSON; other types: Spark's word stands
    }

    private static final java.util.regex.Pattern DATE_LIKE = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{1,2}-\\d{1,2}([ T]\\d{1,2}(:\\d{1,2}(:\\d{1,2}([.,]\\d+)?)?)?)?\\s*(Z|UTC|[+-]\\d{1,2}(:?\\d{2})?|\\[?[A-Za-z_/]+\\]?)?");

    private static Optional<String> mismatch(String path, JsonNode value, String expected) {
        String shown = value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        String article = expected.startsWith("a ") || expected.startsWith("an ")
                ? ""
                : "AEIOU".indexOf(expected.charAt(0)) >= 0 ? "an " : "a ";
        return Optional.of("field '" + path + "' is " + shown + ", not " + article + expected);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
