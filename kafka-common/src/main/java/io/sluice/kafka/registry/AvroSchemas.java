package io.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.StructType;

/**
 * The Avro schema of a query's columns, as a producer registers it: Spark's own mapping
 * ({@code to_avro}'s), with every nullable field written {@code ["null", T]} and a default of
 * null. Spark writes {@code [T, "null"]} without a default; a field without a default cannot be
 * added under BACKWARD compatibility (the registry's usual setting), so a query that gains a
 * nullable column could never register its next version. Spark's writer accepts both orders.
 */
public final class AvroSchemas {
    private AvroSchemas() {}

    public static Schema of(StructType columns, String recordName, String namespace) {
        requireNonNull(columns, "columns is null");
        return evolvable(SchemaConverters.toAvroType(columns, false, recordName, namespace));
    }

    private static Schema evolvable(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                List<Schema.Field> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    Schema type = evolvable(field.schema());
                    boolean nullable = type.getType() == Schema.Type.UNION && type.isNullable();
                    fields.add(
                            nullable
                                    ? new Schema.Field(
                                            field.name(), nullFirst(type), field.doc(), JsonProperties.NULL_VALUE)
                                    : new Schema.Field(field.name(), type, field.doc(), field.defaultVal()));
                }
                yield Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
            }
            case ARRAY -> Schema.createArray(evolvable(schema.getElementType()));
            case MAP -> Schema.createMap(evolvable(schema.getValueType()));
            case UNION ->
                Schema.createUnion(
                        schema.getTypes().stream().map(AvroSchemas::evolvable).toList());
            default -> schema;
        };
    }

    private static Schema nullFirst(Schema union) {
        List<Schema> types = new ArrayList<>();
        types.add(Schema.create(Schema.Type.NULL));
        union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).forEach(types::add);
        return Schema.createUnion(types);
    }
}
