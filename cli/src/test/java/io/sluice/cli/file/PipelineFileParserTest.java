package io.sluice.cli.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.PipelineDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The file's own shape: every mistake at its line and column, in the words the user sees. */
class PipelineFileParserTest {
    private static final Variables NONE = new Variables(Map.of(), Map.of());

    private static PipelineFile parse(String text) {
        return PipelineFileParser.parse("orders.yaml", text, NONE);
    }

    private static List<String> problems(String text) {
        return parse(text).problems().stream()
                .sorted()
                .map(FileProblem::toString)
                .toList();
    }

    private static final String VALID = """
            spark:
              spark.sql.shuffle.partitions: 4
            pipelines:
              - name: orders
                source:
                  connector: kafka
                  options:
                    subscribe: orders
                    maxOffsetsPerTrigger: 1000
                    includeHeaders: true
                transforms:
                  - sql: SELECT * FROM input
                  - sql: >-
                      SELECT a
                      FROM input
                sink:
                  connector: parquet
                  options:
                    path: /data/orders
                    partitionBy: [status, day]
                outputMode: update
                trigger: 10 seconds
                checkpointLocation: /data/checkpoint
                queryName: orders_query
            """;

    @Test
    void aValidFileBecomesTheDefinitionTheJavaBuilderMakes() {
        PipelineFile file = parse(VALID);
        assertEquals(List.of(), file.problems());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "4"), file.spark());
        PipelineDefinition definition = file.pipelines().get(0).definition();
        assertEquals("orders", definition.name());
        assertEquals("kafka", definition.sourceName());
        assertEquals(
                Map.of("subscribe", "orders", "maxOffsetsPerTrigger", "1000", "includeHeaders", "true"),
                definition.sourceOptions());
        assertEquals(
                List.of("sql: SELECT * FROM input", "sql: SELECT a FROM input"),
                definition.transforms().stream().map(t -> t.text()).toList());
        assertEquals("parquet", definition.sinkName());
        assertEquals(Map.of("path", "/data/orders", "partitionBy", "status,day"), definition.sinkOptions());
        assertEquals(OutputMode.UPDATE, definition.outputMode());
        assertEquals(StreamTrigger.processingTime(Duration.ofSeconds(10)), definition.trigger());
        assertEquals("/data/checkpoint", definition.checkpointLocation().orElseThrow());
        assertEquals("orders_query", definition.queryName().orElseThrow());
    }

    @Test
    void triggersAreWrittenAsUsersSayThem() {
        String base =
                "pipelines:\n  - name: p\n    source: {connector: kafka}\n    sink: {connector: console}\n    trigger: ";
        assertEquals(
                StreamTrigger.availableNow(),
                parse(base + "availableNow").pipelines().get(0).definition().trigger());
        assertEquals(
                StreamTrigger.once(),
                parse(base + "once").pipelines().get(0).definition().trigger());
        assertEquals(
                StreamTrigger.processingTime(Duration.ofMillis(500)),
                parse(base + "{processingTime: 500ms}")
                        .pipelines()
                        .get(0)
                        .definition()
                        .trigger());
        assertEquals(
                StreamTrigger.realTime(Duration.ofSeconds(5)),
                parse(base + "{realTime: 5 seconds}")
                        .pipelines()
                        .get(0)
                        .definition()
                        .trigger());
        assertEquals(
                List.of(
                        "orders.yaml:5:14: pipeline 'p': trigger 'availbleNow' is unknown — did you mean 'availableNow'?:"
                                + " a trigger is 'availableNow', 'once', an interval such as '10 seconds', 'processingTime: 10 seconds',"
                                + " or 'realTime: 5 seconds' (Spark's real-time mode, checkpointing at that interval)"),
                problems(base + "availbleNow"));
        assertEquals(
                List.of(
                        "orders.yaml:5:14: pipeline 'p': trigger interval '10 fortnights' is not a duration (e.g. '10 seconds', '500ms', '2m')"),
                problems(base + "10 fortnights"));
    }

    @Test
    void everyMistakeOfEveryPipelineIsReportedAtItsPlace() {
        assertEquals(
                List.of(
                        "orders.yaml:1:1: missing field 'pipelines': a list of pipelines",
                        "orders.yaml:1:1: unknown field 'pipeline' in the file — did you mean 'pipelines'? (fields: spark, metrics, pipelines, tests)"),
                problems("pipeline:\n  name: x\n"));
        assertEquals(
                List.of(
                        "orders.yaml:2:5: pipeline 'a': missing field 'sink': the sink's 'connector' and 'options'",
                        "orders.yaml:2:5: pipeline 'a': missing field 'source': the source's 'connector' and 'options'",
                        "orders.yaml:3:5: pipeline 'a': unknown field 'sorce' in a pipeline — did you mean 'source'? (fields: name, source,"
                                + " tables, transforms, expectations, sink, sinks, outputMode, trigger, checkpointLocation, queryName, acceptChanges)",
                        "orders.yaml:6:7: pipeline 'b': missing field 'connector' in a source",
                        "orders.yaml:6:7: pipeline 'b': unknown field 'conector' in a source — did you mean 'connector'? (fields: connector, options)",
                        "orders.yaml:7:11: pipeline 'b': 'sink' must be a map with 'connector' and 'options', not a value",
                        "orders.yaml:8:17: pipeline 'b': outputMode 'apend' is not one of: append, complete, update — did you mean 'append'?",
                        "orders.yaml:9:17: pipeline 'b': 'transforms' must be a list of '- sql: ...' steps, not a value",
                        "orders.yaml:10:11: pipeline 'a': two pipelines are named 'a': names must be unique in a file"),
                problems("""
                        pipelines:
                          - name: a
                            sorce: {connector: kafka}
                          - name: b
                            source:
                              conector: kafka
                            sink: console
                            outputMode: apend
                            transforms: SELECT 1
                          - name: a
                            source: {connector: kafka}
                            sink: {connector: console}
                        """));
    }

    private static final String PIPELINE = """
            pipelines:
              - name: a
                source: {connector: kafka}
                sink: {connector: console}
            """;

    @Test
    void aMisspeltSparkSettingIsNamedWithTheOneMeant() {
        assertEquals(
                List.of("orders.yaml:3:3: unknown Spark setting 'spark.sql.shufle.partitions' — did you mean"
                        + " 'spark.sql.shuffle.partitions'? (Spark ignores a setting it does not know, silently)"),
                problems("spark:\n  spark.sql.shuffle.partitions: 4\n  spark.sql.shufle.partitions: 8\n"
                        + "  spark.hadoop.fs.s3a.endpoint: http://minio:9000\n" + PIPELINE));
    }

    @Test
    void theMetricsBlockIsAPortAHostAndWhetherPerPartition() {
        PipelineFile file = parse("metrics:\n  port: 9464\n" + PIPELINE);
        assertEquals(List.of(), file.problems());
        assertEquals(
                io.sluice.engine.metrics.MetricsSettings.port(9464),
                file.metrics().orElseThrow().settings());
        assertEquals(
                new io.sluice.engine.metrics.MetricsSettings("0.0.0.0", 0, true),
                parse("metrics: {port: 0, host: 0.0.0.0, perPartition: true}\n" + PIPELINE)
                        .metrics()
                        .orElseThrow()
                        .settings());
        assertEquals(Optional.empty(), parse(PIPELINE).metrics());
    }

    @Test
    void everyMistakeInTheMetricsBlockIsAtItsPlace() {
        assertEquals(
                List.of(
                        "orders.yaml:2:3: missing field 'port' in 'metrics'",
                        "orders.yaml:2:3: unknown field 'prot' in 'metrics' — did you mean 'port'? (fields: port, host,"
                                + " perPartition)"),
                problems("metrics:\n  prot: 9464\n" + PIPELINE));
        assertEquals(
                List.of("orders.yaml:1:17: 'port' of 'metrics' is '94640', not a port: give 1 to 65535 (9464 is"
                        + " Prometheus' usual exporter port), or 0 for any free one"),
                problems("metrics: {port: 94640}\n" + PIPELINE));
        assertEquals(
                List.of("orders.yaml:1:17: 'port' of 'metrics' is 'http', not a port: give 1 to 65535 (9464 is"
                        + " Prometheus' usual exporter port), or 0 for any free one"),
                problems("metrics: {port: http}\n" + PIPELINE));
        assertEquals(
                List.of("orders.yaml:1:37: 'perPartition' of 'metrics' is 'yes please', not true or false"),
                problems("metrics: {port: 9464, perPartition: yes please}\n" + PIPELINE));
        assertEquals(
                List.of("orders.yaml:1:10: 'metrics' must be a map with 'port' (and 'host', 'perPartition'), not a"
                        + " value"),
                problems("metrics: 9464\n" + PIPELINE));
    }

    @Test
    void acceptChangesNamesTheChangesACheckpointMayTake() {
        String file = """
                pipelines:
                  - name: a
                    source: {connector: kafka}
                    sink: {connector: console}
                    acceptChanges: [source, shema]
                """;
        assertEquals(
                List.of(
                        "orders.yaml:5:29: pipeline 'a': 'acceptChanges' names 'shema', which is not a change a checkpoint"
                                + " can accept — did you mean 'schema'? (changes: source, schema, sinks)"),
                problems(file));
        assertEquals(
                java.util.Set.of(io.sluice.engine.plan.CheckpointChange.SOURCE),
                parse(file.replace("[source, shema]", "source"))
                        .pipelines()
                        .get(0)
                        .definition()
                        .acceptedChanges());
    }

    @Test
    void malformedYamlIsOneLineWithItsPlace() {
        assertEquals(
                List.of("orders.yaml:3:1: malformed YAML: found character '\\t(TAB)' that cannot start any token."
                        + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
                problems("pipelines:\n  - name: a\n\tsource: x\n"));
        assertEquals(
                List.of("orders.yaml:3:4: malformed YAML: expected <block end>, but found '<block mapping start>'"
                        + " (while parsing a block collection)"),
                problems("pipelines:\n  - name: a\n   sink: x\n"));
        assertEquals(
                List.of(
                        "orders.yaml:2:5: pipeline 'a': missing field 'sink': the sink's 'connector' and 'options'",
                        "orders.yaml:4:5: duplicate key 'name' (first at line 2): remove one of them"),
                problems("pipelines:\n  - name: a\n    source: {connector: kafka}\n    name: b\n"));
    }

    @Test
    void anEmptyFileOrAnEmptyListSaysWhatToWrite() {
        assertEquals(
                List.of(
                        "orders.yaml:1:1: the file is empty: declare 'pipelines:', a list of pipelines (see README, 'The pipeline file')"),
                problems(""));
        assertEquals(
                List.of(
                        "orders.yaml:1:1: the file is empty: declare 'pipelines:', a list of pipelines (see README, 'The pipeline file')"),
                problems("# only a comment\n"));
        assertEquals(
                List.of("orders.yaml:1:12: 'pipelines' is empty: declare at least one pipeline"),
                problems("pipelines: []\n"));
        assertEquals(
                List.of("orders.yaml:1:1: the file must be a map with 'pipelines:', not a list"),
                problems("- a\n- b\n"));
    }

    @Test
    void variablesComeFromSetThenTheEnvironmentAndAnUnsetOneIsAProblemAtItsLine() {
        String text = """
                pipelines:
                  - name: p
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        subscribe: ${TOPIC:-orders}
                        groupIdPrefix: $${literal}
                        startingOffsets: ${START}
                    sink: {connector: console}
                """;
        PipelineFile file = PipelineFileParser.parse(
                "orders.yaml",
                text,
                new Variables(Map.of("BROKERS", "set:9092"), Map.of("BROKERS", "env:9092", "START", "earliest")));
        assertEquals(List.of(), file.problems());
        assertEquals(
                Map.of(
                        "kafka.bootstrap.servers",
                        "set:9092",
                        "subscribe",
                        "orders",
                        "groupIdPrefix",
                        "${literal}",
                        "startingOffsets",
                        "earliest"),
                file.pipelines().get(0).definition().sourceOptions());

        PipelineFile unset =
                PipelineFileParser.parse("orders.yaml", text, new Variables(Map.of(), Map.of("STARTS", "x")));
        assertEquals(
                List.of(
                        "orders.yaml:6:34: pipeline 'p': variable 'BROKERS' is not set: set it in the environment or with --set BROKERS=...,"
                                + " or give a default: ${BROKERS:-value}",
                        "orders.yaml:9:26: pipeline 'p': variable 'START' is not set — did you mean 'STARTS'?: set it in the environment"
                                + " or with --set START=..., or give a default: ${START:-value}"),
                unset.problems().stream().map(FileProblem::toString).toList());
        assertEquals(
                List.of("orders.yaml:3:25: pipeline 'p': '${no space}' is not a variable reference: write ${NAME} or"
                        + " ${NAME:-default} (NAME of letters, digits, '_' and '.'), or $${ for a literal ${"),
                problems(
                        "pipelines:\n  - name: p\n    source: {connector: '${no space}'}\n    sink: {connector: console}\n"));
    }

    @Test
    void corePlacesItsProblemsThroughThePathOfThePart() {
        PipelineFile.FilePipeline pipeline = parse(VALID).pipelines().get(0);
        assertEquals(new Position(9, 9), pipeline.positionOf(List.of("source", "options", "maxOffsetsPerTrigger")));
        assertEquals(new Position(7, 7), pipeline.positionOf(List.of("source", "options", "startingOffsets")));
        assertEquals(new Position(13, 9), pipeline.positionOf(List.of("transforms", "2")));
        assertEquals(new Position(17, 7), pipeline.positionOf(List.of("sink", "connector")));
        assertEquals(new Position(21, 5), pipeline.positionOf(List.of("outputMode")));
        assertEquals(new Position(4, 5), pipeline.positionOf(List.of()));
    }

    @Test
    void expectationsAreReadWithTheirDefaultsAndEveryMistakeIsAtItsPlace() {
        String file = """
                pipelines:
                  - name: rules
                    source: {connector: kafka}
                    expectations:
                      - name: amount_positive
                        expect: amount > 0
                        onViolation: drop
                      - name: customer_known
                        expect: customer IS NOT NULL
                      - name: id_present
                        expect: id IS NOT NULL
                        onViolation: fail
                        stage: input
                    sink: {connector: console}
                """;
        PipelineFile parsed = parse(file);
        assertEquals(List.of(), parsed.problems());
        assertEquals(
                List.of(
                        Expectation.drop("amount_positive", "amount > 0"),
                        Expectation.warn("customer_known", "customer IS NOT NULL"),
                        Expectation.fail("id_present", "id IS NOT NULL").onInput()),
                parsed.pipelines().get(0).definition().expectations());
        assertEquals(
                new Position(10, 9),
                parsed.pipelines().get(0).positionOf(List.of("expectations", "3")),
                "a rule's problem is placed at its item");
        assertEquals(
                List.of(
                        "orders.yaml:5:9: pipeline 'rules': missing field 'expect' in an expectation",
                        "orders.yaml:6:9: pipeline 'rules': unknown field 'expct' in an expectation — did you mean"
                                + " 'expect'? (fields: name, expect, onViolation, stage)",
                        "orders.yaml:7:22: pipeline 'rules': 'onViolation' is 'dorp', which is not one of: warn, drop,"
                                + " fail, quarantine — did you mean 'drop'?",
                        "orders.yaml:13:16: pipeline 'rules': 'stage' is 'inputs', which is not one of: output, input —"
                                + " did you mean 'input'?",
                        "orders.yaml:18:19: pipeline 'other': 'expectations' must be a list of rules '- name:"
                                + " amount_positive, expect: amount > 0, onViolation: drop' (stage: input to place it"
                                + " before the transforms), not a map"),
                problems(file.replace("expect: amount > 0", "expct: amount > 0")
                                .replace("onViolation: drop", "onViolation: dorp")
                                .replace("stage: input", "stage: inputs")
                        + "  - name: other\n    source: {connector: kafka}\n    sink: {connector: console}\n"
                        + "    expectations: {name: x}\n"));
    }
}
