package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TextFormat;
import io.sluice.core.SampleRecord;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.PipelineTester;
import io.sluice.testkit.pipeline.TestOutcome;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record a test gives as a document comes out of the pipeline as the same record written by a
 * real producer does: the producers here write with Avro's own datum writer from records built
 * by hand, with protobuf-java from descriptors built by hand (messages in protobuf's text
 * format) and as JSON text, register with the real registry and produce to the real broker; the
 * same records as the maps a test file holds go through the fixture, its registry stand-in and
 * {@link io.sluice.kafka.registry.AvroDocuments}/{@link ProtoDocuments}. Every column of every row must agree.
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class RegistryFixtureParityTest {
    static final String ORDER = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "counts", "type": {"type": "map", "values": "int"}},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}]}},
              {"name": "ratio", "type": ["null", "double"], "default": null},
              {"name": "coupon", "type": ["null", "string"], "default": null},
              {"name": "flag", "type": "boolean", "default": false}
            ]}""";

    private static Sluice sluice;
    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;

    @BeforeAll
    static void setUp(EmbeddedKafka broker, SchemaRegistry schemaRegistry) {
        kafka = broker;
        registry = schemaRegistry;
        sluice = SharedSluice.withCollectingSink();
    }

    @Test
    void avroDocumentsReadAsAvroThatAProducerWrote() throws Exception {
        String topic = kafka.newTopic("doc-avro", 1);
        int id = registry.register(topic + "-value", ORDER);
        Schema schema = new Schema.Parser().parse(ORDER);
        Schema address = schema.getField("address").schema();
        Schema status = schema.getField("status").schema();
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        Schema amount = schema.getField("amount").schema();
        GenericData.Record first = new GenericData.Record(schema);
        first.put("id", 1L);
        first.put("customer", "ada");
        first.put("amount", decimals.toBytes(new BigDecimal("120.50"), amount, LogicalTypes.decimal(10, 2)));
        first.put("status", new GenericData.EnumSymbol(status, "PAID"));
        first.put("created_at", 1_764_064_800_123L);
        first.put("day", 20_417);
        first.put("tags", List.of("a", "b"));
        first.put("counts", Map.of("x", 1));
        GenericData.Record oslo = new GenericData.Record(address);
        oslo.put("city", "Oslo");
        first.put("address", oslo);
        first.put("ratio", 0.5);
        first.put("coupon", "X1");
        first.put("flag", true);
        GenericData.Record second = new GenericData.Record(schema);
        second.put("id", 2L);
        second.put("customer", "bob");
        second.put(
                "amount",
                ByteBuffer.wrap(new BigDecimal("-3.00").unscaledValue().toByteArray()));
        second.put("status", new GenericData.EnumSymbol(status, "NEW"));
        second.put("created_at", 1_764_064_800_000L);
        second.put("day", 0);
        second.put("tags", List.of());
        second.put("counts", Map.of());
        GenericData.Record rome = new GenericData.Record(address);
        rome.put("city", "Rome");
        second.put("address", rome);
        second.put("ratio", null);
        second.put("coupon", null);
        second.put("flag", false);

        compare(
                topic,
                "avro",
                ORDER,
                List.of(ConfluentFrames.avro(id, schema, first), ConfluentFrames.avro(id, schema, second)),
                List.of(
                        """
                        {"id": 1, "customer": "ada", "amount": 120.5, "status": "PAID",
                         "created_at": "2025-11-25T10:00:00.123Z", "day": "2025-11-25", "tags": ["a", "b"],
                         "counts": {"x": 1}, "address": {"city": "Oslo"}, "ratio": 0.5, "coupon": "X1", "flag": true}""",
                        // a time and a date as the numbers Avro holds, the defaulted fields left out
                        """
                        {"id": 2, "customer": "bob", "amount": "-3", "status": "NEW", "created_at": 1764064800000,
                         "day": 0, "tags": [], "counts": {}, "address": {"city": "Rome"}}"""));
    }

    @Test
    void protobufDocumentsReadAsProtobufThatAProducerWrote() throws Exception {
        String topic = kafka.newTopic("doc-proto", 1);
        int id = registry.register(topic + "-value", "PROTOBUF", ProtobufSourceTest.ORDER_V1, List.of());
        com.google.protobuf.Descriptors.Descriptor order =
                ProtobufSourceTest.producersFile(false).findMessageTypeByName("Order");
        DynamicMessage first = message(
                order,
                "id: 1 amount: 2.5 customer: \"ada\" status: PAID tags: \"a\" tags: \"b\""
                        + " counts { key: \"x\" value: 3 } address { city: \"Oslo\" }"
                        + " at { seconds: 1764064800 nanos: 500000000 } priority: 7 big: 18446744073709551615"
                        + " raw: \"hi\" card: \"4111\"");
        DynamicMessage second = message(order, "id: -2 status: SHIPPED iban: \"DE00\"");
        compare(
                topic,
                "protobuf",
                ProtobufSourceTest.ORDER_V1,
                List.of(
                        ConfluentFrames.protobuf(id, List.of(0), first),
                        ConfluentFrames.protobuf(id, List.of(0), second)),
                List.of(
                        """
                        {"id": 1, "amount": 2.5, "customer": "ada", "status": "PAID", "tags": ["a", "b"],
                         "counts": {"x": 3}, "address": {"city": "Oslo"}, "at": "2025-11-25T10:00:00.5Z",
                         "priority": 7, "big": 18446744073709551615, "raw": "hi", "card": "4111"}""",
                        // an enum by its number, a field left null
                        """
                        {"id": -2, "status": 2, "customer": null, "iban": "DE00"}"""));
    }

    @Test
    void jsonSchemaDocumentsReadAsTheJsonAProducerWrote() throws Exception {
        String topic = kafka.newTopic("doc-json-schema", 1);
        int id = registry.register(topic + "-value", "JSON", JsonSchemaSourceTest.ORDER, List.of());
        String value = "{\"id\":1,\"customer\":\"ada\",\"amount\":2.5,\"at\":\"2026-11-25T10:00:00Z\",\"day\":"
                + "\"2026-11-25\",\"paid\":true,\"tags\":[\"a\"],\"counts\":{\"x\":1},\"address\":{\"city\":\"Oslo\"}}";
        compare(
                topic,
                "json-schema",
                JsonSchemaSourceTest.ORDER,
                List.of(ConfluentFrames.json(id, value)),
                List.of(value));
    }

    private static DynamicMessage message(com.google.protobuf.Descriptors.Descriptor type, String text)
            throws TextFormat.ParseException {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        TextFormat.merge(text, builder);
        return builder.build();
    }

    /** The produced frames read from the broker, and the documents given to the fixture: the same rows. */
    private static void compare(
            String topic, String format, String schema, List<byte[]> produced, List<String> documents)
            throws Exception {
        Map<String, String> options = kafka.readFromStart(
                topic, "value.format", format, "schemaRegistry.url", registry.url(), "badRecords", "fail");
        kafka.produceBytes(topic, produced);
        String table = "doc_" + format.replace('-', '_');
        runToEnd(pipeline(table, options));
        List<Row> fromKafka = sluice.spark().table(table).collectAsList();

        List<SampleRecord> given = documents.stream()
                .map(text -> new SampleRecord(
                        Optional.empty(),
                        text.getBytes(StandardCharsets.UTF_8),
                        List.of(),
                        OptionalInt.empty(),
                        Optional.empty(),
                        Set.of(SampleRecord.Part.VALUE)))
                .toList();
        TestOutcome outcome = new PipelineTester(sluice)
                .run(
                        pipeline("doc_fixture_" + table, options).build().definition(),
                        new PipelineTest(
                                format,
                                List.of(new PipelineTest.Batch(given, Expectation.none())),
                                Expectation.none(),
                                false,
                                Map.of(topic + "-value", List.of(schema))));
        outcome.assertPassed();
        List<Row> fromFixture = outcome.all().orElseThrow().rows();

        assertEquals(produced.size(), fromKafka.size(), fromKafka.toString());
        assertEquals(FixtureParityTest.text(fromKafka), FixtureParityTest.text(fromFixture));
        assertEquals(
                sluice.spark().table(table).schema(),
                outcome.all().orElseThrow().schema());
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> options) {
        return sluice.pipeline(table)
                .source("kafka", options)
                .sql("SELECT * EXCEPT (timestamp) FROM input")
                .sink("collect");
    }
}
