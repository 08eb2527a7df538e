package io.sluice.source.kafka;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Protobuf messages as Spark rows, by the message's descriptor: each field a column of Spark's
 * {@code from_protobuf} mapping — {@code int32}/{@code sint32}/{@code sfixed32} INT,
 * {@code int64}/{@code sint64}/{@code sfixed64} BIGINT, {@code float}, {@code double},
 * {@code bool}, {@code string}, {@code bytes} BINARY, enums by name (STRING), messages STRUCT,
 * {@code repeated} ARRAY, {@code map} MAP, {@code google.protobuf.Timestamp} TIMESTAMP — with
 * unsigned integers widened so that no value turns negative ({@code uint32}/{@code fixed32}
 * BIGINT, {@code uint64}/{@code fixed64} DECIMAL(20,0): Spark's {@code upcast.unsigned.ints}).
 * As {@code from_protobuf} by default, a field that is not set is null (in proto3, a scalar
 * without {@code optional} is "not set" when it holds its default), a repeated field or map
 * without elements empty.
 */
final class ProtoRows {
    private static final String TIMESTAMP = "google.protobuf.Timestamp";
    private static final DecimalType UNSIGNED_64 = DataTypes.createDecimalType(20, 0);

    private ProtoRows() {}

    /** The Spark type of {@code message}; a message that contains itself has none, and is refused. */
    static StructType struct(Descriptor message) {
        return struct(message, new ArrayList<>());
    }

    private static StructType struct(Descriptor message, List<String> path) {
        if (path.contains(message.getFullName())) {
            throw new IllegalArgumentException("message '" + message.getFullName() + "' contains itself (through "
                    + String.join(" → ", path) + "), and a Spark column cannot: read it as binary");
        }
        path.add(message.getFullName());
        List<StructField> fields = new ArrayList<>();
        for (FieldDescriptor field : message.getFields()) {
            fields.add(DataTypes.createStructField(field.getName(), type(field, path), true));
        }
        path.remove(path.size() - 1);
        return DataTypes.createStructType(fields);
    }

    private static DataType type(FieldDescriptor field, List<String> path) {
        if (field.isMapField()) {
            Descriptor entry = field.getMessageType();
            return DataTypes.createMapType(
                    single(entry.findFieldByNumber(1), path), single(entry.findFieldByNumber(2), path), true);
        }
        DataType element = single(field, path);
        return field.isRepeated() ? DataTypes.createArrayType(element, true) : element;
    }

    private static DataType single(FieldDescriptor field, List<String> path) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> DataTypes.IntegerType;
            case INT64, SINT64, SFIXED64, UINT32, FIXED32 -> DataTypes.LongType;
            case UINT64, FIXED64 -> UNSIGNED_64;
            case FLOAT -> DataTypes.FloatType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOL -> DataTypes.BooleanType;
            case STRING, ENUM -> DataTypes.StringType;
            case BYTES -> DataTypes.BinaryType;
            case MESSAGE, GROUP ->
                field.getMessageType().getFullName().equals(TIMESTAMP)
                        ? DataTypes.TimestampType
                        : struct(field.getMessageType(), path);
        };
    }

    /** The row of a message of the descriptor {@link #struct} was made from. */
    static Row row(Message message) {
        Descriptor descriptor = message.getDescriptorForType();
        List<FieldDescriptor> fields = descriptor.getFields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            FieldDescriptor field = fields.get(i);
            if (field.isMapField()) {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (Object entry : (List<?>) message.getField(field)) {
                    Message pair = (Message) entry;
                    Descriptor type = pair.getDescriptorForType();
                    FieldDescriptor key = type.findFieldByNumber(1);
                    FieldDescriptor value = type.findFieldByNumber(2);
                    map.put(
                            value(key, pair.getField(key)),
                            value.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !pair.hasField(value)
                                    ? null
                                    : value(value, pair.getField(value)));
                }
                values[i] = map;
            } else if (field.isRepeated()) {
                List<Object> list = new ArrayList<>();
                for (Object element : (List<?>) message.getField(field)) {
                    list.add(value(field, element));
                }
                values[i] = list;
            } else {
                values[i] = message.hasField(field) ? value(field, message.getField(field)) : null;
            }
        }
        return RowFactory.create(values);
    }

    private static Object value(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) value);
            case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) value));
            case ENUM -> ((EnumValueDescriptor) value).getName();
            case BYTES -> ((ByteString) value).toByteArray();
            case MESSAGE, GROUP -> {
                Message message = (Message) value;
                if (field.getMessageType().getFullName().equals(TIMESTAMP)) {
                    Descriptor type = message.getDescriptorForType();
                    long seconds = (Long) message.getField(type.findFieldByName("seconds"));
                    int nanos = (Integer) message.getField(type.findFieldByName("nanos"));
                    yield Instant.ofEpochSecond(seconds, nanos);
                }
                yield row(message);
            }
            default -> value;
        };
    }
}
