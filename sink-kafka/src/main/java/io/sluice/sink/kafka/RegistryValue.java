package io.sluice.sink.kafka;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;

import io.sluice.kafka.registry.AvroSchemas;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.JsonSchemas;
import io.sluice.kafka.registry.ProtoSchemas;
import io.sluice.kafka.registry.RegisteredSchema;
import io.sluice.kafka.registry.RegistryProtobuf;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A value written in a registry format — Avro, JSON Schema or Protobuf in Confluent's framing —
 * with its schema derived from the value's columns: the registry's type and text, the name the
 * record-name strategies use, and the id the registry gave it (0 while only validated). One
 * place for what differs between the formats; registering and checking compatibility are the
 * same for all.
 *
 * <p>{@code wrapped}: a key column that is not a struct, written as a Protobuf message of its one
 * field. {@code named}: whether {@code name} is a record's (message's, title's) full name a
 * record-name strategy can name a subject after; Avro's own types (a {@code "string"} key) are not.
 */
record RegistryValue(String format, String type, String text, String name, int id, boolean wrapped, boolean named) {
    /** The formats written through the registry, as {@code value.format} names them. */
    static final List<String> FORMATS = List.of("avro", "json-schema", "protobuf");

    /** The schema of {@code columns} in {@code format}: a record (message, title) {@code name} in {@code namespace}. */
    static RegistryValue of(String format, StructType columns, String name, String namespace) {
        String fullName = namespace.isEmpty() ? name : namespace + "." + name;
        return switch (format) {
            case "avro" -> {
                org.apache.avro.Schema schema = AvroSchemas.of(columns, name, namespace);
                yield new RegistryValue(
                        format, RegisteredSchema.AVRO, schema.toString(), schema.getFullName(), 0, false, true);
            }
            case "json-schema" ->
                new RegistryValue(format, "JSON", JsonSchemas.of(columns, fullName), fullName, 0, false, true);
            case "protobuf" ->
                new RegistryValue(
                        format,
                        RegistryProtobuf.PROTOBUF,
                        ProtoSchemas.of(columns, name, namespace),
                        fullName,
                        0,
                        false,
                        true);
            default -> throw new IllegalArgumentException("not a registry format: " + format);
        };
    }

    /**
     * The schema of a key column in {@code format}: a struct as a record (message, object) of its
     * fields; anything else as Avro's or JSON Schema's own type ({@code "string"}), and in
     * Protobuf, which has only messages, as a message {@code name} with the one field.
     */
    static RegistryValue key(
            String format, org.apache.spark.sql.types.StructField column, String name, String namespace) {
        String fullName = namespace.isEmpty() ? name : namespace + "." + name;
        if (column.dataType() instanceof StructType struct) {
            return of(format, struct, name, namespace);
        }
        return switch (format) {
            case "avro" -> {
                org.apache.avro.Schema schema = org.apache.spark.sql.avro.SchemaConverters.toAvroType(
                        column.dataType(), false, name, namespace);
                // Avro's own types (string, long, ...) have no name for a record-name strategy; a fixed or an enum has
                yield new RegistryValue(
                        format,
                        RegisteredSchema.AVRO,
                        schema.toString(),
                        schema.getFullName(),
                        0,
                        false,
                        schema.getFullName().equals(fullName));
            }
            case "json-schema" ->
                new RegistryValue(
                        format, "JSON", JsonSchemas.ofType(column.dataType(), fullName), fullName, 0, false, true);
            default -> {
                StructType wrapper = new StructType(new org.apache.spark.sql.types.StructField[] {column});
                yield new RegistryValue(
                        format,
                        RegistryProtobuf.PROTOBUF,
                        ProtoSchemas.of(wrapper, name, namespace),
                        fullName,
                        0,
                        true,
                        true);
            }
        };
    }

    /** Why the columns cannot be written in {@code format}; empty when they can. */
    static Optional<String> problem(String format, StructType columns) {
        return format.equals("protobuf") ? ProtoSchemas.problem(columns) : Optional.empty();
    }

    RegistryValue withId(int registered) {
        return new RegistryValue(format, type, text, name, registered, wrapped, named);
    }

    /** The framed value of the struct of the value's columns (or of a key column, wrapped when Protobuf needs it). */
    Column encode(Column struct) {
        if (wrapped) {
            return udf(new ProtoEncoder(id, text), DataTypes.BinaryType)
                    .apply(org.apache.spark.sql.functions.struct(struct));
        }
        return switch (format) {
            case "avro" ->
                concat(lit(ConfluentFrame.header(id)), org.apache.spark.sql.avro.functions.to_avro(struct, text));
            case "json-schema" ->
                concat(lit(ConfluentFrame.header(id)), to_json(struct).cast(DataTypes.BinaryType));
            default -> udf(new ProtoEncoder(id, text), DataTypes.BinaryType).apply(struct);
        };
    }
}
