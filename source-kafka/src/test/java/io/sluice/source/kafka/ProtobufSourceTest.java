package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code value.format: protobuf} against a real broker and a real schema registry. The registry
 * keeps the {@code .proto} text; the producers here encode with protobuf-java from descriptors
 * built by hand (never by the parser under test) and Confluent's framing ({@link ConfluentFrames}).
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class ProtobufSourceTest {
    static final String ORDER_V1 = """
            syntax = "proto3";
            package shop;
            import "google/protobuf/timestamp.proto";

            // an order, as the shop's producers write it
            message Order {
              int64 id = 1;
              double amount = 2;
              string customer = 3;
              Status status = 4;
              repeated string tags = 5;
              map<string, int32> counts = 6;
              Address address = 7;
              google.protobuf.Timestamp at = 8;
              optional int32 priority = 9;
              uint64 big = 10 [deprecated = true];
              bytes raw = 11;
              oneof payment {
                string card = 12;
                string iban = 13;
              }
              message Address { string city = 1; }
            }
            enum Status { UNKNOWN = 0; PAID = 1; SHIPPED = 2; }
            message Refund { int64 order = 1; }
            """;
    /** Version 2 adds a field: Protobuf resolves by field number, so version 1's records read with it unset. */
    private static final String ORDER_V2 =
            ORDER_V1.replace("  message Address", "  string note = 14;\n  message Address");

    private static Sluice sluice;
    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;
    private static Descriptors.Descriptor order;
    private static Descriptors.Descriptor orderV2;
    private static Descriptors.Descriptor refund;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker, SchemaRegistry schemaRegistry) throws Exception {
        kafka = broker;
        registry = schemaRegistry;
        sluice = SharedSluice.withCollectingSink();
        Descriptors.FileDescriptor v1 = producersFile(false);
        order = v1.findMessageTypeByName("Order");
        refund = v1.findMessageTypeByName("Refund");
        orderV2 = producersFile(true).findMessageTypeByName("Order");
    }

    /** The file as the producers' generated code has it, built field by field with protobuf-java. */
    static Descriptors.FileDescriptor producersFile(boolean withNote) throws Exception {
        DescriptorProto.Builder order = DescriptorProto.newBuilder()
                .setName("Order")
                .addField(field("id", 1, Type.TYPE_INT64))
                .addField(field("amount", 2, Type.TYPE_DOUBLE))
                .addField(field("customer", 3, Type.TYPE_STRING))
                .addField(field("status", 4, Type.TYPE_ENUM).setTypeName(".shop.Status"))
                .addField(field("tags", 5, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
                .addField(field("counts", 6, Type.TYPE_MESSAGE)
                        .setTypeName(".shop.Order.CountsEntry")
                        .setLabel(Label.LABEL_REPEATED))
                .addField(field("address", 7, Type.TYPE_MESSAGE).setTypeName(".shop.Order.Address"))
                .addField(field("at", 8, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Timestamp"))
                .addField(field("priority", 9, Type.TYPE_INT32)
                        .setProto3Optional(true)
                        .setOneofIndex(1))
                .addField(field("big", 10, Type.TYPE_UINT64))
                .addField(field("raw", 11, Type.TYPE_BYTES))
                .addField(field("card", 12, Type.TYPE_STRING).setOneofIndex(0))
                .addField(field("iban", 13, Type.TYPE_STRING).setOneofIndex(0))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("payment"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_priority"))
                .addNestedType(DescriptorProto.newBuilder()
                        .setName("CountsEntry")
                        .addField(field("key", 1, Type.TYPE_STRING))
                        .addField(field("value", 2, Type.TYPE_INT32))
                        .setOptions(MessageOptions.newBuilder().setMapEntry(true)))
                .addNestedType(
                        DescriptorProto.newBuilder().setName("Address").addField(field("city", 1, Type.TYPE_STRING)));
        if (withNote) {
            order.addField(field("note", 14, Type.TYPE_STRING));
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("shop.proto")
                .setPackage("shop")
                .setSyntax("proto3")
                .addDependency("google/protobuf/timestamp.proto")
                .addMessageType(order)
                .addEnumType(EnumDescriptorProto.newBuilder()
                        .setName("Status")
                        .addValue(EnumValueDescriptorProto.newBuilder()
                                .setName("UNKNOWN")
                                .setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder()
                                .setName("PAID")
                                .setNumber(1))
                        .addValue(EnumValueDescriptorProto.newBuilder()
                                .setName("SHIPPED")
                                .setNumber(2)))
                .addMessageType(
                        DescriptorProto.newBuilder().setName("Refund").addField(field("order", 1, Type.TYPE_INT64)))
                .build();
        return Descriptors.FileDescriptor.buildFrom(
                file,
                new Descriptors.FileDescriptor[] {Timestamp.getDescriptor().getFile()});
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setType(type)
                .setLabel(Label.LABEL_OPTIONAL);
    }

    private static Map<String, String> protobuf(String topic, String... more) {
        return OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "protobuf", "schemaRegistry.url", registry.url()), more);
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> source) {
        return sluice.pipeline(table).source("kafka", source).sink("collect");
    }

    private static List<String> rows(String sql) {
        return sluice.spark().sql(sql).collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    private static DynamicMessage.Builder orderOf(Descriptors.Descriptor type, long id) {
        return DynamicMessage.newBuilder(type).setField(type.findFieldByName("id"), id);
    }

    @Test
    void theFramingWritesMessageIndexesAsConfluentDoes() {
        DynamicMessage empty = DynamicMessage.getDefaultInstance(refund);
        // index [0] is the single byte 0; [1] is the count 1 and the index 1, each a zig-zag varint (2)
        assertArrayEquals(new byte[] {0, 0, 0, 0, 42, 0}, ConfluentFrames.protobuf(42, List.of(0), empty));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 42, 2, 2}, ConfluentFrames.protobuf(42, List.of(1), empty));
    }

    @Test
    void everyTypeMapsAsSparksFromProtobufAndOlderVersionsReadAsTheLatest() throws Exception {
        String topic = kafka.newTopic("protobuf-types", 1);
        int v1 = registry.register(topic + "-value", "PROTOBUF", ORDER_V1, List.of());
        int v2 = registry.register(topic + "-value", "PROTOBUF", ORDER_V2, List.of());
        Descriptors.Descriptor address = order.findNestedTypeByName("Address");
        Descriptors.Descriptor counts = order.findNestedTypeByName("CountsEntry");
        DynamicMessage full = orderOf(order, 1)
                .setField(order.findFieldByName("amount"), 10.5)
                .setField(order.findFieldByName("customer"), "ann")
                .setField(
                        order.findFieldByName("status"),
                        order.getFile().findEnumTypeByName("Status").findValueByName("SHIPPED"))
                .addRepeatedField(order.findFieldByName("tags"), "a")
                .addRepeatedField(order.findFieldByName("tags"), "b")
                .addRepeatedField(
                        order.findFieldByName("counts"),
                        DynamicMessage.newBuilder(counts)
                                .setField(counts.findFieldByName("key"), "x")
                                .setField(counts.findFieldByName("value"), 3)
                                .build())
                .setField(
                        order.findFieldByName("address"),
                        DynamicMessage.newBuilder(address)
                                .setField(address.findFieldByName("city"), "Oslo")
                                .build())
                .setField(
                        order.findFieldByName("at"),
                        Timestamp.newBuilder()
                                .setSeconds(1_764_929_730L)
                                .setNanos(123_000_000)
                                .build())
                .setField(order.findFieldByName("priority"), 0)
                .setField(order.findFieldByName("big"), -1L) // 2^64 - 1 unsigned
                .setField(order.findFieldByName("raw"), ByteString.copyFrom(new byte[] {1, 2}))
                .setField(order.findFieldByName("iban"), "NO93")
                .build();
        DynamicMessage withNote = orderOf(orderV2, 3)
                .setField(orderV2.findFieldByName("note"), "gift")
                .build();
        kafka.produceBytes(
                topic,
                List.of(
                        ConfluentFrames.protobuf(v1, List.of(0), full),
                        ConfluentFrames.protobuf(
                                v1, List.of(0), orderOf(order, 2).build()),
                        ConfluentFrames.protobuf(v2, List.of(0), withNote)));

        runToEnd(pipeline("protobuf_types", protobuf(topic)));

        assertEquals(
                "struct<id:bigint,amount:double,customer:string,status:string,tags:array<string>,counts:map<string,int>,"
                        + "address:struct<city:string>,at:timestamp,priority:int,big:decimal(20,0),raw:binary,card:string,"
                        + "iban:string,note:string,key:binary",
                sluice.spark().table("protobuf_types").schema().simpleString().replaceFirst(",topic:.*", ""));
        sluice.spark().conf().set("spark.sql.session.timeZone", "UTC");
        assertEquals(
                List.of(
                        "[1,10.5,ann,SHIPPED,a|b,3,Oslo,2025-12-05 10:15:30.123,0,18446744073709551615,0102,null,NO93,null]",
                        "[2,null,null,null,,null,null,null,null,null,null,null,null,null]",
                        "[3,null,null,null,,null,null,null,null,null,null,null,null,gift]"),
                rows(
                        "SELECT id, amount, customer, status, array_join(tags, '|'), counts['x'], address.city,"
                                + " CAST(at AS STRING), priority, big, hex(raw), card, iban, note FROM protobuf_types ORDER BY id"));
    }

    /** Every way a record can fail goes to the dead letter with its reason. */
    @Test
    void badFramesGoWhereBadRecordsSaysWithTheReason() throws Exception {
        String topic = kafka.newTopic("protobuf-bad", 1);
        int v1 = registry.register(topic + "-value", "PROTOBUF", ORDER_V1, List.of());
        byte[] good = ConfluentFrames.protobuf(v1, List.of(0), orderOf(order, 1).build());
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        kafka.produceBytes(
                topic,
                List.of(
                        good,
                        ConfluentFrames.protobuf(
                                v1,
                                List.of(1),
                                DynamicMessage.newBuilder(refund)
                                        .setField(refund.findFieldByName("order"), 1L)
                                        .build()),
                        truncated,
                        ConfluentFrames.protobuf(
                                v1, List.of(7), orderOf(order, 1).build())));
        Path deadLetter = dir.resolve("dead-letter");
        runToEnd(pipeline(
                        "protobuf_bad",
                        protobuf(topic, "badRecords", "dead_letter", "deadLetter.path", deadLetter.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        assertEquals(List.of("[1]"), rows("SELECT id FROM protobuf_bad"));
        assertEquals(
                List.of(
                        "[1,value was written as message 'shop.Refund' of schema id " + v1 + ", not 'shop.Order', the"
                                + " message read: set value.protobuf.message to read that one (in a pipeline of its own)]",
                        "[2,value does not decode as Protobuf written with schema id " + v1 + " (message 'shop.Order'):"
                                + " While parsing a protocol message, the input ended unexpectedly in the middle of a"
                                + " field.  This could mean either that the input has been truncated or that an embedded"
                                + " message misreported its own length.]",
                        "[3,value does not decode as Protobuf written with schema id " + v1
                                + ": its message indexes [7]" + " name no message of that schema]"),
                sluice
                        .spark()
                        .read()
                        .json(deadLetter.toString())
                        .selectExpr("offset", "error")
                        .orderBy("offset")
                        .collectAsList()
                        .stream()
                        .map(Row::toString)
                        .toList());
    }

    /** Without a registry: a descriptor set file, as protoc --include_imports --descriptor_set_out writes it. */
    @Test
    void aDescriptorSetFileReadsWithoutARegistry() throws Exception {
        String topic = kafka.newTopic("protobuf-fixed", 1);
        Path set = dir.resolve("shop.desc");
        java.nio.file.Files.write(
                set,
                com.google.protobuf.DescriptorProtos.FileDescriptorSet.newBuilder()
                        .addFile(Timestamp.getDescriptor().getFile().toProto())
                        .addFile(order.getFile().toProto())
                        .build()
                        .toByteArray());
        kafka.produceBytes(
                topic,
                List.of(ConfluentFrames.protobuf(
                        4242, List.of(0), orderOf(order, 5).build())));
        Map<String, String> fixed =
                kafka.readFromStart(topic, "value.format", "protobuf", "value.protobuf.descriptorFile", set.toString());
        assertEquals(
                List.of("source 'kafka': cannot read the stream: option 'value.protobuf.descriptorFile' = '" + set
                        + "' needs option 'value.protobuf.message': the message the value is read as (messages:"
                        + " shop.Order, shop.Order.CountsEntry, shop.Order.Address,"
                        + " shop.Refund)"),
                pipeline("protobuf_fixed_check", fixed).build().validate().problems().stream()
                        .map(Object::toString)
                        .toList());
        runToEnd(pipeline("protobuf_fixed", OptionPairs.with(fixed, "value.protobuf.message", "shop.Order")));
        assertEquals(List.of("[5]"), rows("SELECT id FROM protobuf_fixed"));
    }

    @Test
    void aSecondMessageIsReadByNameAndAnUnknownOneIsAProblemBeforeStart() throws Exception {
        String topic = kafka.newTopic("protobuf-refunds", 1);
        int v1 = registry.register(topic + "-value", "PROTOBUF", ORDER_V1, List.of());
        kafka.produceBytes(
                topic,
                List.of(ConfluentFrames.protobuf(
                        v1,
                        List.of(1),
                        DynamicMessage.newBuilder(refund)
                                .setField(refund.findFieldByName("order"), 9L)
                                .build())));
        runToEnd(pipeline("protobuf_refunds", protobuf(topic, "value.protobuf.message", "Refund")));
        assertEquals(List.of("[9]"), rows("SELECT `order` FROM protobuf_refunds"));

        assertEquals(
                List.of("source 'kafka': cannot read the stream: option 'value.protobuf.message' = 'Refnd': subject '"
                        + topic + "-value' version 1 (id " + v1
                        + ") has no such message — did you mean 'Refund'?"),
                pipeline("protobuf_typo", protobuf(topic, "value.protobuf.message", "Refnd"))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Object::toString)
                        .toList());
    }
}
