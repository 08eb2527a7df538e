package io.sluice.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark type of a JSON Schema, for the JSON records a registry-aware producer writes with
 * it: objects with properties are structs (every field nullable: JSON may leave it out), an
 * object with only additionalProperties a map, arrays arrays, integer BIGINT, number DOUBLE,
 * string STRING (format date-time TIMESTAMP, date DATE), boolean BOOLEAN; a type list or a
 * oneOf/anyOf with null is the other type, nullable; local {@code $ref}s ({@code #/definitions/x},
 * {@code #/$defs/x}) are followed. What has no single Spark type is refused with where it is.
 */
final class JsonSchemaTypes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    private JsonSchemaTypes(JsonNode root) {
        this.root = root;
    }

    /** The struct of an object schema's properties; IllegalArgumentException says what cannot be mapped. */
    static StructType struct(String schema) {
        JsonNode root;
        try {
            root = JSON.readTree(schema);
        } catch (IOException e) {
            throw new IllegalArgumentException("is not JSON: " + e.getMessage(), e);
        }
        DataType type = new JsonSchemaTypes(root).type(root, "", 0);
        if (!(type instanceof StructType struct)) {
            throw new IllegalArgumentException("describes " + type.simpleString()
                    + ", not an object with properties (the value's fields become columns)");
        }
        return struct;
    }

    private DataType type(JsonNode node, String at, int depth) {
        if (depth > 32) {
            throw unsupported(at, "a $ref that refers to itself (a recursive type)");
        }
        if (node.has("$ref")) {
            return type(resolve(node.get("$ref").asText(), at), at, depth + 1);
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (node.has(choice)) {
                List<JsonNode> notNull = new ArrayList<>();
                node.get(choice).forEach(option -> {
                    if (!"null".equals(option.path("type").asText())) {
                        notNull.add(option);
                    }
                });
                if (notNull.size() != 1) {
                    throw unsupported(at, choice + " of " + notNull.size() + " types other than null");
                }
                return type(notNull.get(0), at + "/" + choice, depth + 1);
            }
        }
        JsonNode typeNode = node.path("type");
        String type;
        if (typeNode.isArray()) {
            List<String> types = new ArrayList<>();
            typeNode.forEach(t -> {
                if (!t.asText().equals("null")) {
                    types.add(t.asText());
                }
            });
            if (types.size() != 1) {
                throw unsupported(at, "type " + typeNode + " (more than one type besides null)");
            }
            type = types.get(0);
        } else if (typeNode.isTextual()) {
            type = typeNode.asText();
        } else if (node.has("properties")) {
            type = "object";
        } else {
            throw unsupported(at, "no type");
        }
        return switch (type) {
            case "object" -> object(node, at, depth);
            case "array" -> {
                if (!node.has("items") || !node.get("items").isObject()) {
                    throw unsupported(at, "an array without one items schema");
                }
                yield DataTypes.createArrayType(type(node.get("items"), at + "/items", depth + 1), true);
            }
            case "integer" -> DataTypes.LongType;
            case "number" -> DataTypes.DoubleType;
            case "boolean" -> DataTypes.BooleanType;
            case "string" ->
                switch (node.path("format").asText("")) {
                    case "date-time" -> DataTypes.TimestampType;
                    case "date" -> DataTypes.DateType;
                    default -> DataTypes.StringType;
                };
            default -> throw unsupported(at, "type '" + type + "'");
        };
    }

    private DataType object(JsonNode node, String at, int depth) {
        JsonNode properties = node.path("properties");
        if (properties.isObject() && properties.size() > 0) {
            List<StructField> fields = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> each = properties.fields();
            while (each.hasNext()) {
                Map.Entry<String, JsonNode> property = each.next();
                fields.add(DataTypes.createStructField(
                        property.getKey(),
                        type(property.getValue(), at + "/properties/" + property.getKey(), depth + 1),
                        true));
            }
            return DataTypes.createStructType(fields);
        }
        JsonNode additional = node.path("additionalProperties");
        if (additional.isObject()) {
            return DataTypes.createMapType(
                    DataTypes.StringType, type(additional, at + "/additionalProperties", depth + 1), true);
        }
        throw unsupported(at, "an object without properties or an additionalProperties schema");
    }

    private JsonNode resolve(String ref, String at) {
        if (!ref.startsWith("#/")) {
            throw unsupported(at, "$ref '" + ref + "' (only refs within the schema, #/..., are followed)");
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw unsupported(at, "$ref '" + ref + "', which the schema does not have");
        }
        return target;
    }

    private static IllegalArgumentException unsupported(String at, String what) {
        return new IllegalArgumentException(
                "has " + what + " at " + (at.isEmpty() ? "its root" : at) + ", which no Spark type holds");
    }
}
