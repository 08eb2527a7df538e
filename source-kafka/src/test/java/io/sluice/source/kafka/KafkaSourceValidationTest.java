package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mistake in a Kafka source's options, with the exact message the user sees. No broker is needed. */
class KafkaSourceValidationTest {
    private static final String OPTIONS_LIST =
            "(options: assign, badRecords, commitOffsetsTo, deadLetter.format, deadLetter.path, deadLetter.topic, failOnDataLoss,"
                    + " fetchOffset.numRetries, fetchOffset.retryIntervalMs, groupIdPrefix, includeHeaders, kafka.*, kafka.bootstrap.servers,"
                    + " kafka.max.partition.fetch.bytes, kafka.max.poll.records, kafka.receive.buffer.bytes,"
                    + " kafkaConsumer.pollTimeoutMs, key.avroSchema, key.format, key.onNewSchema, key.protobuf.descriptorFile, key.protobuf.message, key.schema, key.subject, key.subject.version, maxOffsetsPerTrigger, maxRecordsPerPartition, maxTriggerDelay, minOffsetsPerTrigger,"
                    + " minPartitions, schemaRegistry.basic.auth.user.info, schemaRegistry.bearer.auth.token, schemaRegistry.ssl.key.password, schemaRegistry.ssl.keystore.location, schemaRegistry.ssl.keystore.password, schemaRegistry.ssl.keystore.type, schemaRegistry.ssl.truststore.location, schemaRegistry.ssl.truststore.password, schemaRegistry.ssl.truststore.type, schemaRegistry.url, startingOffsets, startingOffsetsByTimestamp, startingOffsetsByTimestampStrategy, startingTimestamp,"
                    + " subscribe, subscribePattern, value.avroSchema, value.columns, value.format, value.onNewSchema, value.protobuf.descriptorFile, value.protobuf.message, value.schema, value.subject, value.subject.version)";

    private static List<String> problems(Map<String, String> options) {
        return OptionsValidator.validate(new KafkaSource(), List.of(), options).problems().stream()
                .map(Problem::toString)
                .toList();
    }

