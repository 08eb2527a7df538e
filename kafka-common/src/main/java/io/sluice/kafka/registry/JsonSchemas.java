package io.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The JSON Schema (draft-07) of a query's columns as Spark's {@code to_json} writes them: an
 * object of the columns' properties — integral types {@code integer}, fractional and decimal
 * {@code number}, {@code string}, {@code boolean}, timestamps strings of {@code format:
 * date-time}, dates of {@code date}, binary base64 strings, arrays, maps as objects of
 * {@code additionalProperties}, structs as objects — each nullable one also {@code null}. No
 * property is required and extra ones are allowed, so a column added later is a compatible
 * next version, as with Avro's nullable defaults.
 */
public final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {}

    public static String of(StructType columns, String title) {
        requireNonNull(columns, "columns is null");
        ObjectNode schema = object(columns);
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", requireNonNull(title, "title is null"));
        root.setAll(schema);
        return root.toString();
    }

    /** The JSON Schema of one value of {@code type} (a key that is a string, a number, a struct). */
    public static String ofType(DataType type, String title) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", requireNonNull(title, "title is null"));
        root.setAll(type(requireNonNull(type, "type is null"), false));
        return root.toString();
    }

    private static ObjectNode object(StructType struct) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "object");
        ObjectNode properties = node.putObject("properties");
        for (StructField field : struct.fields()) {
            properties.set(field.name(), type(field.dataType(), field.nullable()));
        }
        return node;
    }

    private static ObjectNode type(DataType type, boolean nullable) {
        ObjectNode node;
        if (type instanceof StructType struct) {
            node = object(struct);
        } else if (type instanceof ArrayType array) {
            node = JSON.createObjectNode().put("type", "array");
            node.set("items", type(array.elementType(), array.containsNull()));
        } else if (type instanceof MapType map) {
            node = JSON.createObjectNode().put("type", "object");
            node.set("additionalProperties", type(map.valueType(), map.valueContainsNull()));
        } else {
            node = JSON.createObjectNode().put("type", scalar(type));
            if (type instanceof TimestampType || type instanceof TimestampNTZType) {
                node.put("format", "date-time");
            } else if (type instanceof DateType) {
                node.put("format", "date");
            } else if (type instanceof BinaryType) {
                node.put("contentEncoding", "base64");
            }
        }
        if (nullable) {
            ArrayNode types =
                    JSON.createArrayNode().add(node.get("type").asText()).add("null");
            node.set("type", types);
        }
        return node;
    }

    private static String scalar(DataType type) {
        if (type instanceof BooleanType) {
            return "boolean";
        }
        if (type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType) {
            return "number";
        }
        if (type instanceof org.apache.spark.sql.types.ByteType
                || type instanceof org.apache.spark.sql.types.ShortType
                || type instanceof org.apache.spark.sql.types.IntegerType
                || type instanceof org.apache.spark.sql.types.LongType) {
            return "integer";
        }
        return "string";
    }
}
