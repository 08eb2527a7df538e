package io.sluice.cli;

import static io.sluice.cli.file.TestFileParser.EXPECT_FIELDS;
import static io.sluice.cli.file.TestFileParser.FILE_FIELDS;
import static io.sluice.cli.file.TestFileParser.QUARANTINED_FIELDS;
import static io.sluice.cli.file.TestFileParser.RECORD_FIELDS;
import static io.sluice.cli.file.TestFileParser.REGISTER_FIELDS;
import static io.sluice.cli.file.TestFileParser.REJECTION_FIELDS;
import static io.sluice.cli.file.TestFileParser.STEP_FIELDS;
import static io.sluice.cli.file.TestFileParser.TEST_FIELDS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of test files ({@code sluice schema --tests}) and of a pipeline file's {@code
 * tests:} block: the properties are the fields {@code TestFileParser} reads, so the two cannot
 * drift apart; each field's description is here, once, and fills {@code docs/testing.md}'s
 * tables too.
 */
final class TestSchema {
    /** What each field of a test file means, by field name. */
    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("file", "The pipeline file the tests run, relative to this file"),
            Map.entry("pipeline", "The pipeline of the file to test, when it has more than one"),
            Map.entry("variables", "Variables for the pipeline file; ${TEST_DIR} is each test's own empty directory"),
            Map.entry("tests", "The tests, each run on a fresh checkpoint"),
            Map.entry(
                    "schemaRegistry",
                    "The schema registry's subjects, each a list of its versions (oldest first): a schema as text,"
                            + " as YAML, or 'file: PATH'; a registry in the test serves them (a test's own replace the"
                            + " file's)"),
            Map.entry("name", "What the test checks, in words"),
            Map.entry(
                    "tables",
                    "Rows standing in for the pipeline's reference tables, by table name ('customers: [{id: 1, name:"
                            + " Ada}]'): the test joins these instead of reading the real table"),
            Map.entry(
                    "realSinks",
                    "Write with the real sink to a temporary 'path' and read it back (default: capture each"
                            + " micro-batch in memory)"),
            Map.entry(
                    "steps",
                    "'- batch:' steps (one micro-batch each), '- restart' (stop, start from the checkpoint) and"
                            + " '- register:' (new schema versions, as a producer's release registers them)"),
            Map.entry(
                    "register",
                    "Subjects to versions to add to the test's schema registry now, oldest first (as"
                            + " 'schemaRegistry'): later documents are written with the new latest version"),
            Map.entry("expect", "What to expect: after a batch, of that batch; beside 'steps', of the whole run"),
            Map.entry("batch", "The records of one micro-batch, in order"),
            Map.entry("key", "The record's key: text, or a map or list (a document, as 'value')"),
            Map.entry("keyBase64", "The record's key as base64 bytes"),
            Map.entry(
                    "value",
                    "The record's value: text (its bytes), or a map or list — a document, written as JSON, or as"
                            + " Avro, Protobuf or JSON Schema in Confluent's framing when the source reads that format"),
            Map.entry("valueBase64", "The record's value as base64 bytes (invalid UTF-8, a binary frame)"),
            Map.entry("headers", "The record's headers, name to text"),
            Map.entry("partition", "The partition it is in (default 0); offsets count per partition"),
            Map.entry("timestamp", "The record's timestamp, an instant (2026-11-25T10:00:00Z); default: now"),
            Map.entry("lines", "A file of records, one value a line, relative to the test file"),
            Map.entry(
                    "rows",
                    "The rows the sink received, each compared on the columns it names (or on 'columns'); numbers"
                            + " by value, timestamps as instants"),
            Map.entry("ordered", "Whether the rows' order counts (default false)"),
            Map.entry(
                    "sinks",
                    "For a pipeline with several sinks: the rows each received, by the sink's name (its where and"
                            + " columns applied), compared as 'rows' compares, in any order"),
            Map.entry("columns", "Compare every row on these columns; a column a row leaves out must be null"),
            Map.entry("deadLettered", "The records the source dead-lettered: reasons, or record and reason"),
            Map.entry("skipped", "The records the source skipped: reasons, or record and reason"),
            Map.entry(
                    "quarantined",
                    "The rows the pipeline's rules quarantined, read back from the dead letter: each with the rules it"
                            + " broke, its values and where it came from"),
            Map.entry("rules", "Every rule the row broke: a name, or a list of names"),
            Map.entry("row", "The row's values, compared on the columns given (as 'rows' compares)"),
            Map.entry("watermark", "The event-time watermark after the batch, an instant"),
            Map.entry("counters", "The pipeline's counters for the batch (or the run), e.g. kafka.decode.skipped: 1"),
            Map.entry("fails", "The batch fails, with a message that contains this text"),
            Map.entry("record", "Where the record is, as the source says it (payments-0 offset 3)"),
            Map.entry("reason", "Why it was set aside: the dead letter's words, or a part of them"));

    private TestSchema() {}

    /** The schema of a test file. */
    static ObjectNode file() {
        ObjectNode root = Catalogue.JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "Sluice test file");
        root.put("description", "Tests of a pipeline file, run by sluice test without the source's system");
        object(root, FILE_FIELDS, List.of("file", "tests"));
        ObjectNode properties = (ObjectNode) root.get("properties");
        ((ObjectNode) properties.get("file")).put("type", "string");
        schemaRegistry((ObjectNode) properties.get("schemaRegistry"));
        ((ObjectNode) properties.get("pipeline")).put("type", "string");
        ((ObjectNode) properties.get("variables"))
                .put("type", "object")
                .putObject("additionalProperties")
                .put("type", "string");
        tests((ObjectNode) properties.get("tests"));
        definitions(root.putObject("definitions"));
        return root;
    }

    /** Subjects to their versions: each a schema as text, as YAML, or a file. */
    private static void schemaRegistry(ObjectNode property) {
        property.put("type", "object")
                .putObject("additionalProperties")
                .put("type", "array")
                .put("minItems", 1)
                .putObject("items")
                .putArray("type")
                .add("string")
                .add("object")
                .add("array");
    }

    /** The property of a pipeline file's {@code tests:} block; its items are {@link #definitions}'s. */
    static void tests(ObjectNode property) {
        property.put("type", "array").put("minItems", 1);
        property.putObject("items").put("$ref", "#/definitions/test");
    }

    /** A test and its parts, added to a schema's definitions. */
    static void definitions(ObjectNode definitions) {
        ObjectNode test = object(definitions.putObject("test"), TEST_FIELDS, List.of("name", "steps"));
        ObjectNode testFields = (ObjectNode) test.get("properties");
        ((ObjectNode) testFields.get("name")).put("type", "string");
        ((ObjectNode) testFields.get("pipeline")).put("type", "string");
        ((ObjectNode) testFields.get("realSinks")).put("type", "boolean");
        schemaRegistry((ObjectNode) testFields.get("schemaRegistry"));
        ((ObjectNode) testFields.get("tables"))
                .put("type", "object")
                .putObject("additionalProperties")
                .put("type", "array")
                .putObject("items")
                .put("type", "object");
        ((ObjectNode) testFields.get("steps"))
                .put("type", "array")
                .putObject("items")
                .putArray("anyOf")
                .add(Catalogue.JSON.createObjectNode().put("const", "restart"))
                .add(Catalogue.JSON.createObjectNode().put("$ref", "#/definitions/batch"))
                .add(Catalogue.JSON.createObjectNode().put("$ref", "#/definitions/register"));
        ((ObjectNode) testFields.get("expect")).put("$ref", "#/definitions/expect");

        ObjectNode batch = object(definitions.putObject("batch"), STEP_FIELDS, List.of("batch"));
        ObjectNode batchFields = (ObjectNode) batch.get("properties");
        ((ObjectNode) batchFields.get("batch")).putArray("type").add("array").add("null");
        ((ObjectNode) batchFields.get("batch")).putObject("items").put("$ref", "#/definitions/record");
        ((ObjectNode) batchFields.get("expect")).put("$ref", "#/definitions/expect");

        ObjectNode register = object(definitions.putObject("register"), REGISTER_FIELDS, List.of("register"));
        schemaRegistry((ObjectNode) ((ObjectNode) register.get("properties")).get("register"));

        ObjectNode record = object(definitions.putObject("record"), RECORD_FIELDS, List.of());
        ObjectNode recordFields = (ObjectNode) record.get("properties");
        for (String text : List.of("keyBase64", "valueBase64", "timestamp", "lines")) {
            ((ObjectNode) recordFields.get(text)).put("type", "string");
        }
        for (String document : List.of("key", "value")) {
            ((ObjectNode) recordFields.get(document))
                    .putArray("type")
                    .add("string")
                    .add("number")
                    .add("boolean")
                    .add("object")
                    .add("array");
        }
        ((ObjectNode) recordFields.get("headers"))
                .put("type", "object")
                .putObject("additionalProperties")
                .putArray("type")
                .add("string")
                .add("null");
        ((ObjectNode) recordFields.get("partition")).put("type", "integer").put("minimum", 0);

        ObjectNode expect = object(definitions.putObject("expect"), EXPECT_FIELDS, List.of());
        ObjectNode expectFields = (ObjectNode) expect.get("properties");
        ((ObjectNode) expectFields.get("rows"))
                .put("type", "array")
                .putObject("items")
                .put("type", "object");
        ((ObjectNode) expectFields.get("ordered")).put("type", "boolean");
        ((ObjectNode) expectFields.get("sinks"))
                .put("type", "object")
                .putObject("additionalProperties")
                .put("type", "array")
                .putObject("items")
                .put("type", "object");
        ((ObjectNode) expectFields.get("columns"))
                .put("type", "array")
                .putObject("items")
                .put("type", "string");
        for (String rejected : List.of("deadLettered", "skipped")) {
            ((ObjectNode) expectFields.get(rejected))
                    .put("type", "array")
                    .putObject("items")
                    .putArray("anyOf")
                    .add(Catalogue.JSON.createObjectNode().put("type", "string"))
                    .add(Catalogue.JSON.createObjectNode().put("$ref", "#/definitions/rejection"));
        }
        ((ObjectNode) expectFields.get("quarantined"))
                .put("type", "array")
                .putObject("items")
                .put("$ref", "#/definitions/quarantinedRow");
        ((ObjectNode) expectFields.get("watermark")).put("type", "string");
        ((ObjectNode) expectFields.get("counters"))
                .put("type", "object")
                .putObject("additionalProperties")
                .put("type", "integer");
        ((ObjectNode) expectFields.get("fails")).put("type", "string");

        ObjectNode rejection = object(definitions.putObject("rejection"), REJECTION_FIELDS, List.of("reason"));
        ObjectNode rejectionFields = (ObjectNode) rejection.get("properties");
        REJECTION_FIELDS.forEach(field -> ((ObjectNode) rejectionFields.get(field)).put("type", "string"));

        ObjectNode quarantined = object(definitions.putObject("quarantinedRow"), QUARANTINED_FIELDS, List.of("rules"));
        ObjectNode quarantinedFields = (ObjectNode) quarantined.get("properties");
        ((ObjectNode) quarantinedFields.get("rules"))
                .putArray("anyOf")
                .add(Catalogue.JSON.createObjectNode().put("type", "string"))
                .add(Catalogue.JSON
                        .createObjectNode()
                        .put("type", "array")
                        .set("items", Catalogue.JSON.createObjectNode().put("type", "string")));
        ((ObjectNode) quarantinedFields.get("row")).put("type", "object");
        ((ObjectNode) quarantinedFields.get("record")).put("type", "string");
    }

    /** An object with exactly these fields, each described. */
    private static ObjectNode object(ObjectNode node, List<String> fields, List<String> required) {
        node.put("type", "object").put("additionalProperties", false);
        if (!required.isEmpty()) {
            required.forEach(node.putArray("required")::add);
        }
        ObjectNode properties = node.putObject("properties");
        for (String field : fields) {
            String description = DESCRIPTIONS.get(field);
            if (description == null) {
                throw new IllegalStateException("test file field '" + field + "' has no description in TestSchema");
            }
            properties.putObject(field).put("description", description);
        }
        return node;
    }
}
