package io.sluice.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code value.format: protobuf} and {@code json-schema} in the sink against a real broker and
 * registry (which parses and checks the schemas with its own code): the records are decoded
 * with protobuf-java and a descriptor written by hand, or Jackson, then read back by the source.
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class RegistryFormatsSinkTest {
    private static final String SQL = "SELECT id, customer, amount, array('a', 'b') AS tags,"
            + " named_struct('city', 'Oslo') AS address, CAST('2026-12-05 10:15:30' AS TIMESTAMP) AS at FROM input";

    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker, SchemaRegistry schemaRegistry) {
        kafka = broker;
        registry = schemaRegistry;
        sluice = SharedSluice.withCollectingSink();
        sluice.spark().conf().set("spark.sql.session.timeZone", "UTC");
    }

    private PipelineBuilder write(String name, String format, String in, String out, String sql, String... more) {
        return sluice.pipeline(name)
                .source(
                        "kafka",
                        kafka.readFromStart(
                                in,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, customer STRING, amount DOUBLE"))
                .sql(sql)
                .sink(
                        "kafka",
                        OptionPairs.with(
                                kafka.sourceOptions(
                                        "topic", out, "value.format", format, "schemaRegistry.url", registry.url()),
                                more))
                .checkpointLocation(dir.resolve(name).toString());
    }

    private String twoOrders(String prefix) {
        String in = kafka.newTopic(prefix + "-in", 1);
        kafka.produceValues(
                in,
                List.of(
                        "{\"id\":1,\"customer\":\"ann\",\"amount\":10.5}",
                        "{\"id\":2,\"customer\":null,\"amount\":3}"));
        return in;
    }

    private static List<String> readBack(String name, String out, String format) throws Exception {
        Pipelines.runToEnd(sluice.pipeline(name)
                .source("kafka", kafka.readFromStart(out, "value.format", format, "schemaRegistry.url", registry.url()))
                .sink("collect"));
        return sluice
                .spark()
                .sql("SELECT id, customer, amount, array_join(tags, '|'), address.city, CAST(at AS STRING) FROM " + name
                        + " ORDER BY id")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList();
    }

    private static List<String> rows(String sql) {
        return sluice.spark().sql(sql).collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    /** The message the sink's .proto describes, as a producer's generated code would have it. */
    private static Descriptors.Descriptor expectedMessage() throws Exception {
        DescriptorProto address = DescriptorProto.newBuilder()
                .setName("Address")
                .addField(field("city", 1, Type.TYPE_STRING)
                        .setProto3Optional(true)
                        .setOneofIndex(0))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_city"))
                .build();
        DescriptorProto order = DescriptorProto.newBuilder()
                .setName("Order")
                .addField(
                        field("id", 1, Type.TYPE_INT64).setProto3Optional(true).setOneofIndex(0))
                .addField(field("customer", 2, Type.TYPE_STRING)
                        .setProto3Optional(true)
                        .setOneofIndex(1))
                .addField(field("amount", 3, Type.TYPE_DOUBLE)
                        .setProto3Optional(true)
                        .setOneofIndex(2))
                .addField(field("tags", 4, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
                .addField(field("address", 5, Type.TYPE_MESSAGE).setTypeName(".shop.Order.Address"))
                .addField(field("at", 6, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Timestamp"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_id"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_customer"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_amount"))
                .addNestedType(address)
                .build();
        return Descriptors.FileDescriptor.buildFrom(
                        FileDescriptorProto.newBuilder()
                                .setName("order.proto")
                                .setPackage("shop")
                                .setSyntax("proto3")
                                .addDependency("google/protobuf/timestamp.proto")
                                .addMessageType(order)
                                .build(),
                        new Descriptors.FileDescriptor[] {
                            Timestamp.getDescriptor().getFile()
                        })
                .findMessageTypeByName("Order");
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setType(type)
                .setLabel(Label.LABEL_OPTIONAL);
    }

    @Test
    void rowsBecomeProtobufMessagesProtobufJavaDecodesAndTheSourceReadsBack() throws Exception {
        String in = twoOrders("protobuf-sink");
        String out = kafka.newTopic("protobuf-sink-out", 1);
        Pipelines.runToEnd(
                write("to_protobuf", "protobuf", in, out, SQL, "value.recordName", "Order", "value.namespace", "shop"));

        int id = registry.latestId(out + "-value");
        assertEquals("""
                syntax = "proto3";
                package shop;
                import "google/protobuf/timestamp.proto";
                message Order {
                  optional int64 id = 1;
                  optional string customer = 2;
                  optional double amount = 3;
                  repeated string tags = 4;
                  Address address = 5;
                  google.protobuf.Timestamp at = 6;
                  message Address {
                    string city = 1;
                  }
                }
                """, registry.schema(id));
        Descriptors.Descriptor order = expectedMessage();
        List<String> decoded = kafka.consume(out, 2, Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value)
                .map(bytes -> {
                    ByteBuffer frame = ByteBuffer.wrap(bytes);
                    assertEquals(0, frame.get(), "magic byte");
                    assertEquals(id, frame.getInt(), "schema id");
                    assertEquals(0, frame.get(), "message indexes [0]: the single byte 0");
                    try {
                        DynamicMessage message =
                                DynamicMessage.parseFrom(order, Arrays.copyOfRange(bytes, 6, bytes.length));
                        return com.google.protobuf.TextFormat.printer()
                                .emittingSingleLine(true)
                                .printToString(message)
                                .strip();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .sorted()
                .toList();
        assertEquals(
                List.of(
                        "id: 1 customer: \"ann\" amount: 10.5 tags: \"a\" tags: \"b\" address { city: \"Oslo\" } at {"
                                + " seconds: 1796465730 }",
                        "id: 2 amount: 3.0 tags: \"a\" tags: \"b\" address { city: \"Oslo\" } at { seconds: 1796465730 }"),
                decoded);
        assertEquals(
                List.of("[1,ann,10.5,a|b,Oslo,2026-12-05 10:15:30]", "[2,null,3.0,a|b,Oslo,2026-12-05 10:15:30]"),
                readBack("protobuf_read_back", out, "protobuf"));
    }

    @Test
    void rowsBecomeJsonSchemaFramesAndTheSourceReadsBack() throws Exception {
        String in = twoOrders("json-schema-sink");
        String out = kafka.newTopic("json-schema-sink-out", 1);
        Pipelines.runToEnd(write("to_json_schema", "json-schema", in, out, SQL));

        int id = registry.latestId(out + "-value");
        assertEquals(
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"topLevelRecord\",\"type\":\"object\","
                        + "\"properties\":{\"id\":{\"type\":[\"integer\",\"null\"]},\"customer\":{\"type\":[\"string\","
                        + "\"null\"]},\"amount\":{\"type\":[\"number\",\"null\"]},\"tags\":{\"type\":\"array\",\"items\":"
                        + "{\"type\":\"string\"}},\"address\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":"
                        + "\"string\"}}},\"at\":{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}}}",
                new ObjectMapper().readTree(registry.schema(id)).toString());
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(out, 2, Duration.ofSeconds(30));
        byte[] first = records.get(0).value();
        assertArrayEquals(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array(), Arrays.copyOf(first, 5));
        assertEquals(
                "{\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Oslo\"},"
                        + "\"at\":\"2026-12-05T10:15:30.000Z\"}",
                new String(first, 5, first.length - 5, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(
                List.of("[1,ann,10.5,a|b,Oslo,2026-12-05 10:15:30]", "[2,null,3.0,a|b,Oslo,2026-12-05 10:15:30]"),
                readBack("json_schema_read_back", out, "json-schema"));
    }

    /** key.format writes the key through the registry too: a string as Avro's "string", in Protobuf a message Key. */
    @Test
    void keysAreWrittenThroughTheRegistryUnderTheTopicsKeySubject() throws Exception {
        String in = twoOrders("registry-key");
        String avroOut = kafka.newTopic("registry-key-avro", 1);
        Pipelines.runToEnd(write(
                "avro_keys",
                "avro",
                in,
                avroOut,
                "SELECT id, coalesce(customer, 'nobody') AS customer, amount FROM input",
                "key.column",
                "customer",
                "key.format",
                "avro"));
        int keyId = registry.latestId(avroOut + "-key");
        assertEquals("\"string\"", registry.schema(keyId));
        List<String> keys = kafka.consume(avroOut, 2, Duration.ofSeconds(30)).stream()
                .map(record -> {
                    byte[] key = record.key();
                    assertArrayEquals(
                            ByteBuffer.allocate(5).put((byte) 0).putInt(keyId).array(), Arrays.copyOf(key, 5));
                    try {
                        return String.valueOf(new org.apache.avro.generic.GenericDatumReader<Object>(
                                        new org.apache.avro.Schema.Parser().parse(registry.schema(keyId)))
                                .read(
                                        null,
                                        org.apache.avro.io.DecoderFactory.get()
                                                .binaryDecoder(Arrays.copyOfRange(key, 5, key.length), null)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .sorted()
                .toList();
        assertEquals(List.of("ann", "nobody"), keys);

        String protobufOut = kafka.newTopic("registry-key-protobuf", 1);
        Pipelines.runToEnd(write(
                "protobuf_keys",
                "protobuf",
                in,
                protobufOut,
                "SELECT id, amount FROM input",
                "key.column",
                "id",
                "key.format",
                "protobuf"));
        assertEquals(
                "syntax = \"proto3\";\nmessage Key {\n  optional int64 id = 1;\n}\n",
                registry.schema(registry.latestId(protobufOut + "-key")));
        Pipelines.runToEnd(sluice.pipeline("protobuf_keys_back")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                protobufOut,
                                "key.format",
                                "protobuf",
                                "value.format",
                                "protobuf",
                                "schemaRegistry.url",
                                registry.url()))
                .sink("collect"));
        assertEquals(
                List.of("[1,1,10.5]", "[2,2,3.0]"),
                rows("SELECT key.id, id, amount FROM protobuf_keys_back ORDER BY id"));
    }

    /**
     * Confluent's record-name strategies, for the value and the key alike: the subject is the
     * record's full name (record_name) or the topic and that name (topic_record_name), and the
     * source reads the records back from that subject.
     */
    @Test
    void recordNameStrategiesNameTheSubjectsAfterTheRecords() throws Exception {
        String in = twoOrders("record-name");
        String out = kafka.newTopic("record-name-out", 1);
        Pipelines.runToEnd(write(
                "record_name",
                "avro",
                in,
                out,
                "SELECT named_struct('id', id) AS k, id, amount FROM input",
                "value.subject.strategy",
                "record_name",
                "value.recordName",
                "Order",
                "value.namespace",
                "com.shop",
                "key.column",
                "k",
                "key.format",
                "avro",
                "key.subject.strategy",
                "topic_record_name",
                "key.recordName",
                "OrderKey",
                "key.namespace",
                "com.shop"));
        assertEquals(
                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.shop\",\"fields\":[{\"name\":\"id\","
                        + "\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"amount\",\"type\":[\"null\",\"double\"],"
                        + "\"default\":null}]}",
                registry.schema(registry.latestId("com.shop.Order")));
        assertEquals(
                "{\"type\":\"record\",\"name\":\"OrderKey\",\"namespace\":\"com.shop\",\"fields\":[{\"name\":"
                        + "\"id\",\"type\":[\"null\",\"long\"],\"default\":null}]}",
                registry.schema(registry.latestId(out + "-com.shop.OrderKey")));
        Pipelines.runToEnd(sluice.pipeline("record_name_back")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                out,
                                "value.format",
                                "avro",
                                "value.subject",
                                "com.shop.Order",
                                "key.format",
                                "avro",
                                "key.subject",
                                out + "-com.shop.OrderKey",
                                "schemaRegistry.url",
                                registry.url()))
                .sink("collect"));
        assertEquals(
                List.of("[1,1,10.5]", "[2,2,3.0]"),
                rows("SELECT key.id, id, amount FROM record_name_back ORDER BY id"));
    }

    @Test
    void aRecordNameStrategyForAKeyWithoutANameIsAProblemBeforeStart() {
        String in = kafka.newTopic("record-name-scalar-in", 1);
        assertEquals(
                List.of("sink 'kafka': option 'key.subject.strategy' = 'record_name' names the subject after the key's"
                        + " record, and a key that is not a struct is, in avro, the format's own type (string),"
                        + " which has no name; set 'key.subject', or use topic_name"),
                write(
                                "record_name_scalar",
                                "avro",
                                in,
                                "elsewhere",
                                "SELECT customer, amount FROM input",
                                "key.column",
                                "customer",
                                "key.format",
                                "avro",
                                "key.subject.strategy",
                                "record_name")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }

    @Test
    void columnsProtobufCannotHoldAreAProblemBeforeStart() {
        String in = kafka.newTopic("protobuf-sink-bad-in", 1);
        assertEquals(
                List.of(
                        "sink 'kafka': value.format 'protobuf': column 'grid' is array<array<int>>, which Protobuf cannot"
                                + " hold (a repeated field of repeated fields)"),
                write("protobuf_bad", "protobuf", in, "elsewhere", "SELECT id, array(array(1)) AS grid FROM input")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }
}
