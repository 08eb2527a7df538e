package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice test} as a user meets it: the examples' tests pass; a failing test says which
 * expectation failed where, with a row diff, byte for byte; a test file with mistakes is refused
 * at its lines; JUnit XML and {@code --update}; real sinks read back. No broker anywhere: the
 * pipelines name one that does not exist.
 */
class TestCommandTest {
    private static final Path ROOT = ReadmeTables.projectReadme().getParent();

    @TempDir
    Path dir;

    @BeforeAll
    static void shareTheSession() {
        SharedSluice.get(); // the command adopts the shared session
    }

    /** Payments in JSON, doubled; the bad-record policy and the sink are the test's to choose. */
    private Path pipeline(String policy) throws Exception {
        return Files.writeString(dir.resolve("payments.yaml"), """
                pipelines:
                  - name: payments
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9
                        subscribe: payments
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE, at TIMESTAMP
                        badRecords: %s
                    transforms:
                      - sql: >-
                          SELECT id, amount * 2 AS doubled, at, offset
                          FROM input WATERMARK at DELAY OF INTERVAL 10 SECONDS
                    sink:
                      connector: parquet
                      options:
                        path: ${OUT:-%s/never}
                    checkpointLocation: %s/checkpoint
                """.formatted(policy, dir, dir));
    }

    private Path tests(String text) throws Exception {
        return Files.writeString(dir.resolve("payments.test.yaml"), text);
    }

