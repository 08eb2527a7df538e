package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static io.sluice.testkit.Pipelines.runToFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code value.format: avro} against a real broker and a real schema registry (Apicurio, with
 * Confluent's API): records are written as a registry-aware producer writes them (Avro's own
 * encoder and Confluent's framing, {@link ConfluentFrames}), never by the decoder under test.
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class AvroSourceTest {
    private static final String ORDER_V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"double\"}]}";
    /** Version 2 adds a field with a default: BACKWARD compatible, as the registry checks. */
    private static final String ORDER_V2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"double\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    private static Sluice sluice;
    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker, SchemaRegistry schemaRegistry) {
        kafka = broker;
        registry = schemaRegistry;
        sluice = SharedSluice.withCollectingSink();
    }

    private static Map<String, String> avro(String topic, String... more) {
        return OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "avro", "schemaRegistry.url", registry.url()), more);
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> source) {
        return sluice.pipeline(table).source("kafka", source).sink("collect");
    }

    private static List<String> rows(String sql) {
        return sluice.spark().sql(sql).collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    private static GenericRecord order(String schema, long id, double amount) {
        return new GenericRecordBuilder(new Schema.Parser().parse(schema))
                .set("id", id)
                .set("amount", amount)
                .build();
    }

    @Test
    void theFramingIsConfluentsWireFormat() {
        // the specification's bytes: magic 0, id 42 big-endian, then Avro's zig-zag varint of 1 (0x02)
        Schema id = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"K\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
        assertArrayEquals(
                new byte[] {0, 0, 0, 0, 42, 2},
                ConfluentFrames.avro(
                        42, id, new GenericRecordBuilder(id).set("id", 1L).build()));
    }

    @Test
    void recordsOfEveryVersionAreReadAsTheLatest() throws Exception {
        String topic = kafka.newTopic("avro-versions", 1);
        int v1 = registry.register(topic + "-value", ORDER_V1);
        int v2 = registry.register(topic + "-value", ORDER_V2);
        GenericRecord second = new GenericRecordBuilder(new Schema.Parser().parse(ORDER_V2))
                .set("id", 2L)
                .set("amount", 3.0)
                .set("note", "gift")
                .build();
        GenericRecord first = order(ORDER_V1, 1L, 10.5);
        kafka.produceBytes(
                topic,
                List.of(
                        ConfluentFrames.avro(v1, first.getSchema(), first),
                        ConfluentFrames.avro(v2, second.getSchema(), second)));

        runToEnd(pipeline("avro_versions", avro(topic)));
        assertEquals(
                "struct<id:bigint,amount:double,note:string,key:binary,topic:string,partition:int,offset:bigint,"
                        + "timestamp:timestamp,timestampType:int>",
                sluice.spark().table("avro_versions").schema().simpleString());
        assertEquals(
                List.of("[1,10.5,null,0]", "[2,3.0,gift,1]"),
                rows("SELECT id, amount, note, offset FROM avro_versions ORDER BY offset"));
        // explain names the reader schema resolved at start, and the writers' ids
        String explained =
                pipeline("avro_versions_explain", avro(topic)).build().explain();
        assertTrue(
                explained.startsWith("== Source ==\nvalue read as subject '" + topic + "-value' version 2 (id " + v2
                        + "), writer ids [" + v1 + ", " + v2 + "]; reader schema: "
                        + new Schema.Parser().parse(ORDER_V2) + "\n== Output schema =="),
                explained);
    }

    @Test
    void aPinnedVersionIsTheReaderSchema() throws Exception {
        String topic = kafka.newTopic("avro-pinned", 1);
        int v1 = registry.register(topic + "-value", ORDER_V1);
        registry.register(topic + "-value", ORDER_V2);
        GenericRecord first = order(ORDER_V1, 1L, 10.5);
        kafka.produceBytes(topic, List.of(ConfluentFrames.avro(v1, first.getSchema(), first)));

        runToEnd(pipeline("avro_pinned", avro(topic, "value.subject.version", "1")));
        assertEquals(List.of("[1,10.5]"), rows("SELECT id, amount FROM avro_pinned"));
        assertEquals(
                "id,amount,key",
                String.join(
                        ",",
                        List.of(sluice.spark().table("avro_pinned").columns()).subList(0, 3)));
    }

    /** A schema that uses a type registered under another subject (a reference) is read with that type. */
    @Test
    void schemaReferencesAreResolved() throws Exception {
        String topic = kafka.newTopic("avro-references", 1);
        String customer = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"shop\",\"fields\":["
                + "{\"name\":\"name\",\"type\":\"string\"}]}";
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"customer\",\"type\":\"shop.Customer\"}]}";
        registry.register(topic + "-customer", customer);
        int id = registry.register(
                topic + "-value",
                "AVRO",
                order,
                List.of(Map.of("name", "shop.Customer", "subject", topic + "-customer", "version", 1)));
        Schema.Parser parser = new Schema.Parser();
        Schema customerSchema = parser.parse(customer);
        Schema orderSchema = parser.parse(order);
        GenericRecord record = new GenericRecordBuilder(orderSchema)
                .set("id", 5L)
                .set(
                        "customer",
                        new GenericRecordBuilder(customerSchema)
                                .set("name", "Ann")
                                .build())
                .build();
        kafka.produceBytes(topic, List.of(ConfluentFrames.avro(id, orderSchema, record)));

        runToEnd(pipeline("avro_references", avro(topic)));
        assertEquals(List.of("[5,Ann]"), rows("SELECT id, customer.name FROM avro_references"));
    }

    /** An Avro key is a struct column {@code key}, from the topic's -key subject; the value's fields stay columns. */
    @Test
    void anAvroKeyIsAStructColumn() throws Exception {
        String topic = kafka.newTopic("avro-keys", 1);
        String keySchema = "{\"type\":\"record\",\"name\":\"OrderKey\",\"fields\":["
                + "{\"name\":\"region\",\"type\":\"string\"}]}";
        int keyId = registry.register(topic + "-key", keySchema);
        int valueId = registry.register(topic + "-value", ORDER_V1);
        Schema parsedKey = new Schema.Parser().parse(keySchema);
        GenericRecord value = order(ORDER_V1, 3L, 4.5);
        kafka.send(List.of(new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic,
                ConfluentFrames.avro(
                        keyId,
                        parsedKey,
                        new GenericRecordBuilder(parsedKey).set("region", "eu").build()),
                ConfluentFrames.avro(valueId, value.getSchema(), value))));

        runToEnd(pipeline("avro_keys", avro(topic, "key.format", "avro")));
        assertEquals(
                "struct<id:bigint,amount:double,key:struct<region:string>,topic:string,partition:int,offset:bigint,"
                        + "timestamp:timestamp,timestampType:int>",
                sluice.spark().table("avro_keys").schema().simpleString());
        assertEquals(List.of("[3,4.5,eu]"), rows("SELECT id, amount, key.region FROM avro_keys"));
    }

    /** Spark's own from_avro mapping: decimal, date, timestamps, uuid, enum, arrays, maps, nested records, unions. */
    @Test
    void typesAndLogicalTypesMapAsSparksFromAvro() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"Everything\",\"fields\":["
                + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}},"
                + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                + "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"atMicros\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"ref\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
                + "{\"name\":\"state\",\"type\":{\"type\":\"enum\",\"name\":\"State\",\"symbols\":[\"NEW\",\"PAID\"]}},"
                + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
                + "{\"name\":\"counts\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
                + "{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
                + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"tier\",\"type\":\"int\"}]}},"
                + "{\"name\":\"comment\",\"type\":[\"null\",\"string\"],\"default\":null},"
                + "{\"name\":\"flag\",\"type\":\"boolean\"},{\"name\":\"ratio\",\"type\":\"float\"},"
                + "{\"name\":\"raw\",\"type\":\"bytes\"}]}";
        String topic = kafka.newTopic("avro-types", 1);
        int id = registry.register(topic + "-value", schema);
        Schema parsed = new Schema.Parser().parse(schema);
        Schema customer = parsed.getField("customer").schema();
        UUID ref = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        GenericRecord record = new GenericRecordBuilder(parsed)
                .set(
                        "price",
                        ByteBuffer.wrap(
                                new BigDecimal("1234.56").unscaledValue().toByteArray()))
                .set("day", 19_000)
                .set("at", 1_700_000_000_123L)
                .set("atMicros", 1_700_000_000_123_456L)
                .set("ref", ref.toString())
                .set(
                        "state",
                        new GenericData.EnumSymbol(parsed.getField("state").schema(), "PAID"))
                .set("tags", List.of("a", "b"))
                .set("counts", Map.of("x", 3L))
                .set(
                        "customer",
                        new GenericRecordBuilder(customer)
                                .set("name", "Ann")
                                .set("tier", 2)
                                .build())
                .set("comment", null)
                .set("flag", true)
                .set("ratio", 0.5f)
                .set("raw", ByteBuffer.wrap(new byte[] {1, 2}))
                .build();
        kafka.produceBytes(topic, List.of(ConfluentFrames.avro(id, parsed, record)));

        runToEnd(pipeline("avro_types", avro(topic)));
        assertEquals(
                "struct<price:decimal(10,2),day:date,at:timestamp,atMicros:timestamp,ref:string,state:string,"
                        + "tags:array<string>,counts:map<string,bigint>,customer:struct<name:string,tier:int>,"
                        + "comment:string,flag:boolean,ratio:float,raw:binary,key:binary",
                sluice.spark().table("avro_types").schema().simpleString().replaceFirst(",topic:.*", ""));
        assertEquals(
                List.of("[1234.56,2022-01-08,2023-11-14 22:13:20.123,2023-11-14 22:13:20.123456," + ref
                        + ",PAID,a|b,3,Ann,2,null,true,0.5,0102]"),
                rows("SELECT price, CAST(day AS STRING), CAST(at AS STRING), CAST(atMicros AS STRING), ref, state,"
                        + " array_join(tags, '|'), counts['x'], customer.name, customer.tier, comment, flag, ratio,"
                        + " hex(raw) FROM avro_types"));
    }

    /**
     * Every way a record can fail — not framed, too short, an id the subject did not have, a datum
     * that does not decode, a null value — goes to the dead letter with its reason.
     */
    @Test
    void badFramesGoWhereBadRecordsSaysWithTheSchemaIdAndTheReason() throws Exception {
        String topic = kafka.newTopic("avro-bad", 1);
        int v1 = registry.register(topic + "-value", ORDER_V1);
        GenericRecord good = order(ORDER_V1, 1L, 10.5);
        byte[] truncated = Arrays.copyOf(ConfluentFrames.avro(v1, good.getSchema(), good), 7);
        kafka.produceBytes(
                topic,
                Arrays.asList(
                        ConfluentFrames.avro(v1, good.getSchema(), good),
                        "{\"id\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new byte[] {0, 0},
                        ConfluentFrames.avro(424_242, good.getSchema(), good),
                        truncated,
                        null,
                        ConfluentFrames.avro(v1, good.getSchema(), order(ORDER_V1, 7L, 1.0))));
        Path deadLetter = dir.resolve("dead-letter");
        PipelineHandle handle = runToEnd(pipeline(
                        "avro_bad",
                        avro(
                                topic,
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString(),
                                "value.onNewSchema",
                                "bad_record"))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        assertEquals(List.of("[1,10.5]", "[7,1.0]"), rows("SELECT id, amount FROM avro_bad ORDER BY id"));
        assertEquals(
                List.of(
                        "[1,value is not in Confluent's wire format (it starts with 0x7B22696422): a registry's"
                                + " serializer writes the magic byte 0 and a 4-byte schema id before the datum]",
                        "[2,value is not in Confluent's wire format (it starts with 0x0000): a registry's serializer"
                                + " writes the magic byte 0 and a 4-byte schema id before the datum]",
                        "[3,value was written with schema id 424242, which subject '" + topic + "-value' did not have"
                                + " when the pipeline started (version 1; ids " + v1 + "): a bad record"
                                + " (value.onNewSchema: bad_record); start the pipeline again to read records of newer"
                                + " schemas]",
                        "[4,value does not decode as Avro written with schema id " + v1 + "]",
                        "[5,value is null]"),
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
        assertEquals(
                Map.of("kafka.decode.deadLettered", 5L),
                Map.of("kafka.decode.deadLettered", handle.countTotals().get("kafka.decode.deadLettered")));
    }

    @Test
    void withOnNewSchemaFailAnUnknownIdStopsThePipelineNamingSubjectVersionAndId() throws Exception {
        String topic = kafka.newTopic("avro-fail", 1);
        int v1 = registry.register(topic + "-value", ORDER_V1);
        GenericRecord good = order(ORDER_V1, 1L, 10.5);
        kafka.produceBytes(topic, List.of(ConfluentFrames.avro(v1 + 1000, good.getSchema(), good)));
        StreamingQueryException error =
                runToFailure(pipeline("avro_fail", avro(topic, "value.onNewSchema", "fail", "badRecords", "skip")));
        assertTrue(
                error.getMessage()
                        .contains("source 'kafka': the record at topic " + topic + ", partition 0, offset 0:"
                                + " value was written with schema id " + (v1 + 1000) + ", which subject '" + topic
                                + "-value' did not have when the pipeline started (version 1; ids " + v1 + "): start"
                                + " the pipeline again to read it with the subject's latest version, or set"
                                + " value.onNewSchema to restart to do that by itself"),
                error.getMessage());
    }

    /** A value with a field named like a Kafka column is read as one struct column: nothing hidden. */
    @Test
    void aFieldNamedLikeAKafkaColumnIsReadAsOneStructColumn() throws Exception {
        String topic = kafka.newTopic("avro-timestamp", 1);
        String event = "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"timestamp\",\"type\":\"string\"}]}";
        int id = registry.register(topic + "-value", event);
        Schema schema = new Schema.Parser().parse(event);
        kafka.produceBytes(
                topic,
                List.of(ConfluentFrames.avro(
                        id,
                        schema,
                        new GenericRecordBuilder(schema)
                                .set("id", 1L)
                                .set("timestamp", "yesterday")
                                .build())));
        assertEquals(
                List.of("source 'kafka': cannot read the stream: the value's schema (value read as subject '" + topic
                        + "-value' version 1 (id " + id + "), writer ids [" + id + "]) has a field 'timestamp', which"
                        + " would hide the Kafka column 'timestamp' (the value's fields become columns): set"
                        + " value.columns to struct to read the value as one struct column 'value' (value.timestamp in"
                        + " SQL), or read it with a reader schema without that field"),
                problems(avro(topic)));

        runToEnd(pipeline("avro_timestamp", avro(topic, "value.columns", "struct")));
        assertEquals(
                "struct<key:binary,value:struct<id:bigint,timestamp:string>,topic:string,partition:int,offset:bigint,"
                        + "timestamp:timestamp,timestampType:int>",
                sluice.spark().table("avro_timestamp").schema().simpleString());
        assertEquals(
                List.of("[1,yesterday,true]"),
                rows("SELECT value.id, value.timestamp, timestamp IS NOT NULL FROM avro_timestamp"));
    }

    /**
     * A record that stops the batch (here: a schema id new since start, under onNewSchema: fail) has
     * null fields, and a transform's WHERE on them must not drop it first: Spark merged the
     * deterministic filter that raises the error with the user's and tested {@code isnotnull(amount)}
     * before it, so the pipeline went on without the record. The raising filters are nondeterministic
     * now, which Spark never merges.
     */
    @Test
    void aWhereOnTheValuesFieldsNeverHidesARecordThatStopsTheBatch() throws Exception {
        String topic = kafka.newTopic("avro-where", 1);
        int v1 = registry.register(topic + "-value", ORDER_V1);
        GenericRecord good = order(ORDER_V1, 1L, 10.5);
        kafka.produceBytes(
                topic,
                List.of(
                        ConfluentFrames.avro(v1, good.getSchema(), good),
                        ConfluentFrames.avro(v1 + 1000, good.getSchema(), good)));
        StreamingQueryException error = runToFailure(pipeline("avro_where", avro(topic, "value.onNewSchema", "fail"))
                .sql("SELECT id, amount FROM input WHERE amount >= 0"));
        assertTrue(
                error.getMessage()
                        .contains("source 'kafka': the record at topic " + topic + ", partition 0, offset 1: value was"
                                + " written with schema id " + (v1 + 1000)),
                error.getMessage());
    }

    /** Writer and reader schemas the registry let through (compatibility NONE) but Avro cannot resolve. */
    @Test
    void aWriterTheReaderCannotReadIsABadRecordNamingBoth() throws Exception {
        String topic = kafka.newTopic("avro-unreadable", 1);
        registry.setCompatibility(topic + "-value", "NONE");
        String textId = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}";
        int v1 = registry.register(topic + "-value", textId);
        int v2 = registry.register(topic + "-value", ORDER_V1);
        GenericRecord old = new GenericRecordBuilder(new Schema.Parser().parse(textId))
                .set("id", "a-1")
                .set("amount", 1.0)
                .build();
        GenericRecord current = order(ORDER_V1, 2L, 2.0);
        kafka.produceBytes(
                topic,
                List.of(
                        ConfluentFrames.avro(v1, old.getSchema(), old),
                        ConfluentFrames.avro(v2, current.getSchema(), current)));
        Path deadLetter = dir.resolve("dead-letter-unreadable");
        runToEnd(pipeline(
                        "avro_unreadable",
                        avro(topic, "badRecords", "dead_letter", "deadLetter.path", deadLetter.toString()))
                .checkpointLocation(dir.resolve("checkpoint-unreadable").toString()));

        assertEquals(List.of("[2,2.0]"), rows("SELECT id, amount FROM avro_unreadable"));
        assertEquals(
                List.of("[0,value was written with a schema the reader schema cannot read: subject '" + topic
                        + "-value' version 1 (id " + v1 + ") cannot be read as version 2 (TYPE_MISMATCH at"
                        + " /fields/0/type: reader type: LONG not compatible with writer type: STRING)]"),
                sluice.spark().read().json(deadLetter.toString()).selectExpr("offset", "error").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
    }

    /** Without a registry: one fixed schema decodes every framed record, whatever its id. */
    @Test
    void aFixedSchemaReadsWithoutARegistry() throws Exception {
        String topic = kafka.newTopic("avro-fixed", 1);
        // golden bytes: magic 0, id 7, then id = 1 (zig-zag 0x02) and amount = 2.0 (IEEE 754 little-endian)
        byte[] golden = {0, 0, 0, 0, 7, 2, 0, 0, 0, 0, 0, 0, 0, 64};
        kafka.produceBytes(topic, List.of(golden));
        runToEnd(pipeline(
                "avro_fixed", kafka.readFromStart(topic, "value.format", "avro", "value.avroSchema", ORDER_V1)));
        assertEquals(List.of("[1,2.0]"), rows("SELECT id, amount FROM avro_fixed"));
    }

    @Test
    void mistakesAreProblemsBeforeStart() {
        String topic = kafka.newTopic("avro-mistakes", 1);
        registry.register(topic + "-value", ORDER_V1);
        assertEquals(
                List.of("source 'kafka': option 'value.format' = 'avro' needs option 'schemaRegistry.url' (the registry"
                        + " the writers' schemas come from) or 'value.avroSchema' (one fixed schema)"),
                problems(kafka.readFromStart(topic, "value.format", "avro")));
        assertEquals(
                List.of("source 'kafka': cannot read the stream: option 'value.subject' = '" + topic
                        + "-valeu': the schema registry at " + registry.url() + " has no such subject — did you mean '"
                        + topic + "-value'?"),
                problems(avro(topic, "value.subject", topic + "-valeu")));
        assertEquals(
                List.of("source 'kafka': cannot read the stream: the schema registry at " + registry.url()
                        + " has no version 9 of subject '" + topic + "-value' (it has versions 1)"),
                problems(avro(topic, "value.subject.version", "9")));
        assertEquals(
                List.of("source 'kafka': option 'value.subject.version' = 'newest' must be latest or a version number"),
                problems(avro(topic, "value.subject.version", "newest")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'schemaRegistry.url' is only used when 'value.format' or 'key.format' is"
                                + " json-schema, protobuf, or avro without a fixed schema"),
                problems(kafka.readFromStart(topic, "value.format", "string", "schemaRegistry.url", registry.url())));
        assertEquals(
                List.of("source 'kafka': option 'value.avroSchema' = '{\"type\":\"record\"}' is not an Avro schema:"
                        + " No name in schema: {\"type\":\"record\"}"),
                problems(kafka.readFromStart(
                        topic, "value.format", "avro", "value.avroSchema", "{\"type\":\"record\"}")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'value.format' = 'avro' needs option 'value.subject' when the source"
                                + " reads several topics (a, b): the subject is the topic's name and -value only for one topic"),
                problems(OptionPairs.with(
                        kafka.sourceOptions("subscribe", "a,b"),
                        "value.format",
                        "avro",
                        "schemaRegistry.url",
                        registry.url())));
    }

    @Test
    void aRegistryThatCannotBeReachedIsAProblemBeforeStart() {
        String topic = kafka.newTopic("avro-unreachable", 1);
        int port = EmbeddedKafka.freePort();
        List<String> problems = problems(
                kafka.readFromStart(topic, "value.format", "avro", "schemaRegistry.url", "http://127.0.0.1:" + port));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(
                problems.get(0)
                        .startsWith("source 'kafka': cannot read the stream: cannot reach the schema registry at"
                                + " http://127.0.0.1:" + port + ": "),
                problems.get(0));
        assertTrue(
                problems.get(0).endsWith(" — check schemaRegistry.url and that the registry is up"), problems.get(0));
    }

    /** The URL is not a secret: credentials written into it are refused, and the message does not repeat them. */
    @Test
    void credentialsInTheRegistryUrlAreRefusedWithoutShowingThem() {
        String topic = kafka.newTopic("avro-credentials", 1);
        List<String> problems = problems(kafka.readFromStart(
                topic, "value.format", "avro", "schemaRegistry.url", "https://ann:s3cret@registry.example:8081"));
        assertEquals(
                List.of("source 'kafka': option 'schemaRegistry.url' has a user and password in it: put them in option"
                        + " 'schemaRegistry.basic.auth.user.info' (a secret, never shown) and leave the URL without"
                        + " them"),
                problems);
    }

    private static List<String> problems(Map<String, String> source) {
        return pipeline("avro_check", source).build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }
}
