package io.sluice.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code value.format: avro} in the sink against a real broker and registry: the written
 * records are read back with Avro's own decoder and the registry's schema (not the source under
 * test), then by the kafka source, and the registry's compatibility answer is a problem before
 * start.
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class AvroSinkTest {
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
    }

    private static Map<String, String> jsonSource(String topic) {
        return kafka.readFromStart(
                topic, "value.format", "json", "value.schema", "id BIGINT, customer STRING, amount DOUBLE");
    }

    private PipelineBuilder toAvro(String name, String in, String out, String sql, String... more) {
        return sluice.pipeline(name)
                .source("kafka", jsonSource(in))
                .sql(sql)
                .sink(
                        "kafka",
                        OptionPairs.with(
                                kafka.sourceOptions(
                                        "topic", out, "value.format", "avro", "schemaRegistry.url", registry.url()),
                                more))
                .checkpointLocation(dir.resolve(name).toString());
    }

    @Test
    void jsonRowsBecomeAvroRecordsTheRegistrysSchemaDecodesAndTheSourceReadsBack() throws Exception {
        String in = kafka.newTopic("avro-sink-in", 1);
        String out = kafka.newTopic("avro-sink-out", 1);
        kafka.produceValues(
                in,
                List.of(
                        "{\"id\":1,\"customer\":\"ann\",\"amount\":10.5}",
                        "{\"id\":2,\"customer\":null,\"amount\":3}"));
        Pipelines.runToEnd(
                toAvro("json_to_avro", in, out, "SELECT id, customer, amount FROM input", "value.namespace", "shop"));

        int id = registry.latestId(out + "-value");
        Schema written = new Schema.Parser().parse(registry.schema(id));
        assertEquals(
                "{\"type\":\"record\",\"name\":\"topLevelRecord\",\"namespace\":\"shop\",\"fields\":["
                        + "{\"name\":\"id\",\"type\":[\"null\",\"long\"],\"default\":null},"
                        + "{\"name\":\"customer\",\"type\":[\"null\",\"string\"],\"default\":null},"
                        + "{\"name\":\"amount\",\"type\":[\"null\",\"double\"],\"default\":null}]}",
                written.toString());
        List<String> decoded = kafka.consume(out, 2, Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value)
                .map(bytes -> {
                    ByteBuffer frame = ByteBuffer.wrap(bytes);
                    assertEquals(0, frame.get(), "magic byte");
                    assertEquals(id, frame.getInt(), "schema id");
                    try {
                        GenericRecord record = new GenericDatumReader<GenericRecord>(written)
                                .read(
                                        null,
                                        DecoderFactory.get()
                                                .binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
                        return record.toString();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .sorted()
                .toList();
        assertEquals(
                List.of(
                        "{\"id\": 1, \"customer\": \"ann\", \"amount\": 10.5}",
                        "{\"id\": 2, \"customer\": null, \"amount\": 3.0}"),
                decoded);

        Pipelines.runToEnd(sluice.pipeline("avro_read_back")
                .source("kafka", kafka.readFromStart(out, "value.format", "avro", "schemaRegistry.url", registry.url()))
                .sink("collect"));
        assertEquals(
                List.of("[1,ann,10.5]", "[2,null,3.0]"),
                sluice
                        .spark()
                        .sql("SELECT id, customer, amount FROM avro_read_back ORDER BY id")
                        .collectAsList()
                        .stream()
                        .map(Row::toString)
                        .toList());
    }

    /** A nullable column added later is a compatible next version; a column whose type changes is refused before start. */
    @Test
    void theRegistrysCompatibilityAnswerIsAProblemBeforeStart() throws Exception {
        String in = kafka.newTopic("avro-sink-evolve-in", 1);
        String out = kafka.newTopic("avro-sink-evolve-out", 1);
        kafka.produceValues(in, List.of("{\"id\":1,\"customer\":\"ann\",\"amount\":10.5}"));
        Pipelines.runToEnd(toAvro("avro_v1", in, out, "SELECT id, amount FROM input"));

        assertEquals(List.of(), problems(toAvro("avro_v2", in, out, "SELECT id, amount, customer FROM input")));
        List<String> refused =
                problems(toAvro("avro_v3", in, out, "SELECT id, CAST(amount AS STRING) AS amount FROM input"));
        assertEquals(1, refused.size(), refused::toString);
        assertTrue(
                refused.get(0)
                        .startsWith("sink 'kafka': the schema registry at " + registry.url()
                                + " refuses the value's schema as the next version of subject '" + out + "-value' ("),
                refused.get(0));
        assertTrue(
                refused.get(0)
                        .endsWith(
                                "): the query's columns changed in a way the subject's compatibility does not"
                                        + " allow; keep the columns compatible (add nullable columns), or write to another subject"),
                refused.get(0));
    }

    @Test
    void avroMistakesAreProblemsBeforeStart() {
        String in = kafka.newTopic("avro-sink-mistakes", 1);
        assertEquals(
                List.of("sink 'kafka': option 'value.format' = 'avro' needs option 'schemaRegistry.url' (the registry"
                        + " the value's schema is registered in)"),
                problems(sluice.pipeline("avro_no_registry")
                        .source("kafka", jsonSource(in))
                        .sink("kafka", kafka.sourceOptions("topic", "x", "value.format", "avro"))
                        .checkpointLocation(dir.resolve("c1").toString())));
        assertEquals(
                List.of("sink 'kafka': option 'value.format' = 'avro' needs option 'topic' or 'value.subject': the"
                        + " subject is named after the topic (value.subject.strategy), and without 'topic' each row"
                        + " picks its own"),
                problems(sluice.pipeline("avro_no_topic")
                        .source("kafka", jsonSource(in))
                        .sql("SELECT id, 'x' AS topic FROM input")
                        .sink(
                                "kafka",
                                kafka.sourceOptions("value.format", "avro", "schemaRegistry.url", registry.url()))
                        .checkpointLocation(dir.resolve("c2").toString())));
        assertEquals(
                List.of("sink 'kafka': option 'value.recordName' = 'my-record' is not an Avro name (a letter or _,"
                        + " then letters, digits and _)"),
                problems(toAvro("avro_bad_name", in, "x", "SELECT id FROM input", "value.recordName", "my-record")));
        assertEquals(
                List.of(
                        "sink 'kafka': option 'value.subject' is only used when 'value.format' is avro, json-schema or protobuf (it is json)"),
                problems(sluice.pipeline("avro_subject_json")
                        .source("kafka", jsonSource(in))
                        .sink("kafka", kafka.sourceOptions("topic", "x", "value.subject", "x-value"))
                        .checkpointLocation(dir.resolve("c3").toString())));
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }
}
