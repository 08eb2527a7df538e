package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code value.format: json-schema} against a real broker and a real schema registry. */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class JsonSchemaSourceTest {
    static final String ORDER = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
            + "\"properties\":{\"id\":{\"type\":\"integer\"},\"customer\":{\"type\":[\"string\",\"null\"]},"
            + "\"amount\":{\"type\":\"number\"},\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
            + "\"day\":{\"type\":\"string\",\"format\":\"date\"},\"paid\":{\"type\":\"boolean\"},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"counts\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
            + "\"address\":{\"$ref\":\"#/definitions/Address\"},"
            + "\"note\":{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"string\"}]}},"
            + "\"definitions\":{\"Address\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}";

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

    private static Map<String, String> jsonSchema(String topic, String... more) {
        return OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "json-schema", "schemaRegistry.url", registry.url()), more);
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> source) {
        return sluice.pipeline(table).source("kafka", source).sink("collect");
    }

    private static List<String> rows(String sql) {
        return sluice.spark().sql(sql).collectAsList().stream()
                .map(Row::toString)
                .toList();
    }

    @Test
    void theSchemasTypesBecomeColumnsAndEveryFrameThatFailsHasItsReason() throws Exception {
        String topic = kafka.newTopic("json-schema", 1);
        int id = registry.register(topic + "-value", "JSON", ORDER, List.of());
        kafka.produceBytes(
                topic,
                Arrays.asList(
                        ConfluentFrames.json(
                                id,
                                "{\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"at\":\"2026-12-05T10:15:30Z\","
                                        + "\"day\":\"2026-12-05\",\"paid\":true,\"tags\":[\"a\",\"b\"],\"counts\":{\"x\":3},"
                                        + "\"address\":{\"city\":\"Oslo\"},\"note\":null}"),
                        "{\"id\":2}".getBytes(StandardCharsets.UTF_8),
                        ConfluentFrames.json(id + 500, "{\"id\":3}"),
                        ConfluentFrames.json(id, "{\"id\":\"four\"}"),
                        ConfluentFrames.json(id, "{\"id\":5}")));
        Path deadLetter = dir.resolve("dead-letter");
        runToEnd(pipeline(
                        "json_schema",
                        jsonSchema(
                                topic,
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString(),
                                "value.onNewSchema",
                                "bad_record"))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        assertEquals(
                "struct<id:bigint,customer:string,amount:double,at:timestamp,day:date,paid:boolean,tags:array<string>,"
                        + "counts:map<string,bigint>,address:struct<city:string>,note:string,key:binary",
                sluice.spark().table("json_schema").schema().simpleString().replaceFirst(",topic:.*", ""));
        assertEquals(
                List.of(
                        "[1,ann,10.5,2026-12-05 10:15:30,2026-12-05,true,a|b,3,Oslo,null]",
                        "[5,null,null,null,null,null,null,null,null,null]"),
                rows(
                        "SELECT id, customer, amount, CAST(at AS STRING), CAST(day AS STRING), paid, array_join(tags, '|'),"
                                + " counts['x'], address.city, note FROM json_schema ORDER BY id"));
        assertEquals(
                List.of(
                        "[1,value is not in Confluent's wire format (it starts with 0x7B22696422): a registry's"
                                + " serializer writes the magic byte 0 and a 4-byte schema id before the datum]",
                        "[2,value was written with schema id " + (id + 500) + ", which subject '" + topic
                                + "-value' did not have when the pipeline started (version 1; ids " + id + "): a bad"
                                + " record (value.onNewSchema: bad_record); start the pipeline again to read records of"
                                + " newer schemas]",
                        "[3,value is not JSON matching the JSON Schema of subject '" + topic + "-value' version 1 (id "
                                + id + ")]"),
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

    @Test
    void aSchemaWithoutOneSparkTypeOrOfAnotherFormatIsAProblemBeforeStart() {
        String topic = kafka.newTopic("json-schema-mistakes", 1);
        int id = registry.register(
                topic + "-value",
                "JSON",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":[\"string\",\"integer\"]}}}",
                List.of());
        assertEquals(
                List.of("source 'kafka': cannot read the stream: the JSON Schema of subject '" + topic
                        + "-value' version 1"
                        + " (id " + id + ") has type [\"string\",\"integer\"] (more than one type besides null) at"
                        + " /properties/id, which no Spark type holds: read the value as json with a value.schema"
                        + " instead"),
                problems(jsonSchema(topic)));
        String avroTopic = kafka.newTopic("json-schema-avro", 1);
        int avroId = registry.register(
                avroTopic + "-value",
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
        assertEquals(
                List.of("source 'kafka': cannot read the stream: subject '" + avroTopic + "-value' version 1 (id "
                        + avroId
                        + ") in the schema registry at " + registry.url()
                        + " is AVRO, not JSON Schema: set value.format"
                        + " to what the producers write"),
                problems(jsonSchema(avroTopic)));
        assertEquals(
                List.of("source 'kafka': option 'value.format' = 'json-schema' needs option 'schemaRegistry.url' (the"
                        + " registry the writers' schemas come from)"),
                problems(kafka.readFromStart(topic, "value.format", "json-schema")));
    }

    private static List<String> problems(Map<String, String> source) {
        return pipeline("json_schema_check", source).build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }
}
