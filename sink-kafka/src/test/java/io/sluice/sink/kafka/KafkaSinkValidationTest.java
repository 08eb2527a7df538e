package io.sluice.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mistake with a Kafka sink and with real-time mode, as the user reads it, before anything starts. No broker. */
class KafkaSinkValidationTest {
    private static final Map<String, String> SOURCE = Map.of(
            "kafka.bootstrap.servers",
            "127.0.0.1:9",
            "subscribe",
            "orders",
            "value.format",
            "json",
            "value.schema",
            "id BIGINT, customer STRING, amount DOUBLE");
    private static final Map<String, String> SINK = Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "topic", "out");

    private static PipelineBuilder pipeline(String sql, Map<String, String> sink) {
        Sluice sluice = SharedSluice.get();
        return sluice.pipeline("to_kafka")
                .source("kafka", SOURCE)
                .sql(sql)
                .sink("kafka", sink)
                .checkpointLocation("/tmp/sluice-cp");
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }

    private static List<String> problems(String sql, String... sinkPairs) {
        return problems(pipeline(sql, OptionPairs.with(SINK, sinkPairs)));
    }

    @Test
    void isFoundByNameFollowsTheConventionsAndIsDocumented() {
        KafkaSink sink =
                (KafkaSink) SharedSluice.get().connectors().sink("kafka").orElseThrow();
        assertEquals(List.of(), ConnectorConventions.violations(sink));
        assertEquals("", ReadmeTables.checkDocs(sink));
        assertEquals(List.of(), problems("SELECT id, customer, amount FROM input"));
        assertEquals(
                List.of(),
                problems(
                        "SELECT CAST(id AS STRING) AS value, topic FROM input",
                        "value.format",
                        "string",
                        "topic",
                        "ignored-by-spark-when-set"));
    }

    @Test
    void producerSettingsAreCheckedAgainstTheProducersOwnNames() {
        assertEquals(
                List.of(),
                problems(
                        "SELECT id FROM input",
                        "kafka.acks",
                        "all",
                        "kafka.compression.type",
                        "zstd",
                        "kafka.linger.ms",
                        "20"));
        assertEquals(
                List.of(
                        "sink 'kafka': unknown option 'kafka.ack' — did you mean 'kafka.acks'? (options: checkpointLocation,"
                                + " headers, kafka.*, kafka.bootstrap.servers, key.column, key.format, key.namespace, key.recordName, key.subject, key.subject.strategy, queryName, schemaRegistry.basic.auth.user.info, schemaRegistry.bearer.auth.token, schemaRegistry.ssl.key.password, schemaRegistry.ssl.keystore.location, schemaRegistry.ssl.keystore.password, schemaRegistry.ssl.keystore.type, schemaRegistry.ssl.truststore.location, schemaRegistry.ssl.truststore.password, schemaRegistry.ssl.truststore.type, schemaRegistry.url, topic, value.format, value.namespace, value.recordName, value.subject, value.subject.strategy)"),
                problems("SELECT id FROM input", "kafka.ack", "all"));
        assertEquals(
                List.of(
                        "sink 'kafka': option 'kafka.key.serializer' is not supported: Spark writes keys as bytes; choose what they hold with 'key.column'",
                        "sink 'kafka': option 'kafka.value.serializer' is not supported: Spark writes values as bytes; choose how they are encoded with 'value.format'"),
                problems("SELECT id FROM input", "kafka.key.serializer", "x", "kafka.value.serializer", "y"));
        assertEquals(
                List.of("sink 'kafka': missing required option 'kafka.bootstrap.servers'"),
                problems(pipeline("SELECT id FROM input", Map.of("topic", "out"))));
    }

    @Test
    void passwordsAndTheJaasConfigAreNeverShown() {
        List<String> problems = problems(
                "SELECT id FROM input",
                "kafka.ssl.key.password",
                "hunter2",
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter3\";",
                "value.format",
                "jsn");
        assertEquals(
                List.of(
                        "sink 'kafka': option 'value.format' = 'jsn' is not one of: avro, binary, json, json-schema, protobuf, string — did you mean 'json'?"),
                problems);
        assertFalse(problems.toString().contains("hunter"));
        assertEquals(List.of(), ConnectorConventions.violations(new KafkaSink()));
    }

    @Test
    void theEncodingIsCheckedAgainstTheQuerysSchemaWithTheFix() {
        assertEquals(
                List.of(
                        "sink 'kafka': no topic: set option 'topic', or give each row its topic in a string column 'topic'"
                                + " (columns: id, customer, amount)"),
                problems(pipeline(
                        "SELECT id, customer, amount FROM input", Map.of("kafka.bootstrap.servers", "127.0.0.1:9"))));
        assertEquals(
                List.of(
                        "sink 'kafka': column 'topic' is int: a topic is a string (CAST(topic AS STRING)), or set option 'topic'"),
                problems(pipeline(
                        "SELECT id, 7 AS topic FROM input", Map.of("kafka.bootstrap.servers", "127.0.0.1:9"))));
        assertEquals(
                List.of(
                        "sink 'kafka': value.format 'string' writes the column 'value', which the query does not have"
                                + " (columns: id, customer): select one (e.g. CAST(x AS STRING) AS value), or use value.format json"),
                problems("SELECT id, customer FROM input", "value.format", "string"));
        assertEquals(
                List.of("sink 'kafka': column 'value' is bigint: value.format 'binary' needs a binary column"
                        + " (CAST(value AS BINARY)), or use value.format json"),
                problems("SELECT id AS value FROM input", "value.format", "binary"));
        assertEquals(
                List.of("sink 'kafka': option 'key.column' names column 'order_id', which the query does not have"
                        + " (columns: id, customer)"),
                problems("SELECT id, customer FROM input", "key.column", "order_id"));
        assertEquals(
                List.of(
                        "sink 'kafka': column 'tags' is array<int>: headers must be array<struct<key: string, value: binary>>"
                                + " (the kafka source's 'headers' with includeHeaders, or array(named_struct('key', 'k', 'value', CAST(v AS BINARY))))"),
                problems("SELECT id, array(1, 2) AS tags FROM input", "headers", "tags"));
        assertEquals(
                List.of(
                        "sink 'kafka': value.format 'json' writes every column but the key, topic and headers, and none is left"
                                + " (columns: id)"),
                problems("SELECT id FROM input", "key.column", "id"));
    }

    @Test
    void completeModeIsRefusedWithTheReason() {
        assertEquals(
                List.of(
                        "sink 'kafka': output mode COMPLETE is not supported (supported: APPEND, UPDATE): a topic only grows,"
                                + " so COMPLETE would write the whole result again every batch; use UPDATE to write each changed row"),
                problems(pipeline("SELECT customer, count(*) AS n FROM input GROUP BY customer", SINK)
                        .outputMode(OutputMode.COMPLETE)));
    }

    @Test
    void realTimeModeIsCheckedRuleByRuleBeforeStart() {
        PipelineBuilder valid = pipeline("SELECT id, customer FROM input", SINK)
                .outputMode(OutputMode.UPDATE)
                .trigger(StreamTrigger.realTime(Duration.ofSeconds(5)))
                .checkpointLocation("/tmp/sluice-rt-validation");
        assertEquals(List.of(), problems(valid));

        assertEquals(
                List.of(
                        "pipeline 'everything_wrong': output mode APPEND cannot write an aggregation without a watermark: add a watermark"
                                + " on the event-time column (withWatermark, or WATERMARK in SQL) and group by a window of it, or use UPDATE or COMPLETE",
                        "pipeline 'everything_wrong': real-time mode checkpoints at most every 5 seconds (the trigger says 1 seconds):"
                                + " set realTime: 5 seconds or more",
                        "pipeline 'everything_wrong': real-time mode needs outputMode update (it is append): set outputMode update",
                        "pipeline 'everything_wrong': real-time mode runs stateless queries only, and this one has an aggregation"
                                + " (GROUP BY, count, window): drop it, or use a micro-batch trigger",
                        "sink 'kafka': missing required option 'checkpointLocation' (set it on the sink or on the pipeline): it is where"
                                + " the pipeline keeps how far it got, so that a restart goes on from there instead of writing its input again"),
                SharedSluice.get()
                        .pipeline("everything_wrong")
                        .source("kafka", SOURCE)
                        .sql("SELECT customer, count(*) AS n FROM input GROUP BY customer")
                        .sink("kafka", SINK)
                        .trigger(StreamTrigger.realTime(Duration.ofSeconds(1)))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .sorted()
                        .toList());

        // a sink that writes micro-batches (CollectingSink stands for files, foreachBatch sinks, plugins that say
        // nothing)
        Sluice withCollecting = SharedSluice.withCollectingSink();
        assertEquals(
                List.of(
                        "sink 'collect': real-time mode cannot write here: it writes micro-batches, which real-time mode does not have;"
                                + " use the kafka or console sink, or a micro-batch trigger",
                        "source 'kafka': real-time mode cannot read this source: its dead letter goes to json files at /tmp/dl,"
                                + " which real-time mode cannot keep (a batch has no fixed end to replay); use deadLetter.topic, or a"
                                + " micro-batch trigger"),
                withCollecting
                        .pipeline("files")
                        .source(
                                "kafka",
                                OptionPairs.with(SOURCE, "badRecords", "dead_letter", "deadLetter.path", "/tmp/dl"))
                        .sink("collect")
                        .outputMode(OutputMode.UPDATE)
                        .checkpointLocation("/tmp/cp")
                        .trigger(StreamTrigger.realTime(Duration.ofSeconds(5)))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .sorted()
                        .toList());
        assertEquals(
                List.of(),
                problems(pipeline("SELECT id, customer FROM input", SINK)
                        .outputMode(OutputMode.UPDATE)
                        .checkpointLocation("/tmp/cp")
                        .trigger(StreamTrigger.realTime(Duration.ofMinutes(1)))
                        .sourceOption("badRecords", "dead_letter")
                        .sourceOption("deadLetter.topic", "orders-dead-letter")));
    }
}