    private static Map<String, String> valid(String... more) {
        return OptionPairs.with(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092", "subscribe", "orders"), more);
    }

    @Test
    void isDiscoveredByNameAndFollowsTheConventions() {
        KafkaSource kafka = (KafkaSource) ConnectorRegistry.load(getClass().getClassLoader())
                .source("kafka")
                .orElseThrow();
        assertEquals(List.of(), ConnectorConventions.violations(kafka));
        assertEquals(List.of(), problems(valid()));
    }

    @Test
    void theReadmeDocumentsEveryOption() {
        assertEquals("", ReadmeTables.checkDocs(new KafkaSource()));
    }

    @Test
    void theSeedsTypoIsCaughtWithDidYouMean() {
        assertEquals(
                List.of(
                        "source 'kafka': unknown option 'kafka.bootsrap.servers' — did you mean 'kafka.bootstrap.servers'? "
                                + OPTIONS_LIST),
                problems(Map.of(
                        "kafka.bootsrap.servers",
                        "127.0.0.1:9092",
                        "subscribe",
                        "orders",
                        "startingOffsets",
                        "latest")));
    }

    @Test
    void consumerSettingsAreCheckedAgainstKafkasOwnNames() {
        assertEquals(
                List.of(),
                problems(valid(
                        "kafka.security.protocol",
                        "SASL_SSL",
                        "kafka.sasl.mechanism",
                        "PLAIN",
                        "kafka.ssl.truststore.location",
                        "/etc/ts.jks",
                        "kafka.group.id",
                        "mine",
                        "kafka.max.poll.records",
                        "500")));
        assertEquals(
                List.of(
                        "source 'kafka': unknown option 'kafka.max.poll.record' — did you mean 'kafka.max.poll.records'? "
                                + OPTIONS_LIST),
                problems(valid("kafka.max.poll.record", "5")));
        assertEquals(
                List.of("source 'kafka': unknown option 'startingoffset' — did you mean 'startingOffsets'? "
                        + OPTIONS_LIST),
                problems(valid("startingoffset", "earliest")));
    }

    @Test
    void missingBootstrapAndTheSubscriptionRule() {
        assertEquals(
                List.of("source 'kafka': missing required option 'kafka.bootstrap.servers'"),
                problems(Map.of("subscribe", "orders")));
        assertEquals(
                List.of(
                        "source 'kafka': set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: assign, subscribe)"),
                problems(valid("assign", "{\"orders\":[0]}")));
        assertEquals(
                List.of("source 'kafka': set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: none)"),
                problems(Map.of("kafka.bootstrap.servers", "b:9092")));
    }

    @Test
    void optionsSparkRefusesForStreamingAreRejectedWithTheReason() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'endingOffsets' is not supported: streaming reads never end; use the available-now trigger to stop at the offsets current at start",
                        "source 'kafka': option 'kafka.auto.offset.reset' is not supported: Spark manages offsets itself; set 'startingOffsets' instead",
                        "source 'kafka': option 'kafka.enable.auto.commit' is not supported: Spark keeps offsets in the query's checkpoint, not in Kafka",
                        "source 'kafka': option 'kafka.value.deserializer' is not supported: Spark always reads values as bytes; set 'value.format' to decode them"),
                problems(valid(
                        "endingOffsets",
                        "latest",
                        "kafka.auto.offset.reset",
                        "earliest",
                        "kafka.enable.auto.commit",
                        "true",
                        "kafka.value.deserializer",
                        "org.apache.kafka.common.serialization.StringDeserializer")));
    }

    @Test
    void offsetsAndAssignmentJsonIsChecked() {
        assertEquals(List.of(), problems(valid("startingOffsets", "{\"orders\":{\"0\":23,\"1\":-2}}")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'startingOffsets' = 'first' must be 'earliest', 'latest' or JSON like {\"t\":{\"0\":23,\"1\":-2}}"
                                .replace("\"t\"", "\"topicA\"")),
                problems(valid("startingOffsets", "first")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'startingOffsets' = '{\"orders\":{\"0\":-5}}' has -5 for partition 0 of topic 'orders', which is not an offset (-2 = earliest, -1 = latest)"),
                problems(valid("startingOffsets", "{\"orders\":{\"0\":-5}}")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'startingOffsets' names topic 'payments', which 'subscribe' does not (subscribe: orders)"),
                problems(valid("startingOffsets", "{\"payments\":{\"0\":1}}")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'assign' = '{\"orders\":[0,\"x\"]}' has partition \"x\" of topic 'orders', which is not a partition number"),
                problems(Map.of("kafka.bootstrap.servers", "b:9092", "assign", "{\"orders\":[0,\"x\"]}")));
        assertEquals(
                List.of(
                        "source 'kafka': set at most one of 'startingOffsets', 'startingOffsetsByTimestamp', 'startingTimestamp' (found: startingOffsets, startingTimestamp)"),
                problems(valid("startingOffsets", "earliest", "startingTimestamp", "1700000000000")));
        assertEquals(
                List.of("source 'kafka': option 'startingOffsetsByTimestampStrategy' needs one of"
                        + " 'startingOffsetsByTimestamp', 'startingTimestamp' (it says where to start a partition with"
                        + " no record at or after the timestamp)"),
                problems(valid("startingOffsetsByTimestampStrategy", "latest")));
        assertEquals(
                List.of(),
                problems(valid("startingOffsetsByTimestampStrategy", "latest", "startingTimestamp", "1700000000000")));
    }

    /** Two mistakes in the dead letter's options are two problems, each with its own fix. */
    @Test
    void everyMistakeOfTheDeadLetterGroupIsSaid() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'deadLetter.format' is the format of files at 'deadLetter.path', which"
                                + " is not set",
                        "source 'kafka': options 'deadLetter.*' are only used when 'badRecords' is dead_letter (it is"
                                + " skip)"),
                problems(valid("badRecords", "skip", "deadLetter.topic", "bad", "deadLetter.format", "json")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'deadLetter.topic' = 'orders' is a topic this source reads: every bad"
                                + " record would be read again and dead-lettered again, without end; dead-letter to a"
                                + " topic the source does not read",
                        "source 'kafka': set only one of 'deadLetter.path', 'deadLetter.topic' (found: both): the dead"
                                + " letter goes to files or to a topic"),
                problems(valid(
                        "badRecords", "dead_letter", "deadLetter.topic", "orders", "deadLetter.path", "/tmp/dl")));
    }

    @Test
    void rateLimitsAndPatternsAreChecked() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'maxOffsetsPerTrigger' = 'ten' is not a long",
                        "source 'kafka': option 'minPartitions' = '0' must be positive"),
                problems(valid("maxOffsetsPerTrigger", "ten", "minPartitions", "0")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'minOffsetsPerTrigger' = '500' is larger than 'maxOffsetsPerTrigger' = '100'"),
                problems(valid("maxOffsetsPerTrigger", "100", "minOffsetsPerTrigger", "500")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'maxTriggerDelay' needs option 'minOffsetsPerTrigger' (it bounds the wait for it)"),
                problems(valid("maxTriggerDelay", "5m")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'subscribePattern' = 'orders[' is not a valid Java regex: Unclosed character class"),
                problems(Map.of("kafka.bootstrap.servers", "b:9092", "subscribePattern", "orders[")));
    }

    @Test
    void decodingOptionsAreChecked() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'value.format' = 'json' needs option 'value.schema' (a Spark DDL schema of the value)"),
                problems(valid("value.format", "json")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'value.schema' is only used when 'value.format' is json (it is binary)"),
                problems(valid("value.schema", "id INT")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'value.format' = 'xml' is not one of: avro, binary, json, json-schema, protobuf, string"),
                problems(valid("value.format", "xml")));
        List<String> badDdl = problems(valid("value.format", "json", "value.schema", "id INTEGR"));
        assertEquals(1, badDdl.size());
        assertEquals(
                true,
                badDdl.get(0)
                        .startsWith(
                                "source 'kafka': option 'value.schema' = 'id INTEGR' is not a Spark DDL schema like 'id BIGINT, name STRING': "),
                badDdl.get(0));
        assertEquals(
                List.of(
                        "source 'kafka': option 'value.schema' has a field 'topic', which would hide the Kafka column 'topic': set value.columns to struct to read the value as one struct column 'value' (value.topic in SQL), or rename the field"),
                problems(valid("value.format", "json", "value.schema", "id INT, topic STRING")));
        assertEquals(
                List.of(
                        "source 'kafka': option 'badRecords' = 'dead_letter' needs option 'deadLetter.path' (files) or 'deadLetter.topic' (Kafka)"),
                problems(valid("badRecords", "dead_letter")));
        assertEquals(
                List.of(
                        "source 'kafka': options 'deadLetter.*' are only used when 'badRecords' is dead_letter (it is fail)"),
                problems(valid("deadLetter.path", "/tmp/dl")));
        assertEquals(
                List.of("source 'kafka': option 'badRecords' = 'drop' is not one of: dead_letter, fail, skip"),
                problems(valid("badRecords", "drop")));
    }

    @Test
    void secretsNeverAppearInMessagesOrLogs() {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";";
        Sluice sluice = SharedSluice.withCollectingSink();
        ValidationException error = assertThrows(
                ValidationException.class,
                () -> sluice.pipeline("secret")
                        .source(
                                "kafka",
                                valid(
                                        "kafka.sasl.jaas.config",
                                        jaas,
                                        "kafka.ssl.key.password",
                                        "hunter3",
                                        "maxOffsetsPerTrigger",
                                        "x"))
                        .sink("collect")
                        .build()
                        .start());
        assertEquals(
                "pipeline 'secret' is invalid: source 'kafka': option 'maxOffsetsPerTrigger' = 'x' is not a long",
                error.getMessage());
        String shown = OptionsValidator.validate(
                        new KafkaSource(),
                        List.of(),
                        valid("kafka.sasl.jaas.config", jaas, "kafka.ssl.key.password", "hunter3"))
                .options()
                .toString();
        assertFalse(shown.contains("hunter"), shown);
        assertEquals(
                "{kafka.bootstrap.servers=127.0.0.1:9092, kafka.sasl.jaas.config=*****, kafka.ssl.key.password=*****, subscribe=orders}",
                shown);
    }

    @Test
    void consumerValuesTheClientWouldRefuseAreRefusedBeforeStart() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'kafka.bootstrap.servers' = 'localhost' must be host:port entries separated by commas"
                                + " (e.g. broker1:9092,broker2:9092); not host:port: localhost",
                        "source 'kafka': option 'kafka.request.timeout.ms' = 'abc' is refused by kafka: Invalid value abc for configuration"
                                + " request.timeout.ms: Not a number of type INT",
                        "source 'kafka': option 'kafka.security.protocol' = 'PLAINTEXTT' is refused by kafka: Invalid value PLAINTEXTT for"
                                + " configuration security.protocol: String must be one of (case insensitive): SASL_SSL, PLAINTEXT, SSL,"
                                + " SASL_PLAINTEXT"),
                problems(valid(
                        "kafka.bootstrap.servers",
                        "localhost",
                        "kafka.security.protocol",
                        "PLAINTEXTT",
                        "kafka.request.timeout.ms",
                        "abc")));
    }

    @Test
    void sparkHidesEveryDeclaredSecretInThePlanItPrints() {
        Sluice sluice = SharedSluice.withCollectingSink();
        String plan = sluice.pipeline("secrets_in_plan")
                .source(
                        "kafka",
                        valid(
                                "kafka.sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\""
                                        + " password=\"hunter2\";",
                                "kafka.ssl.keystore.key",
                                "-----BEGIN PRIVATE KEY----- PEM"))
                .sql("SELECT key FROM input")
                .sink("collect")
                .build()
                .explain();
        assertFalse(plan.contains("hunter2"), plan);
        assertFalse(plan.contains("PRIVATE KEY"), plan);
        assertTrue(plan.contains("kafka.sasl.jaas.config=*********(redacted)"), plan);
        assertTrue(plan.contains("kafka.bootstrap.servers=127.0.0.1:9092"), "what is not secret stays readable");
    }

    @Test
    void aSessionSluiceBuildsMasksTheDeclaredSecretsInItsEnvironmentToo() {
        // SharedSluice's session was built by Sluice.embedded(): Spark's static regex has the declared names
        String regex = SharedSluice.get().spark().sparkContext().getConf().get("spark.redaction.regex");
        assertTrue(regex.startsWith("(?i)secret|password|token|access[.]?key|"), regex);
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        assertTrue(pattern.matcher("kafka.ssl.keystore.key").find(), regex);
        assertTrue(pattern.matcher("kafka.sasl.jaas.config").find(), regex);
        assertFalse(pattern.matcher("kafka.bootstrap.servers").find(), regex);
    }

    @Test
    void aMalformedJaasConfigIsAProblemThatNeverRepeatsIt() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'kafka.sasl.jaas.config' (secret value hidden) is refused by kafka: is not a"
                                + " JAAS configuration the Kafka client can read: one login module, as <LoginModule class>"
                                + " required <key>=\"<value>\" ...;  (ending with a semicolon)"),
                problems(valid("kafka.sasl.jaas.config", "hunter2 secret")));
    }

    @Test
    void aMisspeltTypeInASchemaIsNamedAndANegativeDelayRefused() {
        assertEquals(
                List.of(
                        "source 'kafka': option 'maxTriggerDelay' = '-PT1M' is not a duration (e.g. '10 seconds', '500ms', '2m')",
                        "source 'kafka': option 'value.schema' = 'id BIGNT' is not a Spark DDL schema like 'id BIGINT,"
                                + " name STRING': 'BIGNT' is not a type — did you mean 'BIGINT'?"),
                problems(valid(
                        "value.format",
                        "json",
                        "value.schema",
                        "id BIGNT",
                        "maxTriggerDelay",
                        "-PT1M",
                        "minOffsetsPerTrigger",
                        "1")));
    }
}