    @Test
    void theExamplesTestsPass() {
        Cli.Result result = Cli.run("test", ROOT.resolve("examples/pipelines").toString());

        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().endsWith("12 passed, 0 failed\n"), result.out());
        assertEquals("", result.err());
    }

    @Test
    void eachSinkOfSeveralIsComparedWithItsOwnRowsAndAnUnknownSinkIsSaid() throws Exception {
        Files.copy(
                ROOT.resolve("examples/pipelines/orders-to-several-sinks.yaml"),
                dir.resolve("orders-to-several-sinks.yaml"));
        Path file = Files.writeString(
                dir.resolve("sinks.test.yaml"),
                Files.readString(ROOT.resolve("examples/pipelines/orders-to-several-sinks.test.yaml"))
                        .replace("cents: 150000", "cents: 150001")
                        .replace("unknown_customers: []", "unknown_customer: []"));

        Cli.Result result = Cli.run("test", file.toString());

        String at = file.toString();
        assertEquals(
                "FAIL " + at + ": each sink gets its rows and columns from the same batch\n"
                        + "  " + at + ":19:11: batch 1: sinks: large_orders: 1 expected row was not received (-), 1"
                        + " row was received and not expected (+); 1 expected, 1 received\n"
                        + "    +-+--+--------+------+\n"
                        + "    | |id|customer|cents |\n"
                        + "    +-+--+--------+------+\n"
                        + "    |-|2 |bob     |150001|\n"
                        + "    |+|2 |bob     |150000|\n"
                        + "    +-+--+--------+------+\n"
                        + "  " + at + ":31:11: batch 2: sinks: the pipeline has no sink named 'unknown_customer' — did"
                        + " you mean 'unknown_customers'? (its sinks: all_orders, large_orders, unknown_customers)\n"
                        + "0 passed, 1 failed\n",
                result.out());
        assertEquals(1, result.exit());
    }

    @Test
    void aFailedExpectationIsSaidAtItsLineWithARowDiff() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: doubles every payment
                    steps:
                      - batch:
                          - value: {id: 1, amount: 2.5, at: "2026-11-25T10:00:00Z"}
                          - value: {id: 2, amount: 4, at: "2026-11-25T10:00:30Z"}
                          - value: "{id: 3"
                        expect:
                          rows:
                            - {id: 1, doubled: 5}
                            - {id: 2, doubled: 9}
                          skipped:
                            - "value is not Avro"
                          counters:
                            kafka.decode.skiped: 1
                      - restart
                      - batch:
                          - value: {id: 4, amount: 1, at: "2026-11-25T10:01:00Z"}
                        expect:
                          rows:
                            - {id: 4, doubled: 2, offset: 3}
                          watermark: 2026-11-25T10:00:00Z
                    expect:
                      rows:
                        - {id: 1}
                        - {id: 2}
                        - {id: 4}
                """);

        Cli.Result result = Cli.run("test", file.toString());

        String at = file.toString();
        assertEquals(
                "FAIL " + at + ": doubles every payment\n"
                        + "  " + at + ":10:11: batch 1: rows: 1 expected row was not received (-), 1 row was received"
                        + " and not expected (+); 2 expected, 2 received\n"
                        + "    +-+--+-------+\n"
                        + "    | |id|doubled|\n"
                        + "    +-+--+-------+\n"
                        + "    | |1 |5      |\n"
                        + "    |-|2 |9      |\n"
                        + "    |+|2 |8.0    |\n"
                        + "    +-+--+-------+\n"
                        + "  " + at + ":13:11: batch 1: skipped: expected 1 record\n"
                        + "      - value is not Avro\n"
                        + "    the source rejected 1\n"
                        + "      + payments-0 offset 2: value is not JSON matching value.schema: not JSON: Unexpected"
                        + " character ('i' (code 105)): was expecting double-quote to start field name (column 2)\n"
                        + "  " + at + ":15:11: batch 1: counters: the pipeline has no counter 'kafka.decode.skiped'"
                        + " — did you mean 'kafka.decode.skipped'? (its counters: kafka.decode.skipped)\n"
                        + "  " + at + ":23:11: batch 2: watermark: it is 2026-11-25T10:00:20Z, expected"
                        + " 2026-11-25T10:00:00Z\n"
                        + "0 passed, 1 failed\n",
                result.out());
        assertEquals(1, result.exit());
    }

    @Test
    void quarantinedRowsAreReadBackFromTheDeadLetterAndADeadLetterTopicIsStoodInFor() throws Exception {
        // a dead-letter topic on a broker that is not there: the test's run writes to a directory of its own
        Files.writeString(dir.resolve("payments.yaml"), """
                pipelines:
                  - name: payments
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9
                        subscribe: payments
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                        badRecords: dead_letter
                        deadLetter.topic: payments-dlq
                    expectations:
                      - name: positive
                        expect: amount > 0
                        onViolation: quarantine
                        stage: input
                      - name: small
                        expect: abs(amount) < 100
                        stage: input
                    sink:
                      connector: parquet
                      options:
                        path: %s/never
                    checkpointLocation: %s/checkpoint
                """.formatted(dir, dir));
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: set aside
                    steps:
                      - batch:
                          - value: {id: 1, amount: 2}
                          - value: {id: 2, amount: -200}
                          - value: "{"
                        expect:
                          rows: [{id: 1}]
                          quarantined:
                            - rules: [positive, small]
                              row: {id: 2, amount: -200}
                              record: payments-0 offset 1
                          deadLettered: [not JSON]
                      - batch:
                          - value: {id: 3, amount: -1}
                        expect:
                          quarantined:
                            - {rules: postive, row: {id: 3}}
                      - batch:
                          - value: {id: 4, amount: -1}
                        expect:
                          quarantined:
                            - {rules: positive, row: {id: 4, amount: 1}, record: payments-0 offset 4}
                    expect:
                      quarantined:
                        - {rules: [small, positive], row: {id: 2}}
                        - {rules: positive, row: {id: 3}, record: payments-0 offset 3}
                        - {rules: positive, row: {id: 4}, record: payments-0 offset 4}
                """);

        Cli.Result result = Cli.run("test", file.toString());

        String at = file.toString();
        String out = result.out().replaceAll("\"timestamp\":\"[^\"]+\"", "\"timestamp\":T");
        assertEquals(
                "FAIL " + at + ": set aside\n"
                        + "  " + at + ":19:11: batch 2: quarantined: the pipeline has no rule 'postive' — did you mean"
                        + " 'positive'? (its rules: positive, small)\n"
                        + "  " + at + ":24:11: batch 3: quarantined: expected 1 row quarantined, the dead letter holds"
                        + " 1\n"
                        + "      - payments-0 offset 4: positive: {id: 4, amount: 1}\n"
                        + "      + payments-0 offset 4: positive: {\"id\":4,\"amount\":-1.0,\"topic\":\"payments\","
                        + "\"partition\":0,\"offset\":4,\"timestamp\":T,\"timestampType\":0}\n"
                        + "0 passed, 1 failed\n",
                out);
        assertEquals(1, result.exit());
    }

    @Test
    void aBatchThatFailsUnderTheFailPolicyIsExpectedToAndTheStepsAfterItDoNotRun() throws Exception {
        pipeline("fail");
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: a bad record stops the pipeline
                    steps:
                      - batch:
                          - value: {id: 1, amount: 2.5, at: "2026-11-25T10:00:00Z"}
                          - value: "oops"
                        expect:
                          fails: "value is not JSON matching value.schema"
                  - name: the same, unexpected
                    steps:
                      - batch:
                          - value: "oops"
                      - batch:
                          - value: {id: 1, amount: 2.5, at: "2026-11-25T10:00:00Z"}
                """);

        Cli.Result result = Cli.run("test", file.toString());

        String out = result.out();
        assertEquals(
                "PASS " + file + ": a bad record stops the pipeline\n"
                        + "FAIL " + file + ": the same, unexpected\n"
                        + "  " + file
                        + ":12:9: batch 1: the batch failed: source 'kafka': cannot decode the record at"
                        + " topic payments, partition 0, offset 0: value is not JSON matching value.schema (set"
                        + " badRecords to skip or dead_letter to keep the pipeline running)\n"
                        + "  " + file + ":12:9: batch 1: the pipeline stopped here: the step after this one did not"
                        + " run\n"
                        + "1 passed, 1 failed\n",
                out);
        assertEquals(1, result.exit());
    }

    @Test
    void aTestFileWithMistakesIsRefusedAtItsLinesAndNothingRuns() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payment.yaml
                tests:
                  - name: mistakes
                    stpes: []
                  - name: more mistakes
                    steps:
                      - batch:
                          - vlaue: 1
                          - value: 2
                            partition: -1
                            timestamp: yesterday
                        expect:
                          rowz: []
                          ordered: true
                      - restrat
                """);

        Cli.Result result = Cli.run("test", file.toString());

        String at = file.toString();
        assertEquals("", result.out());
        assertEquals(
                at + ":1:7: 'file' is 'payment.yaml', which does not exist (looked for " + dir.resolve("payment.yaml")
                        + ")\n"
                        + at + ":3:5: missing field 'steps' in a test: its batches (and restarts)\n"
                        + at + ":4:5: unknown field 'stpes' in a test — did you mean 'steps'? (fields: name, pipeline,"
                        + " realSinks, schemaRegistry, tables, steps, expect)\n"
                        + at + ":8:13: missing field 'value' in a record (or 'valueBase64' for bytes)\n"
                        + at + ":8:13: unknown field 'vlaue' in a record — did you mean 'value'? (fields: key,"
                        + " keyBase64, value, valueBase64, headers, partition, timestamp, lines)\n"
                        + at + ":10:24: 'partition' is '-1', not a partition number (0, 1, ...)\n"
                        + at + ":11:24: 'timestamp' is 'yesterday', not an instant: write it as 2026-11-25T10:00:00Z\n"
                        + at + ":13:11: unknown field 'rowz' in 'expect' — did you mean 'rows'? (fields: rows, ordered,"
                        + " columns, sinks, deadLettered, skipped, quarantined, watermark, counters, fails)\n"
                        + at + ":14:20: 'ordered' says how to compare 'rows', which this 'expect' does not have\n"
                        + at
                        + ":15:9: a step is '- batch:' (records, then 'expect:'), '- restart' or '- register:' (new"
                        + " schema versions), not 'restrat'\n"
                        + "10 problems: no test ran\n",
                result.err());
        assertEquals(2, result.exit());
    }

    @Test
    void schemaRegistryMistakesAreRefusedAtTheirLines() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payments.yaml
                schemaRegistry:
                  payments-value: {type: record}
                  payments-key: []
                tests:
                  - name: mistakes
                    schemaRegistry:
                      payments-value:
                        - file: missing.avsc
                    steps:
                      - batch:
                          - value: 1
                      - register: [payments-value]
                """);

        Cli.Result result = Cli.run("test", file.toString());

        String at = file.toString();
        assertEquals(
                at + ":3:19: subject 'payments-value' must list its versions, oldest first (each '- ' a schema: text,"
                        + " a map, or 'file: PATH'), not a map\n"
                        + at + ":4:17: subject 'payments-key' must list its versions, oldest first (each '- ' a schema:"
                        + " text, a map, or 'file: PATH'), not empty\n"
                        + at + ":9:11: a schema of subject 'payments-value' is in file 'missing.avsc', which cannot be"
                        + " read (looked for " + dir.resolve("missing.avsc") + ")\n"
                        + at + ":13:19: 'register' must be a map of subjects to their schemas (each '- ...' a version,"
                        + " oldest first), not a list\n"
                        + "4 problems: no test ran\n",
                result.err());
        assertEquals(2, result.exit());
    }

    @Test
    void anAvroValueWrittenAsAMapThatMissesItsSchemaIsSaidAtItsBatch() throws Exception {
        Files.writeString(dir.resolve("order.avsc"), """
                {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}
                """);
        Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9
                        subscribe: orders
                        value.format: avro
                        schemaRegistry.url: https://registry.example:8081
                        schemaRegistry.basic.auth.user.info: ann:s3cret
                    sink:
                      connector: memory
                """);
        Path file = Files.writeString(dir.resolve("orders.test.yaml"), """
                file: orders.yaml
                schemaRegistry:
                  orders-value:
                    - file: order.avsc
                tests:
                  - name: ids are longs
                    steps:
                      - batch:
                          - value: {id: 1}
                        expect:
                          rows: [{id: 1}]
                      - batch:
                          - value: {id: one}
                """);

        Cli.Result result = Cli.run("test", file.toString());

        assertEquals(
                "FAIL " + file + ": ids are longs\n"
                        + "  " + file + ":12:9: batch 2: the value of record 1 cannot be written as 'avro': field 'id':"
                        + " expected a long, got \"one\"\n"
                        + "0 passed, 1 failed\n",
                result.out(),
                result.all());
        assertEquals(1, result.exit());
    }

    @Test
    void nothingToTestIsAUsageError() {
        Cli.Result result = Cli.run("test", dir.toString());

        assertEquals(
                "sluice test: no tests in " + dir
                        + ": a test file is named NAME.test.yaml, or a pipeline file has a 'tests:' block\n",
                result.err());
        assertEquals(2, result.exit());
    }

    @Test
    void junitXmlSaysWhatPassedAndWhatFailed() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: passes
                    steps:
                      - batch:
                          - value: {id: 1, amount: 1, at: "2026-11-25T10:00:00Z"}
                        expect:
                          rows:
                            - {id: 1, doubled: 2}
                  - name: "fails <here> & there"
                    steps:
                      - batch:
                          - value: {id: 1, amount: 1, at: "2026-11-25T10:00:00Z"}
                        expect:
                          rows: []
                """);
        Path xml = dir.resolve("results.xml");

        Cli.Result result = Cli.run("test", file.toString(), "--junit", xml.toString());

        assertEquals(1, result.exit(), result.all());
        var document = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(xml.toFile());
        var suite =
                (org.w3c.dom.Element) document.getElementsByTagName("testsuite").item(0);
        assertEquals(file.toString(), suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        var cases = document.getElementsByTagName("testcase");
        assertEquals("passes", ((org.w3c.dom.Element) cases.item(0)).getAttribute("name"));
        assertEquals(
                0,
                ((org.w3c.dom.Element) cases.item(0))
                        .getElementsByTagName("failure")
                        .getLength());
        var failed = (org.w3c.dom.Element) cases.item(1);
        assertEquals("fails <here> & there", failed.getAttribute("name"));
        var failure =
                (org.w3c.dom.Element) failed.getElementsByTagName("failure").item(0);
        assertEquals(
                file + ":15:11: batch 1: rows: 1 row was received and not expected (+); 0 expected, 1 received",
                failure.getAttribute("message"));
        assertEquals("rows", failure.getAttribute("type"));
    }

    @Test
    void updateRewritesTheExpectedRowsFromWhatRanAndTheTestThenPasses() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: doubles
                    steps:
                      - batch:
                          - value: {id: 1, amount: 2.5, at: "2026-11-25T10:00:00Z"}
                          - value: {id: 2, amount: 4, at: "2026-11-25T10:00:30Z"}
                        expect:
                          # what the sink gets
                          rows:
                          - {id: 1, doubled: 0}

                          ordered: true
                          columns: [id, doubled, at]
                      - batch: []
                        expect:
                          rows: [{id: 9}]
                """);

        Cli.Result updated = Cli.run("test", file.toString(), "--update");

        assertEquals(1, updated.exit(), updated.all());
        assertTrue(updated.out().contains("--update: 2 expectations of rows rewritten from what ran\n"), updated.out());
        assertEquals("""
                file: payments.yaml
                tests:
                  - name: doubles
                    steps:
                      - batch:
                          - value: {id: 1, amount: 2.5, at: "2026-11-25T10:00:00Z"}
                          - value: {id: 2, amount: 4, at: "2026-11-25T10:00:30Z"}
                        expect:
                          # what the sink gets
                          rows:
                            - {id: 1, doubled: 5.0, at: "2026-11-25T10:00:00Z"}
                            - {id: 2, doubled: 8.0, at: "2026-11-25T10:00:30Z"}

                          ordered: true
                          columns: [id, doubled, at]
                      - batch: []
                        expect:
                          rows: []
                """, Files.readString(file));
        Cli.Result again = Cli.run("test", file.toString());
        assertEquals(0, again.exit(), again.all());
        assertEquals("PASS " + file + ": doubles\n1 passed, 0 failed\n", again.out());
    }

    @Test
    void realSinksWriteParquetToATemporaryDirectoryThatIsReadBack() throws Exception {
        pipeline("skip");
        Path file = tests("""
                file: payments.yaml
                tests:
                  - name: parquet holds every payment
                    realSinks: true
                    steps:
                      - batch:
                          - value: {id: 1, amount: 1, at: "2026-11-25T10:00:00Z"}
                        expect:
                          rows:
                            - {id: 1, doubled: 2}
                      - restart
                      - batch:
                          - value: {id: 2, amount: 2, at: "2026-11-25T10:00:10Z"}
                        expect:
                          rows:
                            - {id: 2, doubled: 4}
                    expect:
                      rows:
                        - {id: 1, doubled: 2}
                        - {id: 2, doubled: 4}
                """);

        Cli.Result result = Cli.run("test", file.toString());

        assertEquals("PASS " + file + ": parquet holds every payment\n1 passed, 0 failed\n", result.out());
        assertEquals(0, result.exit());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(
                    java.util.List.of("payments.test.yaml", "payments.yaml"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing written next to the files: the sink's path was the test's own");
        }
    }

    @Test
    void aPipelineFileMayCarryItsOwnTests() throws Exception {
        Path file = Files.writeString(dir.resolve("echo.yaml"), """
                pipelines:
                  - name: echo
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9
                        subscribe: words
                        value.format: string
                    transforms:
                      - sql: SELECT upper(value) AS word FROM input
                    sink:
                      connector: console
                tests:
                  - name: shouts
                    steps:
                      - batch:
                          - value: hello
                        expect:
                          rows:
                            - {word: HELLO}
                """);

        assertEquals(0, Cli.run("validate", file.toString()).exit(), "a tests: block is part of a pipeline file");
        Cli.Result result = Cli.run("test", dir.toString());

        assertEquals("PASS " + file + ": shouts\n1 passed, 0 failed\n", result.out());
        assertEquals(0, result.exit());
    }

    @Test
    void theTestingPageShowsAnExampleAndEveryFieldOfATestFile() throws Exception {
        for (String example : java.util.List.of(
                "examples/pipelines/windowed-counts-to-memory.test.yaml", "examples/pipelines/orders-avro.test.yaml")) {
            assertEquals(
                    "",
                    ReadmeTables.checkDocs(
                            "file:" + example, "```yaml\n" + Files.readString(ROOT.resolve(example)) + "```\n"));
        }
        StringBuilder table = new StringBuilder("| field | of | what |\n|---|---|---|\n");
        fields(table, "the file", io.sluice.cli.file.TestFileParser.FILE_FIELDS);
        fields(table, "a test", io.sluice.cli.file.TestFileParser.TEST_FIELDS);
        fields(table, "a batch step", io.sluice.cli.file.TestFileParser.STEP_FIELDS);
        fields(table, "a register step", io.sluice.cli.file.TestFileParser.REGISTER_FIELDS);
        fields(table, "a record", io.sluice.cli.file.TestFileParser.RECORD_FIELDS);
        fields(table, "`expect`", io.sluice.cli.file.TestFileParser.EXPECT_FIELDS);
        fields(table, "a dead-lettered or skipped record", io.sluice.cli.file.TestFileParser.REJECTION_FIELDS);
        fields(table, "a quarantined row", io.sluice.cli.file.TestFileParser.QUARANTINED_FIELDS);
        assertEquals("", ReadmeTables.checkDocs("test-file-fields", table.toString()));
    }

    private static void fields(StringBuilder table, String of, java.util.List<String> fields) {
        fields.forEach(field -> table.append("| `")
                .append(field)
                .append("` | ")
                .append(of)
                .append(" | ")
                .append(TestSchema.DESCRIPTIONS.get(field))
                .append(" |\n"));
    }

    @Test
    void theSchemaOfTestFilesHasEveryFieldTheirReaderReads() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var schema = json.readTree(Cli.run("schema", "--tests").out());
        assertEquals("Sluice test file", schema.at("/title").asText());
        assertEquals(io.sluice.cli.file.TestFileParser.FILE_FIELDS, names(schema.at("/properties")));
        assertEquals(io.sluice.cli.file.TestFileParser.TEST_FIELDS, names(schema.at("/definitions/test/properties")));
        assertEquals(
                io.sluice.cli.file.TestFileParser.RECORD_FIELDS, names(schema.at("/definitions/record/properties")));
        assertEquals(
                io.sluice.cli.file.TestFileParser.EXPECT_FIELDS, names(schema.at("/definitions/expect/properties")));
        assertEquals(
                io.sluice.cli.file.TestFileParser.QUARANTINED_FIELDS,
                names(schema.at("/definitions/quarantinedRow/properties")));
        var pipelineSchema = json.readTree(Cli.run("schema").out());
        assertEquals(
                "#/definitions/test",
                pipelineSchema.at("/properties/tests/items/$ref").asText());
        assertEquals(schema.at("/definitions/test"), pipelineSchema.at("/definitions/test"));
    }

    private static java.util.List<String> names(com.fasterxml.jackson.databind.JsonNode properties) {
        java.util.List<String> names = new java.util.ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
