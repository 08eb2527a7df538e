package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate, explain, connectors and schema as a user runs them, with the whole text they print. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        SharedSluice.get(); // the commands adopt this session instead of creating (and stopping) their own
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static Path examplePipelines() {
        return ReadmeTables.projectReadme().getParent().resolve("examples/pipelines");
    }

    private static final String BAD = """
            pipelines:
              - name: orders
                source:
                  connector: kafka
                  options:
                    kafka.bootsrap.servers: localhost:9092
                    subscribe: orders
                    maxOffsetsPerTrigger: ten
                    kafka.sasl.jaas.config: ${JAAS}
                sink:
                  connector: parqet
                  options:
                    path: /tmp/x
                checkpointLocaton: /tmp/cp
                outputMode: apend
              - name: counts
                source:
                  connector: kafka
                  options:
                    kafka.bootstrap.servers: ${BROKERS:-localhost:9092}
                    subscribe: orders
                    value.format: json
                    value.schema: customer STRING
                transforms:
                  - sql: SELECT customer, count(*) AS n FROM input GROUP BY customr
                sink:
                  connector: parquet
                  options:
                    path: /tmp/counts
                    checkpointLocation: /tmp/counts-checkpoint
            """;

    @Test
    void everyExamplePipelineFileIsValid() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(examplePipelines())) {
            // NAME.test.yaml files are tests of these (TestCommandTest runs them)
            files = listing.map(Path::toString)
                    .filter(name -> name.endsWith(".yaml") && !name.endsWith(".test.yaml"))
                    .sorted()
                    .toList();
        }
        assertEquals(11, files.size(), files.toString());
        // the Avro example reads its schema from a registry, as validation does: one serving the schema its tests give
        try (io.sluice.kafka.registry.RegistryStandIn registry = io.sluice.kafka.registry.RegistryStandIn.start()) {
            io.sluice.cli.file.TestFileParser.load(examplePipelines().resolve("orders-avro.test.yaml"))
                    .tests()
                    .get(0)
                    .test()
                    .schemas()
                    .forEach((subject, versions) ->
                            versions.forEach(schema -> registry.register(subject, "AVRO", schema)));
            Cli.Result result = Cli.run(Stream.concat(
                            Stream.of(
                                    "validate",
                                    "--set",
                                    "SCHEMA_REGISTRY_URL=" + registry.url(),
                                    "--set",
                                    "CUSTOMERS=" + examplePipelines().resolve("data/customers.jsonl")),
                            files.stream())
                    .toArray(String[]::new));
            assertEquals(0, result.exit(), result.all());
            assertTrue(result.out().contains("orders.yaml: valid (1 pipeline: orders)"), result.out());
            assertTrue(result.out().contains("orders-avro.yaml: valid (1 pipeline: big_orders)"), result.out());
            assertEquals(11, result.out().lines().count(), result.out());
        }
    }

    @Test
    void validateReportsEveryProblemOfEveryPipelineAtItsLineAndNeverASecret() throws IOException {
        Path file = write("orders.yaml", BAD);
        Cli.Result result = Cli.run("validate", file.toString(), "--set", "JAAS=" + Cli.JAAS_WITH_SECRET);
        assertEquals(1, result.exit(), result.all());
        String f = file.toString();
        assertEquals(
                String.join(
                        "\n",
                        f
                                + ":6:9: source 'kafka': unknown option 'kafka.bootsrap.servers' — did you mean 'kafka.bootstrap.servers'? (options:"
                                + " assign, badRecords, commitOffsetsTo, deadLetter.format, deadLetter.path, deadLetter.topic, failOnDataLoss, fetchOffset.numRetries,"
                                + " fetchOffset.retryIntervalMs, groupIdPrefix, includeHeaders, kafka.*, kafka.bootstrap.servers,"
                                + " kafka.max.partition.fetch.bytes, kafka.max.poll.records, kafka.receive.buffer.bytes,"
                                + " kafkaConsumer.pollTimeoutMs, key.avroSchema, key.format, key.onNewSchema, key.protobuf.descriptorFile, key.protobuf.message, key.schema, key.subject, key.subject.version, maxOffsetsPerTrigger, maxRecordsPerPartition,"
                                + " maxTriggerDelay, minOffsetsPerTrigger, minPartitions, schemaRegistry.basic.auth.user.info, schemaRegistry.bearer.auth.token, schemaRegistry.ssl.key.password, schemaRegistry.ssl.keystore.location, schemaRegistry.ssl.keystore.password, schemaRegistry.ssl.keystore.type, schemaRegistry.ssl.truststore.location, schemaRegistry.ssl.truststore.password, schemaRegistry.ssl.truststore.type, schemaRegistry.url, startingOffsets, startingOffsetsByTimestamp,"
                                + " startingOffsetsByTimestampStrategy, startingTimestamp, subscribe, subscribePattern, value.avroSchema, value.columns, value.format, value.onNewSchema, value.protobuf.descriptorFile, value.protobuf.message, value.schema, value.subject, value.subject.version)",
                        f + ":8:9: source 'kafka': option 'maxOffsetsPerTrigger' = 'ten' is not a long",
                        f
                                + ":11:7: no sink named 'parqet' — did you mean 'parquet'? (sinks: console, csv, delta, jdbc, json, kafka, memory, orc, parquet, text)",
                        f
                                + ":14:5: pipeline 'orders': unknown field 'checkpointLocaton' in a pipeline — did you mean 'checkpointLocation'?"
                                + " (fields: name, source, tables, transforms, expectations, sink, sinks, outputMode, trigger, checkpointLocation, queryName, acceptChanges)",
                        f
                                + ":15:17: pipeline 'orders': outputMode 'apend' is not one of: append, complete, update — did you mean 'append'?",
                        f
                                + ":25:9: pipeline 'counts': transform 1 (sql: SELECT customer, count(*) AS n FROM input GROUP BY customr) failed:"
                                + " column 'customr' does not exist — did you mean 'customer'? (columns: customer, key, topic,"
                                + " partition, offset, timestamp, timestampType)",
                        "6 problems",
                        ""),
                result.out());
        assertFalse(result.all().contains("hunter2"));
    }

    @Test
    void validateSpeaksJsonForEditorsAndCi() throws Exception {
        Path file = write("orders.yaml", BAD);
        Cli.Result result =
                Cli.run("validate", "--format", "json", file.toString(), "--set", "JAAS=" + Cli.JAAS_WITH_SECRET);
        assertEquals(1, result.exit(), result.all());
        JsonNode root = JSON.readTree(result.out());
        assertFalse(root.get("valid").asBoolean());
        assertEquals(6, root.get("problems").size());
        JsonNode first = root.get("problems").get(0);
        assertEquals(file.toString(), first.get("file").asText());
        assertEquals(6, first.get("line").asInt());
        assertEquals(9, first.get("column").asInt());
        assertEquals("source 'kafka'", first.get("subject").asText());
        assertTrue(first.get("message").asText().startsWith("unknown option 'kafka.bootsrap.servers'"));

        Cli.Result valid = Cli.run(
                "validate",
                "--format",
                "json",
                examplePipelines().resolve("orders.yaml").toString());
        assertEquals(0, valid.exit(), valid.all());
        assertEquals(
                "{\"valid\":true,\"problems\":[]}", JSON.readTree(valid.out()).toString());
    }

    @Test
    void aFileThatCannotBeReadIsOneLine() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(
                new Cli.Result(1, missing + ":1:1: the file does not exist\n1 problem\n", ""),
                Cli.run("validate", missing.toString()));
        assertEquals(
                new Cli.Result(1, dir + ":1:1: the file is a directory, not a pipeline file\n1 problem\n", ""),
                Cli.run("validate", dir.toString()));
        Path empty = write("empty.yaml", "");
        assertEquals(
                new Cli.Result(
                        1,
                        empty + ":1:1: the file is empty: declare 'pipelines:', a list of pipelines"
                                + " (see README, 'The pipeline file')\n1 problem\n",
                        ""),
                Cli.run("validate", empty.toString()));
        Path tabs = write("tabs.yaml", "pipelines:\n\t- name: a\n");
        assertEquals(
                new Cli.Result(
                        1,
                        tabs + ":2:1: malformed YAML: found character '\\t(TAB)' that cannot start any token."
                                + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)\n1 problem\n",
                        ""),
                Cli.run("validate", tabs.toString()));
    }

    /** The one line each command has in its parent's list is a whole sentence, never a wrapped fragment. */
    @Test
    void everyCommandsSummaryIsOneWholeSentence() {
        List<String> cut = new java.util.ArrayList<>();
        java.util.Deque<picocli.CommandLine> commands = new java.util.ArrayDeque<>(List.of(Main.commandLine()));
        while (!commands.isEmpty()) {
            picocli.CommandLine command = commands.pop();
            commands.addAll(command.getSubcommands().values());
            var usage = command.getCommandSpec().usageMessage();
            String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
            String summary = lines.length == 0 ? "" : lines[0].strip();
            if (!summary.endsWith(".") || summary.length() > 120) {
                cut.add(command.getCommandName() + ": " + summary);
            }
        }
        assertEquals(List.of(), cut);
        String help = Cli.run("dev", "--help").out();
        assertTrue(help.contains("Starts a local Kafka broker in the foreground, for a quick try."), help);
    }

    @Test
    void usageMistakesExitWithTwoAndSayWhatIsRight() {
        Cli.Result unknownCommand = Cli.run("valdate", "orders.yaml");
        assertEquals(2, unknownCommand.exit());
        assertTrue(
                unknownCommand
                        .err()
                        .startsWith(
                                "Unmatched arguments from index 0: 'valdate', 'orders.yaml'\nDid you mean: sluice validate or sluice state or sluice test?"),
                unknownCommand.err());

        Cli.Result unknownFlag = Cli.run("validate", "--formt", "json", "orders.yaml");
        assertEquals(2, unknownFlag.exit());
        assertTrue(
                unknownFlag.err().startsWith("Unknown option: '--formt'\nPossible solutions: --format"),
                unknownFlag.err());

        Cli.Result badSet = Cli.run("validate", "--set", "BROKERS", "orders.yaml");
        assertEquals(2, badSet.exit());
        assertTrue(
                badSet.err()
                        .startsWith(
                                "Value for option option '--set' (NAME=VALUE) should be in KEY=VALUE format but was BROKERS"),
                badSet.err());

        Cli.Result noFile = Cli.run("validate");
        assertEquals(2, noFile.exit());
        assertTrue(noFile.err().startsWith("Missing required parameter: 'FILE'"), noFile.err());

        Cli.Result nothing = Cli.run();
        assertEquals(2, nothing.exit());
        assertTrue(
                nothing.err()
                        .startsWith(
                                "sluice: name a command: validate, run, connectors, explain, preview, test, schema or dev"),
                nothing.err());
    }

    @Test
    void explainShowsThePipelineAsItWillRunWithSecretsMasked() throws IOException {
        Path file = write("orders.yaml", """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS:-localhost:9092}
                        subscribe: orders
                        kafka.sasl.jaas.config: ${JAAS}
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                    transforms:
                      - sql: SELECT id, amount * 2 AS doubled FROM input
                    sink:
                      connector: console
                """);
        Cli.Result result = Cli.run("explain", file.toString(), "--set", "JAAS=" + Cli.JAAS_WITH_SECRET);
        assertEquals(0, result.exit(), result.all());
        assertTrue(
                result.out()
                        .startsWith(String.join(
                                "\n",
                                "pipeline 'orders' (" + file + ")",
                                "  source: kafka",
                                "    badRecords: fail  (default)",
                                "    deadLetter.format: json  (default)")),
                result.out());
        assertTrue(
                result.out()
                        .contains(String.join(
                                "\n",
                                "    kafka.bootstrap.servers: localhost:9092",
                                // Sluice's measured read settings, shown as the defaults they are (docs/benchmark.md)
                                "    kafka.max.partition.fetch.bytes: 8388608  (default)",
                                "    kafka.max.poll.records: 10000  (default)",
                                "    kafka.receive.buffer.bytes: 1048576  (default)",
                                "    kafka.sasl.jaas.config: *****\n")),
                result.out());
        assertTrue(
                result.out()
                        .contains(String.join(
                                "\n",
                                "  transforms:",
                                "    1. sql: SELECT id, amount * 2 AS doubled FROM input",
                                "  sink: console",
                                "    numRows: 20  (default)",
                                "    truncate: true  (default)",
                                "    delivery: at least once (a batch given again after a failure may be written again)",
                                "  outputMode: append",
                                "  trigger: batches back to back",
                                "  checkpointLocation: (none: a temporary directory, deleted when the pipeline stops)",
                                "  queryName: orders",
                                "",
                                "== Output schema ==",
                                "root",
                                " |-- id: long (nullable = true)",
                                " |-- doubled: double (nullable = true)",
                                "== Analyzed logical plan ==")),
                result.out());
        assertTrue(result.out().contains("kafka.sasl.jaas.config=*****"), "the plan's copy is masked too");
        assertFalse(result.all().contains("hunter2"));
    }

    @Test
    void connectorsListsBuiltInsAndPluginsFromTheDeclarations() throws Exception {
        Cli.Result list = Cli.run("connectors");
        assertEquals(0, list.exit(), list.all());
        assertTrue(
                list.out()
                        .startsWith("sources:\n  delta    Delta Lake tables as a stream: their appends, or their change"
                                + " feed (inserts, updates, deletes)\n  kafka    Reads Kafka topics"),
                list.out());
        assertTrue(list.out().contains("\nsinks:\n  console  Prints each micro-batch"), list.out());
        assertTrue(list.out().contains("\n  jdbc     Tables in PostgreSQL and other JDBC databases"), list.out());

        Cli.Result console = Cli.run("connectors", "console");
        assertEquals(
                String.join(
                        "\n",
                        "console (sink): Prints each micro-batch as a table on standard output (for development)",
                        "",
                        "options:",
                        "  truncate (boolean), default true",
                        "      Cut values longer than 20 characters, as Spark's console sink does",
                        "  numRows (int, positive), default 20",
                        "      Rows printed per batch",
                        "  checkpointLocation (string)",
                        "      Directory where the query keeps its offsets and state; overrides the pipeline's",
                        "  queryName (string)",
                        "      Name of the streaming query (and of the table, for the memory sink); defaults to the pipeline's",
                        "",
                        "output modes: APPEND, COMPLETE, UPDATE",
                        "",
                        ""),
                console.out());

        JsonNode kafka = JSON.readTree(
                        Cli.run("connectors", "kafka", "--format", "json").out())
                .get(0);
        assertEquals("source", kafka.get("kind").asText());
        List<String> badRecords = new ArrayList<>();
        for (JsonNode option : kafka.get("options")) {
            if (option.get("name").asText().equals("badRecords")) {
                option.get("values").forEach(v -> badRecords.add(v.asText()));
                assertEquals("fail", option.get("default").asText());
            }
        }
        assertEquals(List.of("dead_letter", "fail", "skip"), badRecords);
        assertTrue(
                kafka.get("refused").has("kafka.group.id")
                        || kafka.get("refused").size() > 0,
                kafka.get("refused").toString());

        assertTrue(
                Cli.run("connectors", "parquet", "--format", "markdown")
                        .out()
                        .startsWith(
                                "### `parquet` (sink)\n\nApache Parquet files, columnar and compressed\n\n| option | type | valid values | default | description |"));

        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        "sluice connectors: no connector named 'kafak' — did you mean 'kafka'? (connectors:"
                                + " console, csv, delta, jdbc, json, kafka, memory, orc, parquet, text)\n"),
                Cli.run("connectors", "kafak"));
    }

    @Test
    void aSetThatNoFileUsesIsNamedWithTheVariableMeant() throws IOException {
        Path file = write("vars.yaml", """
                pipelines:
                  - name: raw
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS:-localhost:9092}
                        subscribe: ${TOPIC:-orders}
                    sink:
                      connector: console
                """);
        assertEquals(
                new Cli.Result(
                        2,
                        "",
                        "sluice validate: --set TOPCI: no file uses variable 'TOPCI' — did you mean 'TOPIC'? (the files"
                                + " use: BROKERS, TOPIC)\n"),
                Cli.run("validate", file.toString(), "--set", "TOPIC=orders", "--set", "TOPCI=payments"));
        // validate takes run's --conf, so that a file checks as it will run
        Cli.Result conf = Cli.run(
                "validate", file.toString(), "--set", "TOPIC=orders", "--conf", "spark.sql.shuffle.partitions=3");
        assertEquals(new Cli.Result(0, file + ": valid (1 pipeline: raw)\n", ""), conf);
    }

    @Test
    void aMisspeltOptionOfAPipelineWithoutSqlIsFoundWithoutSpark() throws IOException {
        Path file = write("typo.yaml", """
                pipelines:
                  - name: raw
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: localhost:9092
                        subscrbe: orders
                    sink:
                      connector: console
                """);
        java.util.List<io.sluice.cli.file.PipelineFile> loaded =
                java.util.List.of(io.sluice.cli.file.PipelineFiles.load(
                        file, new io.sluice.cli.file.Variables(java.util.Map.of(), java.util.Map.of())));
        SparkSession before = SparkSession.getActiveSession().getOrElse(() -> null);
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        try {
            java.util.List<String> problems = ValidateCommand.check(loaded, java.util.Map.of()).stream()
                    .map(Object::toString)
                    .toList();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0)
                            .startsWith(file + ":7:9: source 'kafka': unknown option 'subscrbe' — did you"
                                    + " mean 'subscribe'?"),
                    problems.get(0));
            assertTrue(SparkSession.getDefaultSession().isEmpty(), "no session was built");
        } finally {
            SparkSession.setDefaultSession(before);
            SparkSession.setActiveSession(before);
        }
    }

    @Test
    void eachRunLogsToAFileOfItsOwnNamedAfterItsFileAndTime() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        assertTrue(
                Main.logFileFor(List.of("run", "pipelines/orders.yaml", "--set", "A=b"))
                        .toString()
                        .matches(java.util.regex.Pattern.quote(
                                        tmp.resolve("sluice").toString()) + "/orders-\\d{8}-\\d{6}\\.log"),
                Main.logFileFor(List.of("run", "orders.yaml")).toString());
        assertEquals(tmp.resolve("sluice.log"), Main.logFileFor(List.of("validate", "orders.yaml")));
    }

    @Test
    void theSchemaTakesAVariableWhereverTheCommandDoes() throws Exception {
        JsonNode pipeline = JSON.readTree(Cli.run("schema").out()).at("/definitions/pipeline/properties");
        assertEquals(
                "#/definitions/variable",
                pipeline.at("/outputMode/anyOf/1/$ref").asText());
        assertTrue(pipeline.get("trigger").toString().contains("#/definitions/variable"), pipeline.toString());
    }

    @Test
    void schemaDescribesTheFileFromTheDeclarations() throws Exception {
        Cli.Result result = Cli.run("schema");
        assertEquals(0, result.exit(), result.all());
        JsonNode schema = JSON.readTree(result.out());
        assertEquals(
                "http://json-schema.org/draft-07/schema#", schema.get("$schema").asText());
        JsonNode definitions = schema.get("definitions");
        assertEquals(
                "[\"delta\",\"kafka\"]",
                definitions.at("/source/properties/connector/enum").toString());
        assertEquals(
                "[\"console\",\"csv\",\"delta\",\"jdbc\",\"json\",\"kafka\",\"memory\",\"orc\",\"parquet\",\"text\"]",
                definitions.at("/sink/properties/connector/enum").toString());
        JsonNode kafka = definitions.get("source-kafka-options");
        assertEquals("[\"kafka.bootstrap.servers\"]", kafka.get("required").toString());
        assertEquals(
                "[\"dead_letter\",\"fail\",\"skip\"]",
                kafka.at("/properties/badRecords/anyOf/0/enum").toString());
        assertEquals(
                "integer",
                kafka.at("/properties/maxOffsetsPerTrigger/anyOf/0/type").asText());
        assertEquals(
                "#/definitions/variable",
                kafka.at("/properties/maxOffsetsPerTrigger/anyOf/1/$ref").asText());
        assertTrue(
                kafka.get("patternProperties").has("^kafka\\."),
                kafka.get("patternProperties").toString());
        assertFalse(kafka.get("additionalProperties").asBoolean());
        assertEquals(
                "#/definitions/sink-parquet-options",
                definitions.at("/sink/allOf").findValues("$ref").stream()
                        .map(JsonNode::asText)
                        .filter(ref -> ref.endsWith("parquet-options"))
                        .findFirst()
                        .orElseThrow());
    }

    @Test
    void anUnsetVariableIsOneProblemNotAlsoTheMissingOptionItFed() throws IOException {
        Path file = write("unset.yaml", """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${SLUICE_UNSET_BROKERS}
                        subscribe: orders
                    sink:
                      connector: console
                """);
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        assertEquals(
                List.of(
                        file
                                + ":6:34: pipeline 'orders': variable 'SLUICE_UNSET_BROKERS' is not set: set it in the environment or"
                                + " with --set SLUICE_UNSET_BROKERS=..., or give a default: ${SLUICE_UNSET_BROKERS:-value}",
                        "1 problem"),
                result.out().lines().toList());
    }
}
