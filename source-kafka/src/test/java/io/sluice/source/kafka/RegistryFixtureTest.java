package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.SampleRecord;
import io.sluice.engine.Sluice;
import io.sluice.kafka.registry.RegistryException;
import io.sluice.kafka.registry.RegistryStandIn;
import io.sluice.kafka.registry.SchemaRegistryClient;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.PipelineTester;
import io.sluice.testkit.pipeline.TestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test of a pipeline that reads through a schema registry, without a broker or a registry:
 * what the test must give (the subjects' versions) and the words when it gives the wrong ones,
 * and every way a document can miss its schema — each with the exact message a test file's
 * author sees — plus keys, a fixed schema, another message of a Protobuf file, and the stand-in
 * registry's answers in Confluent's API.
 */
class RegistryFixtureTest {
    private static final String ORDER = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"n\",\"type\":\"int\",\"default\":0},"
            + "{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,"
            + "\"scale\":2},\"default\":\"\\u0000\"},"
            + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"NEW\",\"PAID\"]},"
            + "\"default\":\"NEW\"},"
            + "{\"name\":\"at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}],"
            + "\"default\":null},"
            + "{\"name\":\"code\",\"type\":[\"null\",{\"type\":\"fixed\",\"name\":\"Code\",\"size\":2}],"
            + "\"default\":null}]}";
    private static final String PROTO = """
            syntax = "proto3";
            package shop;
            import "google/protobuf/timestamp.proto";
            message Order {
              int64 id = 1;
              uint32 count = 2;
              Status status = 3;
              repeated string tags = 4;
              google.protobuf.Timestamp at = 5;
              message Line { string sku = 1; }
            }
            enum Status { UNKNOWN = 0; PAID = 1; }
            message Refund { int64 order = 1; Order.Line line = 2; }
            """;

    private static Sluice sluice;

    @BeforeAll
    static void setUp() {
        sluice = SharedSluice.withCollectingSink();
    }

    private static Map<String, String> source(String... pairs) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap.servers", "127.0.0.1:9");
        options.put("subscribe", "orders");
        options.put("schemaRegistry.url", "http://registry.invalid:8081");
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private static SampleRecord document(String json) {
        return new SampleRecord(
                Optional.empty(),
                json.getBytes(StandardCharsets.UTF_8),
                List.of(),
                OptionalInt.empty(),
                Optional.empty(),
                Set.of(SampleRecord.Part.VALUE));
    }

    private static TestOutcome run(
            Map<String, String> source, Map<String, List<String>> schemas, SampleRecord... records) {
        return run(source, schemas, List.of(batch(records)));
    }

    private static TestOutcome run(
            Map<String, String> source, Map<String, List<String>> schemas, List<PipelineTest.Step> steps) {
        return new PipelineTester(sluice)
                .run(
                        sluice.pipeline("registry_fixture")
                                .source("kafka", source)
                                .sql("SELECT * EXCEPT (topic, partition, offset, timestamp, timestampType) FROM input")
                                .sink("collect")
                                .build()
                                .definition(),
                        new PipelineTest("t", steps, Expectation.none(), false, schemas));
    }

    private static PipelineTest.Step batch(SampleRecord... records) {
        return new PipelineTest.Batch(List.of(records), Expectation.none());
    }

    private static final String ORDER_V2 = ORDER.substring(0, ORDER.length() - 2)
            + ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @Test
    void aVersionRegisteredMidRunIsMetAsANewSchemaIdAndOnNewSchemaDecides() {
        TestOutcome restarted = run(
                source("value.format", "avro"),
                Map.of("orders-value", List.of(ORDER)),
                List.of(
                        batch(document("{\"id\":1}")),
                        new PipelineTest.Register(Map.of("orders-value", List.of(ORDER_V2))),
                        batch(document("{\"id\":2,\"note\":\"new\"}"))));
        assertEquals(
                List.of("1, 0, 0.00, NEW, NULL, NULL, NULL", "2, 0, 0.00, NEW, NULL, NULL, new, NULL"),
                rows(restarted),
                "the second batch is redone after the restart, with the new field as a column");

        TestOutcome failed = run(
                source("value.format", "avro", "value.onNewSchema", "fail"),
                Map.of("orders-value", List.of(ORDER)),
                List.of(
                        batch(document("{\"id\":1}")),
                        new PipelineTest.Register(Map.of("orders-value", List.of(ORDER_V2))),
                        batch(document("{\"id\":2,\"note\":\"new\"}"))));
        assertEquals(1, failed.failures().size(), failures(failed).toString());
        assertTrue(
                failures(failed).get(0).startsWith("batch 2: the batch failed: ")
                        && failures(failed)
                                .get(0)
                                .contains("written with schema id 2, which subject 'orders-value'"
                                        + " did not have when the pipeline started"),
                failures(failed).get(0));
    }

    @Test
    void registeringASubjectTheSourceDoesNotReadStopsTheTestInWords() {
        assertEquals(
                List.of(
                        "step 2: register: the source reads no subject 'orders-key' (it reads 'orders-value')",
                        "step 2: the pipeline stopped here: the step after this one did not run"),
                failures(run(
                        source("value.format", "avro"),
                        Map.of("orders-value", List.of(ORDER)),
                        List.of(
                                batch(document("{\"id\":1}")),
                                new PipelineTest.Register(Map.of("orders-key", List.of(ORDER))),
                                batch(document("{\"id\":2}"))))));
    }

    private static List<String> failures(TestOutcome outcome) {
        return outcome.failures().stream().map(TestOutcome.Failure::describe).toList();
    }

    private static List<String> rows(TestOutcome outcome) {
        outcome.assertPassed();
        List<String> rows = new ArrayList<>();
        for (Row row : outcome.all().orElseThrow().rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                cells.add(io.sluice.engine.text.RowTable.value(row.get(i)));
            }
            rows.add(String.join(", ", cells));
        }
        return rows;
    }

    @Test
    void aSourceThatReadsThroughARegistryNeedsTheSubjectsVersionsInTheTest() {
        assertEquals(
                List.of("the source reads the writers' schemas of subject 'orders-value' from a schema registry"
                        + " (option 'schemaRegistry.url'): give the test the subject's versions, oldest first, under"
                        + " 'schemaRegistry:' — a registry in the test serves them"),
                failures(run(source("value.format", "avro"), Map.of(), document("{\"id\":1}"))));
    }

    @Test
    void aSubjectTheSourceDoesNotReadIsRefusedWithDidYouMean() {
        assertEquals(
                List.of("schemaRegistry: the source reads no subject 'order-value' — did you mean 'orders-value'? (it"
                        + " reads 'orders-value', 'orders-key')"),
                failures(run(
                        source("value.format", "avro", "key.format", "avro"),
                        Map.of("order-value", List.of(ORDER)),
                        document("{\"id\":1}"))));
    }

    @Test
    void schemasForASourceThatReadsThroughNoRegistryAreRefused() {
        Map<String, String> json = source("value.format", "json", "value.schema", "id BIGINT");
        json.remove("schemaRegistry.url");
        assertEquals(
                List.of("the source reads through no schema registry: the test's schemaRegistry (orders-value) is not"
                        + " used"),
                failures(run(json, Map.of("orders-value", List.of(ORDER)), document("{\"id\":1}"))));
    }

    @Test
    void avroDocumentsBecomeRowsWithDefaultsForWhatTheyLeaveOut() {
        assertEquals(
                List.of(
                        "1, 0, 0.00, NEW, NULL, NULL, NULL",
                        "2, 7, 123.45, PAID, 2026-11-25 10:00:00.000001, ab, NULL"),
                rows(run(
                        source("value.format", "avro"),
                        Map.of("orders-value", List.of(ORDER)),
                        document("{\"id\":1}"),
                        document("{\"id\":2,\"n\":7,\"amount\":\"123.45\",\"status\":\"PAID\","
                                + "\"at\":\"2026-11-25T10:00:00.000001Z\",\"code\":\"ab\"}"))));
    }

    static Stream<Arguments> avroMisfits() {
        return Stream.of(
                Arguments.of("{\"id\":\"one\"}", "field 'id': expected a long, got \"one\""),
                Arguments.of(
                        "{}", "field 'id': missing: long field 'id' of shop.Order has no default and cannot be null"),
                Arguments.of(
                        "{\"id\":1,\"amont\":2}",
                        "record shop.Order has no field 'amont' — did you mean 'amount'? (its fields: id, n, amount,"
                                + " status, at, code)"),
                Arguments.of("{\"id\":1,\"n\":3000000000}", "field 'n': expected an int, got 3000000000"),
                Arguments.of(
                        "{\"id\":1,\"status\":\"PAYED\"}",
                        "field 'status': 'PAYED' is not a symbol of enum shop.Status — did you mean 'PAID'? (its"
                                + " symbols: NEW, PAID)"),
                Arguments.of(
                        "{\"id\":1,\"amount\":1.234}",
                        "field 'amount': '1.234' is not a decimal of scale 2 (a decimal(5, 2))"),
                Arguments.of(
                        "{\"id\":1,\"amount\":12345}",
                        "field 'amount': 12345 has more digits than a decimal(5, 2) holds"),
                Arguments.of(
                        "{\"id\":1,\"at\":\"yesterday\"}",
                        "field 'at': expected one of a null, a timestamp-micros, got \"yesterday\""),
                Arguments.of(
                        "{\"id\":1,\"code\":\"abc\"}",
                        "field 'code': expected one of a null, fixed shop.Code, got \"abc\""),
                Arguments.of("[1]", "expected record shop.Order (a map), got [1]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroMisfits")
    void anAvroDocumentThatMissesItsSchemaFailsItsBatchNamingTheField(String document, String why) {
        assertEquals(
                List.of("batch 1: the value of record 2 cannot be written as 'avro': " + why),
                failures(run(
                        source("value.format", "avro"),
                        Map.of("orders-value", List.of(ORDER)),
                        document("{\"id\":1}"),
                        document(document))));
    }

    @Test
    void protobufDocumentsOfAnotherMessageCarryItsIndexes() {
        assertEquals(
                List.of("7, {sku: x}, NULL"),
                rows(run(
                        source("value.format", "protobuf", "value.protobuf.message", "shop.Refund"),
                        Map.of("orders-value", List.of(PROTO)),
                        document("{\"order\":7,\"line\":{\"sku\":\"x\"}}"))));
        assertEquals(
                List.of("x, NULL"),
                rows(run(
                        source("value.format", "protobuf", "value.protobuf.message", "shop.Order.Line"),
                        Map.of("orders-value", List.of(PROTO)),
                        document("{\"sku\":\"x\"}"))));
    }

    static Stream<Arguments> protobufMisfits() {
        return Stream.of(
                Arguments.of(
                        "{\"ids\":1}",
                        "message shop.Order has no field 'ids' — did you mean 'id'? (its fields: id, count, status,"
                                + " tags, at)"),
                Arguments.of("{\"count\":-1}", "field 'count': -1 is out of range for a uint32 (0 to 4294967295)"),
                Arguments.of("{\"id\":1.5}", "field 'id': expected an int64, got 1.5"),
                Arguments.of(
                        "{\"status\":\"PAYED\"}",
                        "field 'status': 'PAYED' is not a value of enum shop.Status — did you mean 'PAID'? (its"
                                + " values: UNKNOWN, PAID)"),
                Arguments.of("{\"tags\":\"a\"}", "field 'tags': expected a list, got \"a\""),
                Arguments.of(
                        "{\"at\":\"noon\"}", "field 'at': 'noon' is not an instant: write it as 2026-11-25T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protobufMisfits")
    void aProtobufDocumentThatMissesItsMessageFailsItsBatchNamingTheField(String document, String why) {
        assertEquals(
                List.of("batch 1: the value of record 1 cannot be written as 'protobuf': " + why),
                failures(run(
                        source("value.format", "protobuf"),
                        Map.of("orders-value", List.of(PROTO)),
                        document(document))));
    }

    @Test
    void keysAsDocumentsAndAFixedSchemaWithoutARegistry() {
        Map<String, String> fixed = source(
                "value.format", "avro",
                "value.avroSchema", ORDER,
                "key.format", "avro",
                "key.subject", "order-keys");
        String key = "{\"type\":\"record\",\"name\":\"Key\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
        SampleRecord record = new SampleRecord(
                Optional.of("{\"id\":9}".getBytes(StandardCharsets.UTF_8)),
                "{\"id\":1,\"status\":\"PAID\"}".getBytes(StandardCharsets.UTF_8),
                List.of(),
                OptionalInt.empty(),
                Optional.empty(),
                Set.of(SampleRecord.Part.KEY, SampleRecord.Part.VALUE));
        assertEquals(
                List.of("1, 0, 0.00, PAID, NULL, NULL, {id: 9}"),
                rows(run(fixed, Map.of("order-keys", List.of(key)), record)));
    }

    @Test
    void theStandInAnswersInConfluentsApiAndKeepsIdsGlobal() {
        try (RegistryStandIn standIn = RegistryStandIn.start()) {
            SchemaRegistryClient client =
                    new SchemaRegistryClient(standIn.url(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
            int first = client.register("a-value", ORDER);
            assertEquals(first, client.register("a-value", ORDER), "the same schema keeps its id and version");
            assertEquals(first, client.register("b-value", ORDER), "ids are global: another subject, the same id");
            int proto = client.register("c-value", "PROTOBUF", PROTO);
            assertEquals(first + 1, proto);
            assertEquals(List.of("a-value", "b-value", "c-value"), client.subjects());
            assertEquals(List.of(1), client.versions("a-value"));
            assertEquals("PROTOBUF", client.byId(proto).type());
            assertEquals(PROTO, client.version("c-value", "latest").text());
            assertEquals(
                    "the schema registry at " + standIn.url() + " has no subject 'd-value'",
                    message(() -> client.version("d-value", "latest")));
            assertEquals(
                    "the schema registry at " + standIn.url() + " has no version 2 of subject 'a-value'",
                    message(() -> client.version("a-value", "2")));
            assertEquals(
                    "the schema registry at " + standIn.url() + " has no schema with id 99",
                    message(() -> client.byId(99)));
        }
    }

    private static String message(Runnable call) {
        try {
            call.run();
        } catch (RegistryException e) {
            return e.getMessage();
        }
        assertTrue(false, "no error");
        return "";
    }
}
