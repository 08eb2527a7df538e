package io.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * The {@code .proto} (proto3) of a query's columns, as a producer registers it: one message, a
 * field per column numbered in column order; a struct a nested message of its own; arrays
 * {@code repeated}, maps {@code map<K, V>}; integers {@code int32}/{@code int64}, {@code float},
 * {@code double}, {@code bool}, {@code string}, {@code bytes}; timestamps
 * {@code google.protobuf.Timestamp}; dates and decimals their text (Protobuf has neither). A
 * nullable scalar is {@code optional}, so a null stays distinct from zero. What Protobuf cannot
 * hold (an array of arrays, a map of arrays) is a problem in words.
 */
public final class ProtoSchemas {
    private ProtoSchemas() {}

    /** Why {@code columns} cannot be written as Protobuf; empty when they can. */
    public static Optional<String> problem(StructType columns) {
        try {
            of(columns, "Check", "");
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    public static String of(StructType columns, String message, String packageName) {
        requireNonNull(columns, "columns is null");
        StringBuilder text = new StringBuilder("syntax = \"proto3\";\n");
        if (!packageName.isEmpty()) {
            text.append("package ").append(packageName).append(";\n");
        }
        Set<String> imports = new LinkedHashSet<>();
        StringBuilder body = new StringBuilder();
        message(body, message, columns, "", imports, "");
        imports.forEach(path -> text.append("import \"").append(path).append("\";\n"));
        return text.append(body).toString();
    }

    private static void message(
            StringBuilder out, String name, StructType struct, String indent, Set<String> imports, String path) {
        out.append(indent).append("message ").append(name).append(" {\n");
        List<String> nested = new ArrayList<>();
        int number = 1;
        for (StructField field : struct.fields()) {
            String where = path.isEmpty() ? field.name() : path + "." + field.name();
            if (!field.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("column '" + where + "' is not a Protobuf field name (a letter or"
                        + " _, then letters, digits and _): rename it in the SQL (AS)");
            }
            DataType type = field.dataType();
            String declaration;
            if (type instanceof ArrayType array) {
                if (array.elementType() instanceof ArrayType || array.elementType() instanceof MapType) {
                    throw new IllegalArgumentException("column '" + where + "' is " + type.simpleString()
                            + ", which Protobuf cannot hold (a repeated field of repeated fields)");
                }
                declaration = "repeated " + element(array.elementType(), where, nested, indent, imports);
            } else if (type instanceof MapType map) {
                String key = scalar(map.keyType(), imports);
                if (key == null
                        || key.equals("double")
                        || key.equals("float")
                        || key.equals("bytes")
                        || key.contains(".")) {
                    throw new IllegalArgumentException("column '" + where + "' is " + type.simpleString()
                            + ": a Protobuf map's key is a string, an integer or a bool");
                }
                if (map.valueType() instanceof ArrayType || map.valueType() instanceof MapType) {
                    throw new IllegalArgumentException("column '" + where + "' is " + type.simpleString()
                            + ", which Protobuf cannot hold (a map's value cannot be repeated)");
                }
                declaration = "map<" + key + ", " + element(map.valueType(), where, nested, indent, imports) + ">";
            } else {
                String element = element(type, where, nested, indent, imports);
                boolean message = type instanceof StructType || element.contains(".");
                declaration = (field.nullable() && !message ? "optional " : "") + element;
            }
            out.append(indent)
                    .append("  ")
                    .append(declaration)
                    .append(' ')
                    .append(field.name())
                    .append(" = ")
                    .append(number++)
                    .append(";\n");
        }
        nested.forEach(out::append);
        out.append(indent).append("}\n");
    }

    private static String element(
            DataType type, String where, List<String> nested, String indent, Set<String> imports) {
        if (type instanceof StructType struct) {
            String name = messageName(where);
            StringBuilder inner = new StringBuilder();
            message(inner, name, struct, indent + "  ", imports, where);
            nested.add(inner.toString());
            return name;
        }
        String scalar = scalar(type, imports);
        if (scalar == null) {
            throw new IllegalArgumentException("column '" + where + "' is " + type.simpleString()
                    + ", which has no Protobuf type: CAST it (to a string, a number)");
        }
        return scalar;
    }

    private static String scalar(DataType type, Set<String> imports) {
        if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
            return "int32";
        }
        if (type instanceof LongType) {
            return "int64";
        }
        if (type instanceof FloatType) {
            return "float";
        }
        if (type instanceof DoubleType) {
            return "double";
        }
        if (type instanceof BooleanType) {
            return "bool";
        }
        if (type instanceof StringType || type instanceof DateType || type instanceof DecimalType) {
            return "string";
        }
        if (type instanceof BinaryType) {
            return "bytes";
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            imports.add("google/protobuf/timestamp.proto");
            return "google.protobuf.Timestamp";
        }
        return null;
    }

    /** {@code line_items} → {@code LineItems}: a nested message named after its field. */
    private static String messageName(String where) {
        String field = where.substring(where.lastIndexOf('.') + 1);
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : field.toCharArray()) {
            if (c == '_' || c == '-' || c == ' ') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.isEmpty() ? "Nested" : name.toString();
    }
}
