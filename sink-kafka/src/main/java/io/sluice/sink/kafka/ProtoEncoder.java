package io.sluice.sink.kafka;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import io.sluice.kafka.registry.ConfluentFrame;
import io.sluice.kafka.registry.ProtoText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Writes one row as a Protobuf value in Confluent's framing — the magic byte, the schema id, the
 * message index {@code [0]} (the single byte 0: the file's first message) and the message — by
 * the descriptor of the {@code .proto} the sink registered ({@code ProtoSchemas}), field by field
 * in column order. A null is an unset field; an array's null element cannot be written, and
 * fails the batch in words rather than vanish.
 */
final class ProtoEncoder implements UDF1<Row, byte[]> {
    private static final long serialVersionUID = 1L;

    private final int id;
    private final String proto;
    private transient Descriptor descriptor;

    ProtoEncoder(int id, String proto) {
        this.id = id;
        this.proto = proto;
    }

    @Override
    public byte[] call(Row row) {
        DynamicMessage message = message(descriptor(), row, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ConfluentFrame.header(id));
        try {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeSInt32NoTag(0);
            message.writeTo(coded);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Descriptor descriptor() {
        if (descriptor == null) {
            try {
                descriptor = Descriptors.FileDescriptor.buildFrom(
                                ProtoText.parse("value.proto", proto), new Descriptors.FileDescriptor[] {
                                    Timestamp.getDescriptor().getFile()
                                })
                        .getMessageTypes()
                        .get(0);
            } catch (Descriptors.DescriptorValidationException e) {
                throw new IllegalStateException("the value's .proto does not build: " + e.getMessage(), e);
            }
        }
        return descriptor;
    }

    private static DynamicMessage message(Descriptor type, Row row, String path) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        List<FieldDescriptor> fields = type.getFields();
        for (int i = 0; i < fields.size(); i++) {
            FieldDescriptor field = fields.get(i);
            Object value = row.get(i);
            if (value == null) {
                continue;
            }
            String where = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (field.isMapField()) {
                Descriptor entry = field.getMessageType();
                for (Map.Entry<?, ?> pair : scala.jdk.javaapi.CollectionConverters.asJava(
                                (scala.collection.Map<?, ?>) value)
                        .entrySet()) {
                    DynamicMessage.Builder element = DynamicMessage.newBuilder(entry)
                            .setField(
                                    entry.findFieldByNumber(1),
                                    single(entry.findFieldByNumber(1), pair.getKey(), where));
                    if (pair.getValue() != null) {
                        element.setField(
                                entry.findFieldByNumber(2), single(entry.findFieldByNumber(2), pair.getValue(), where));
                    }
                    builder.addRepeatedField(field, element.build());
                }
            } else if (field.isRepeated()) {
                for (Object element : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value)) {
                    if (element == null) {
                        throw new IllegalArgumentException("sink 'kafka': column '" + where + "' has a null element,"
                                + " which a Protobuf repeated field cannot hold: filter the nulls out"
                                + " (filter(" + where + ", x -> x IS NOT NULL))");
                    }
                    builder.addRepeatedField(field, single(field, element, where));
                }
            } else {
                builder.setField(field, single(field, value, where));
            }
        }
        return builder.build();
    }

    private static Object single(FieldDescriptor field, Object value, String where) {
        return switch (field.getJavaType()) {
            case INT -> ((Number) value).intValue();
            case LONG -> ((Number) value).longValue();
            case FLOAT -> ((Number) value).floatValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case BOOLEAN -> value;
            case STRING -> value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
            case BYTE_STRING -> ByteString.copyFrom((byte[]) value);
            case MESSAGE -> {
                if (field.getMessageType().getFullName().equals("google.protobuf.Timestamp")) {
                    Instant instant = value instanceof java.sql.Timestamp timestamp
                            ? timestamp.toInstant()
                            : value instanceof LocalDateTime local ? local.toInstant(ZoneOffset.UTC) : (Instant) value;
                    yield Timestamp.newBuilder()
                            .setSeconds(instant.getEpochSecond())
                            .setNanos(instant.getNano())
                            .build();
                }
                yield message(field.getMessageType(), (Row) value, where);
            }
            case ENUM -> throw new IllegalStateException("the sink writes no enums");
        };
    }
}
