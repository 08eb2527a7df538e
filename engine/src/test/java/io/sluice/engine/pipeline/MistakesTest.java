package io.sluice.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.plan.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes a user makes in the Java API and in SQL, each caught before start with the message they see. */
class MistakesTest {
    private static final String SCHEMA = "id INT, customer STRING, amount DOUBLE";
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        sluice = Sluice.embedded();
    }

    private Map<String, String> input() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("part-1.json"), List.of("{\"id\":1,\"customer\":\"ann\",\"amount\":1.0}"));
        return Map.of("path", in.toString(), "schema", SCHEMA);
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }

    private List<String> sql(String name, String query) throws IOException {
        return problems(
                sluice.pipeline(name).source("json-dir", input()).sql(query).sink("table"));
    }

    @Test
    void sqlMistakesAreSaidInSluicesWordsWithTheStep() throws IOException {
        assertEquals(
                List.of("pipeline 'syntax': transform 1 (sql: SELECT id FROM input WHERE id =) failed: syntax error"
                        + " at or near end of input (line 1, position 32): correct the SQL there"),
                sql("syntax", "SELECT id FROM input WHERE id ="));
        assertEquals(
                List.of("pipeline 'comma': transform 1 (sql: SELECT id, FROM input) failed: Trailing comma detected in"
                        + " SELECT clause. Remove the trailing comma before the FROM clause."),
                sql("comma", "SELECT id, FROM input"));
        assertEquals(
                List.of("pipeline 'function': transform 1 (sql: SELECT lenght(customer) FROM input) failed: function"
                        + " 'lenght' does not exist — did you mean 'length'? (the functions: SHOW FUNCTIONS, or Spark's"
                        + " SQL reference)"),
                sql("function", "SELECT lenght(customer) FROM input"));
        assertEquals(
                List.of(
                        "pipeline 'view': transform 1 (sql: SELECT id FROM orders) failed: there is no table 'orders': a"
                                + " step reads the one before it (or the source) as the view 'input' — write FROM input"),
                sql("view", "SELECT id FROM orders"));
        assertEquals(
                List.of("pipeline 'two': transform 1 (sql: SELECT id FROM input; SELECT amount FROM input) failed: a"
                        + " step is one query, and this one has more (a ';' at position 21): give each statement a"
                        + " step of its own, in order"),
                sql("two", "SELECT id FROM input; SELECT amount FROM input"));
        assertEquals(
                List.of(
                        "pipeline 'ddl': transform 1 (sql: DROP TABLE input) failed: a step is one query (SELECT ..."
                                + " FROM input), and this one starts with 'DROP': a pipeline changes no table — write a SELECT"),
                sql("ddl", "DROP TABLE input"));
        assertEquals(List.of(), sql("semicolon-in-text", "SELECT id, 'a;b' AS text FROM input;"));
        assertEquals(
                List.of("pipeline 'typo': transform 1 (sql: SELEC * FROM input) failed: syntax error at or near 'SELEC'"
                        + " (line 1, position 1) — did you mean 'SELECT'?"),
                sql("typo", "SELEC * FROM input"));
        assertEquals(
                List.of(
                        "pipeline 'typo_with': transform 1 (sql: -- recent WTIH recent AS (SELECT * FROM input) SELECT *"
                                + " F...) failed: syntax error at or near 'WTIH' (line 2, position 1) — did you mean 'WITH'?"),
                sql("typo_with", "-- recent\nWTIH recent AS (SELECT * FROM input) SELECT * FROM recent"));
        assertEquals(
                List.of("pipeline 'gibberish': transform 1 (sql: hello world) failed: syntax error at or near 'hello'"
                        + " (line 1, position 1) (a query starts with SELECT, WITH, FROM, VALUES or TABLE)"),
                sql("gibberish", "hello world"));
        assertEquals(
                List.of("pipeline 'quote': transform 1 (sql: SELECT * FROM input WHERE customer = 'M15a's') failed:"
                        + " syntax error at or near 's' (line 1, position 44): correct the SQL there"),
                sql("quote", "SELECT * FROM input WHERE customer = 'M15a's'"));
        assertEquals(
                List.of(
                        "pipeline 'ambiguous': transform 1 (sql: SELECT s.id FROM (SELECT named_struct('id', 1, 'ID', 2)"
                                + " A...) failed: the field 'id' is in the struct 2 times (names that differ only in case are"
                                + " one name to Spark's SQL): rename all but one in the schema that makes the struct, or set"
                                + " spark.sql.caseSensitive to true"),
                sql("ambiguous", "SELECT s.id FROM (SELECT named_struct('id', 1, 'ID', 2) AS s FROM input)"));
        assertEquals(
                List.of("pipeline 'empty': transform 1 (sql: ) failed: the step's SQL is empty: write one query, SELECT"
                        + " ... FROM input"),
                sql("empty", "  "));
        assertEquals(
                List.of("pipeline 'comment': transform 1 (sql: -- nothing yet) failed: the step's SQL is empty: write"
                        + " one query, SELECT ... FROM input"),
                sql("comment", "-- nothing yet"));
        assertEquals(
                List.of("pipeline 'show': transform 1 (sql: SHOW TABLES) failed: a step is one query (SELECT ... FROM"
                        + " input), and this one starts with 'SHOW', a statement that reads no rows — write a SELECT"),
                sql("show", "SHOW TABLES"));
        assertEquals(
                List.of("pipeline 'distinct': the transforms count or aggregate DISTINCT values, which a streaming"
                        + " query cannot (it would keep every value seen): use approx_count_distinct(...), or drop"
                        + " duplicates first (SELECT DISTINCT in an earlier step, with a watermark)"),
                problems(sluice.pipeline("distinct")
                        .source("json-dir", input())
                        .sql("SELECT count(DISTINCT customer) AS n FROM input")
                        .sink("table")
                        .outputMode(OutputMode.COMPLETE)));
    }

    @Test
    void misusedBuilderCallsAreProblemsNamingTheCall() throws IOException {
        Map<String, String> withNull = new HashMap<>(input());
        withNull.put("maxFilesPerTrigger", null);
        assertEquals(
                List.of(
                        "pipeline 'misused': option 'maxFilesPerTrigger' is null in source(\"json-dir\", options): give"
                                + " it a value, or leave it out",
                        "pipeline 'misused': option 'x' is null in sinkOption: give it a value, or leave it out",
                        "pipeline 'misused': sink(...) is called twice ('table', then 'table'): a pipeline writes one"
                                + " sink — drop one of the calls (to write twice, run two pipelines)",
                        "pipeline 'misused': transform 1 (returns nothing) returned null: return a Dataset (its input,"
                                + " when the step has nothing to change)"),
                problems(sluice.pipeline("misused")
                        .source("json-dir", withNull)
                        .transform("returns nothing", data -> null)
                        .sink("table")
                        .sinkOption("x", null)
                        .sink("table")));
        assertEquals(
                List.of("pipeline '': the pipeline's name is empty: name it (it is the query's name unless queryName"
                        + " is set, and names the pipeline in every message)"),
                problems(sluice.pipeline("").source("json-dir", input()).sink("table")));
    }

    @Test
    void optionsOfThePipelineGivenToAConnectorSayWhereTheyBelong() throws IOException {
        Map<String, String> source = new HashMap<>(input());
        source.put("checkpointLocation", "/tmp/cp");
        assertEquals(
                List.of(
                        "source 'json-dir': option 'checkpointLocation' is not supported: the checkpoint is the"
                                + " pipeline's: set checkpointLocation on the pipeline or on the sink",
                        "sink 'table': option 'format' is not supported: the format is the connector: name it as the"
                                + " sink's connector (connector: parquet; .sink(\"parquet\", ...) in Java)",
                        "sink 'table': option 'outputMode' is not supported: the output mode is the pipeline's: set"
                                + " outputMode on the pipeline (.outputMode(...) in Java)",
                        "sink 'table': option 'trigger' is not supported: the trigger is the pipeline's: set trigger on"
                                + " the pipeline (.trigger(...) in Java)"),
                problems(sluice.pipeline("misplaced")
                        .source("json-dir", source)
                        .sink("table", Map.of("outputMode", "update", "trigger", "10 seconds", "format", "parquet"))));
    }

    @Test
    void aMisspeltRequiredOptionIsOneProblemAndTheOptionsAreListedOnce() throws IOException {
        assertEquals(
                List.of(
                        "source 'json-dir': unknown option 'paht' — did you mean 'path'? (options: maxFilesPerTrigger,"
                                + " path, schema, token)",
                        "source 'json-dir': unknown option 'shema' — did you mean 'schema'?"),
                problems(sluice.pipeline("misspelt")
                        .source("json-dir", Map.of("paht", "/x", "shema", SCHEMA))
                        .sink("table")));
    }

    @Test
    void aCheckpointWhereAFileIsAndTwoPipelinesOnOneCheckpointAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertEquals(
                List.of("pipeline 'on-a-file': option 'checkpointLocation' = '" + file.resolve("cp") + "' lies under '"
                        + file + "', which is a regular file: name a directory that is not inside a file"),
                problems(sluice.pipeline("on-a-file")
                        .source("json-dir", input())
                        .sink("table")
                        .checkpointLocation(file.resolve("cp").toString())));

        String checkpoint = dir.resolve("shared").toString();
        Pipeline first = sluice.pipeline("first")
                .source("json-dir", input())
                .sink("table")
                .checkpointLocation(checkpoint)
                .build();
        Pipeline second = sluice.pipeline("second")
                .source("json-dir", input())
                .sink("table")
                .checkpointLocation(checkpoint)
                .build();
        assertEquals(
                List.of("pipeline 'second': its checkpointLocation '" + checkpoint + "' is pipeline 'first''s too ("
                        + checkpoint + ") in the same run: two queries on one checkpoint corrupt it — give each"
                        + " pipeline a checkpointLocation of its own"),
                second.validate().conflictsWith(List.of(first.validate())).stream()
                        .map(Problem::toString)
                        .toList());
        try (PipelineHandle running = first.start()) {
            ValidationException refused = assertThrows(ValidationException.class, second::start);
            assertEquals(
                    List.of("pipeline 'second': its checkpointLocation '" + checkpoint + "' is query 'first''s too ("
                            + checkpoint + ") which is running: two queries on one checkpoint corrupt it — give each"
                            + " pipeline a checkpointLocation of its own"),
                    refused.problems().stream().map(Problem::toString).toList());
            ValidationException sameName = assertThrows(
                    ValidationException.class,
                    () -> sluice.pipeline("first")
                            .source("json-dir", input())
                            .sink("table")
                            .build()
                            .start());
            assertEquals(
                    List.of("pipeline 'first': its query name 'first' is taken by query 'first' which is running: Spark"
                            + " runs one query of a name at a time — set another queryName on one of them"),
                    sameName.problems().stream().map(Problem::toString).toList());
        }
    }

    @Test
    void optionMapsNeverPrintTheirValues() throws IOException {
        PipelineDefinition definition = sluice.pipeline("secretive")
                .source("json-dir", Map.of("path", "/in", "token", "hunter2"))
                .sink("table")
                .build()
                .definition();
        assertEquals("{path=*****, token=*****}", definition.sourceOptions().toString());
        assertFalse(String.valueOf(definition.sourceOptions()).contains("hunter2"));
        assertEquals(Map.of("path", "/in", "token", "hunter2"), definition.sourceOptions(), "the values are there");
    }

    @Test
    void aConnectorNameWithSomethingAddedGetsADidYouMean() throws IOException {
        List<String> problems =
                problems(sluice.pipeline("suffix").source("json-dir", input()).sink("table-sink"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("no sink named 'table-sink' — did you mean 'table'?"), problems.get(0));
    }

    @Test
    void aWrongSourceOptionTheSqlAndASinkOptionAreReportedInOneRound() throws IOException {
        Map<String, String> source = new HashMap<>(input());
        source.put("maxFilesPerTrigger", "many");
        assertEquals(
                List.of(
                        "source 'json-dir': option 'maxFilesPerTrigger' = 'many' is not an int",
                        "sink 'append-only': unknown option 'keyColum' — did you mean 'keyColumn'? (options:"
                                + " checkpointLocation, keyColumn, queryName)",
                        "pipeline 'three': transform 1 (sql: SELECT amout FROM input) failed: column 'amout' does not"
                                + " exist — did you mean 'amount'? (columns: id, customer, amount)"),
                problems(sluice.pipeline("three")
                        .source("json-dir", source)
                        .sql("SELECT amout FROM input")
                        .sink(
                                "append-only",
                                Map.of(
                                        "keyColum",
                                        "id",
                                        "checkpointLocation",
                                        dir.resolve("cp").toString()))));
    }
}
