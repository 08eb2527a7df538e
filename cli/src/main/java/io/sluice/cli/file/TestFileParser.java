package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SampleRecord;
import io.sluice.core.option.Suggestions;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a test file — or the {@code tests:} block of a pipeline file — into {@link PipelineTest}s
 * with the places of their parts, collecting every problem of the file's shape at its line, with
 * "did you mean" for a misspelt field, as the pipeline file's parser does. What a test declares
 * is documented in {@code docs/testing.md}.
 */
public final class TestFileParser {
    public static final List<String> FILE_FIELDS = List.of("file", "pipeline", "variables", "schemaRegistry", "tests");
    public static final List<String> TEST_FIELDS =
            List.of("name", "pipeline", "realSinks", "schemaRegistry", "tables", "steps", "expect");
    public static final List<String> STEP_FIELDS = List.of("batch", "expect");
    public static final List<String> REGISTER_FIELDS = List.of("register");
    public static final List<String> RECORD_FIELDS =
            List.of("key", "keyBase64", "value", "valueBase64", "headers", "partition", "timestamp", "lines");
    public static final List<String> EXPECT_FIELDS = List.of(
            "rows",
            "ordered",
            "columns",
            "sinks",
            "deadLettered",
            "skipped",
            "quarantined",
            "watermark",
            "counters",
            "fails");
    public static final List<String> REJECTION_FIELDS = List.of("record", "reason");
    public static final List<String> QUARANTINED_FIELDS = List.of("rules", "row", "record");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final Path directory;
    private final List<FileProblem.At> problems = new ArrayList<>();

    private TestFileParser(String file, Path directory) {
        this.file = requireNonNull(file, "file is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Reads a test file from disk; a file that cannot be read is a problem of that file. */
    public static TestFile load(Path path) {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new TestFile(
                    name,
                    path,
                    Map.of(),
                    List.of(),
                    List.of(new FileProblem(name, Position.START, "", "the file cannot be read: " + e.getMessage())));
        }
        Path parent = path.toAbsolutePath().getParent();
        return new TestFileParser(name, parent).parse(text, path);
    }

    /** Whether a YAML file has a top-level {@code tests:} block (a pipeline file with its tests). */
    public static boolean hasTests(Path path) {
        try {
            YamlReader.Result yaml = YamlReader.read(Files.readString(path, StandardCharsets.UTF_8));
            return yaml.root() instanceof Node.MapNode root && root.get("tests").isPresent();
        } catch (IOException | YamlReader.YamlException | RuntimeException e) {
            return false;
        }
    }

    private TestFile parse(String text, Path path) {
        YamlReader.Result yaml;
        try {
            yaml = YamlReader.read(text);
        } catch (YamlReader.YamlException e) {
            return new TestFile(
                    file, path, Map.of(), List.of(), List.of(new FileProblem(file, e.position(), "", e.getMessage())));
        }
        problems.addAll(yaml.duplicates());
        Path pipelineFile = path;
        Map<String, String> variables = new LinkedHashMap<>();
        List<TestFile.FileTest> tests = new ArrayList<>();
        if (!(yaml.root() instanceof Node.MapNode root)) {
            problem(
                    yaml.root() == null ? Position.START : yaml.root().position(),
                    "the file must be a map with 'file:' (the pipeline file) and 'tests:', not "
                            + (yaml.root() == null ? "empty" : yaml.root().kind()));
            return result(pipelineFile, variables, tests);
        }
        boolean embedded = root.get("pipelines").isPresent();
        Optional<String> pipeline = Optional.empty();
        if (!embedded) {
            checkFields(root, FILE_FIELDS, "the file");
            Optional<String> named = root.get("file").flatMap(node -> text(node, "file"));
            if (root.get("file").isEmpty()) {
                problem(
                        root.position(),
                        "missing field 'file': the pipeline file the tests run, relative to this file");
            }
            if (named.isPresent()) {
                pipelineFile = directory.resolve(named.get());
                if (!Files.isRegularFile(pipelineFile)) {
                    problem(
                            root.get("file").get().position(),
                            "'file' is '" + named.get() + "', which does not exist" + " (looked for " + pipelineFile
                                    + ")");
                }
            }
            pipeline = root.get("pipeline").flatMap(node -> text(node, "pipeline"));
            root.get("variables").ifPresent(node -> variables.putAll(scalars(node, "variables")));
        }
        Map<String, List<String>> schemas = embedded
                ? Map.of()
                : root.get("schemaRegistry")
                        .map(node -> schemas(node, "schemaRegistry"))
                        .orElse(Map.of());
        Optional<Node> list = root.get("tests");
        if (list.isEmpty()) {
            problem(root.position(), "missing field 'tests': a list of tests");
        } else if (list.get() instanceof Node.ListNode items && !items.items().isEmpty()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Node item : items.items()) {
                test(item, pipeline, schemas, names).ifPresent(tests::add);
            }
        } else {
            problem(
                    list.get().position(),
                    "'tests' must be a list of tests (each starting with '- name:'), not "
                            + (list.get() instanceof Node.ListNode
                                    ? "empty"
                                    : list.get().kind()));
        }
        return result(pipelineFile, variables, tests);
    }

    private TestFile result(Path pipelineFile, Map<String, String> variables, List<TestFile.FileTest> tests) {
        return new TestFile(
                file,
                pipelineFile,
                variables,
                tests,
                problems.stream().map(p -> p.in(file)).sorted().toList());
    }

    private Optional<TestFile.FileTest> test(
            Node item,
            Optional<String> filePipeline,
            Map<String, List<String>> fileSchemas,
            java.util.Set<String> names) {
        if (!(item instanceof Node.MapNode map)) {
            problem(item.position(), "a test must be a map with 'name' and 'steps', not " + item.kind());
            return Optional.empty();
        }
        checkFields(map, TEST_FIELDS, "a test");
        int before = problems.size();
        Optional<String> name = map.get("name").flatMap(node -> text(node, "name"));
        if (map.get("name").isEmpty()) {
            problem(map.position(), "missing field 'name' in a test: say what it checks");
        }
        name.filter(n -> !names.add(n))
                .ifPresent(n -> problem(map.get("name").get().position(), "two tests are named '" + n + "'"));
        Optional<String> pipeline =
                map.get("pipeline").flatMap(node -> text(node, "pipeline")).or(() -> filePipeline);
        boolean realSinks =
                map.get("realSinks").flatMap(node -> bool(node, "realSinks")).orElse(false);
        Map<String, List<String>> schemas = new LinkedHashMap<>(fileSchemas);
        map.get("schemaRegistry").ifPresent(node -> schemas.putAll(schemas(node, "schemaRegistry")));
        Map<String, List<String>> tables = map.get("tables").map(this::tables).orElse(Map.of());
        Map<String, Position> places = new HashMap<>();
        if (map.entries().containsKey("tables")) {
            places.put("end:tables", map.entries().get("tables").keyPosition());
        }
        List<PipelineTest.Step> steps = new ArrayList<>();
        Optional<Node> stepList = map.get("steps");
        if (stepList.isEmpty()) {
            problem(map.position(), "missing field 'steps' in a test: its batches (and restarts)");
        } else if (stepList.get() instanceof Node.ListNode items
                && !items.items().isEmpty()) {
            for (Node step : items.items()) {
                step(step, steps.size(), places).ifPresent(steps::add);
            }
        } else {
            problem(
                    stepList.get().position(),
                    "'steps' must be a list of '- batch:', '- restart' and '- register:' steps, not "
                            + (stepList.get() instanceof Node.ListNode
                                    ? "empty"
                                    : stepList.get().kind()));
        }
        Expectation atEnd =
                map.get("expect").map(node -> expectation(node, "end", places)).orElse(Expectation.none());
        if (atEnd.failure().isPresent()) {
            problem(places.get("end:fails"), "'fails' belongs to a batch: the batch that is expected to fail");
        }
        if (problems.size() > before || name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TestFile.FileTest(
                new PipelineTest(name.get(), steps, atEnd, realSinks, schemas, tables),
                pipeline,
                map.position(),
                places));
    }

    private Optional<PipelineTest.Step> step(Node node, int index, Map<String, Position> places) {
        places.put(index + ":step", node.position());
        if (node instanceof Node.Scalar scalar && "restart".equals(scalar.text())) {
            return Optional.of(new PipelineTest.Restart());
        }
        if (node instanceof Node.MapNode map
                && map.get("register").isPresent()
                && map.get("batch").isEmpty()) {
            checkFields(map, REGISTER_FIELDS, "a register step");
            return Optional.of(
                    new PipelineTest.Register(schemas(map.get("register").get(), "register")));
        }
        if (!(node instanceof Node.MapNode map) || map.get("batch").isEmpty()) {
            problem(
                    node.position(),
                    "a step is '- batch:' (records, then 'expect:'), '- restart' or '- register:' (new schema"
                            + " versions), not "
                            + (node instanceof Node.Scalar s && !s.isNull() ? "'" + s.text() + "'" : node.kind()));
            return Optional.empty();
        }
        checkFields(map, STEP_FIELDS, "a batch step");
        List<SampleRecord> records = new ArrayList<>();
        Node batch = map.get("batch").get();
        if (batch instanceof Node.ListNode items) {
            items.items().forEach(item -> records.addAll(records(item)));
        } else if (!(batch instanceof Node.Scalar scalar && scalar.isNull())) {
            problem(batch.position(), "'batch' must be a list of records (each '- value: ...'), not " + batch.kind());
        }
        Expectation expect = map.get("expect")
                .map(e -> expectation(e, String.valueOf(index), places))
                .orElse(Expectation.none());
        return Optional.of(new PipelineTest.Batch(records, expect));
    }

    private List<SampleRecord> records(Node node) {
        if (!(node instanceof Node.MapNode map)) {
            problem(
                    node.position(),
                    "a record must be a map with 'value' (and 'key', 'headers', 'partition',"
                            + " 'timestamp'), or 'lines: FILE', not " + node.kind());
            return List.of();
        }
        checkFields(map, RECORD_FIELDS, "a record");
        if (map.get("lines").isPresent()) {
            for (String other : RECORD_FIELDS) {
                if (!other.equals("lines") && map.get(other).isPresent()) {
                    problem(
                            map.get(other).get().position(),
                            "'" + other + "' does not go with 'lines': each line is" + " a record's value");
                }
            }
            return lines(map.get("lines").get());
        }
        Optional<byte[]> value = bytes(map, "value", "valueBase64");
        if (value.isEmpty()) {
            if (map.get("value").isEmpty() && map.get("valueBase64").isEmpty()) {
                problem(map.position(), "missing field 'value' in a record (or 'valueBase64' for bytes)");
            }
            return List.of();
        }
        Optional<byte[]> key = bytes(map, "key", "keyBase64");
        java.util.Set<SampleRecord.Part> documents = java.util.EnumSet.noneOf(SampleRecord.Part.class);
        if (isDocument(map.get("value"))) {
            documents.add(SampleRecord.Part.VALUE);
        }
        if (key.isPresent() && isDocument(map.get("key"))) {
            documents.add(SampleRecord.Part.KEY);
        }
        List<SampleRecord.Header> headers = new ArrayList<>();
        map.get("headers").ifPresent(h -> {
            if (h instanceof Node.MapNode fields) {
                fields.entries()
                        .values()
                        .forEach(entry -> headers.add(new SampleRecord.Header(
                                entry.key(),
                                entry.value() instanceof Node.Scalar s && !s.isNull()
                                        ? s.text().getBytes(StandardCharsets.UTF_8)
                                        : null)));
            } else {
                problem(h.position(), "'headers' must be a map of names to values, not " + h.kind());
            }
        });
        OptionalInt partition = OptionalInt.empty();
        if (map.get("partition").isPresent()) {
            Optional<String> text = text(map.get("partition").get(), "partition");
            try {
                int number = Integer.parseInt(text.orElse("0").trim());
                if (number < 0) {
                    throw new NumberFormatException();
                }
                partition = OptionalInt.of(number);
            } catch (NumberFormatException e) {
                problem(
                        map.get("partition").get().position(),
                        "'partition' is '" + text.orElse("") + "', not a partition number (0, 1, ...)");
            }
        }
        Optional<Instant> timestamp = map.get("timestamp")
                .flatMap(at -> text(at, "timestamp").flatMap(text -> {
                    try {
                        return Optional.of(Instant.parse(text.trim()));
                    } catch (DateTimeParseException e) {
                        problem(
                                at.position(),
                                "'timestamp' is '" + text + "', not an instant: write it as" + " 2026-11-25T10:00:00Z");
                        return Optional.empty();
                    }
                }));
        return List.of(new SampleRecord(key, value.get(), headers, partition, timestamp, documents));
    }

    /** A map or a list: a document the source writes in its format (a text is bytes as written). */
    private static boolean isDocument(Optional<Node> node) {
        return node.filter(n -> n instanceof Node.MapNode || n instanceof Node.ListNode)
                .isPresent();
    }

    /**
     * {@code schemaRegistry:}: each subject's versions, oldest first, each a schema as text, as
     * YAML (Avro or JSON Schema written as a map), or {@code file: PATH} relative to this file.
     */
    /** {@code tables: {customers: [{id: 1, name: Ada}]}}: each table's rows as JSON objects. */
    private Map<String, List<String>> tables(Node node) {
        String shape = "a map of the pipeline's tables to their rows (customers: [{id: 1, name: Ada}])";
        if (!(node instanceof Node.MapNode map)) {
            problem(node.position(), "'tables' must be " + shape + ", not " + node.kind());
            return Map.of();
        }
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (Node.Entry entry : map.entries().values()) {
            if (!(entry.value() instanceof Node.ListNode rows)) {
                problem(
                        entry.value().position(),
                        "table '" + entry.key() + "' must list its rows ('- {id: 1, name: Ada}'), not "
                                + entry.value().kind());
                continue;
            }
            List<String> json = new ArrayList<>();
            for (Node row : rows.items()) {
                if (!(row instanceof Node.MapNode)) {
                    problem(
                            row.position(),
                            "a row of table '" + entry.key() + "' must be a map of its columns, not " + row.kind());
                    continue;
                }
                try {
                    json.add(JSON.writeValueAsString(json(row)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            tables.put(entry.key(), json);
        }
        return tables;
    }

    private Map<String, List<String>> schemas(Node node, String field) {
        if (!(node instanceof Node.MapNode map)) {
            problem(
                    node.position(),
                    "'" + field + "' must be a map of subjects to their schemas (each '- ...' a version, oldest"
                            + " first), not " + node.kind());
            return Map.of();
        }
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        for (Node.Entry entry : map.entries().values()) {
            if (!(entry.value() instanceof Node.ListNode versions)
                    || versions.items().isEmpty()) {
                problem(
                        entry.value().position(),
                        "subject '" + entry.key() + "' must list its versions, oldest first (each '- ' a schema: text,"
                                + " a map, or 'file: PATH'), not "
                                + (entry.value() instanceof Node.ListNode
                                        ? "empty"
                                        : entry.value().kind()));
                continue;
            }
            List<String> texts = new ArrayList<>();
            for (Node version : versions.items()) {
                schema(version, entry.key()).ifPresent(texts::add);
            }
            subjects.put(entry.key(), texts);
        }
        return subjects;
    }

    private Optional<String> schema(Node version, String subject) {
        if (version instanceof Node.MapNode fields
                && fields.entries().size() == 1
                && fields.get("file").isPresent()) {
            return text(fields.get("file").get(), "file").flatMap(name -> {
                Path path = directory.resolve(name);
                try {
                    return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    problem(
                            version.position(),
                            "a schema of subject '" + subject + "' is in file '" + name + "', which cannot be read"
                                    + " (looked for " + path + ")");
                    return Optional.empty();
                }
            });
        }
        if (version instanceof Node.Scalar scalar) {
            return text(scalar, "a schema of subject '" + subject + "'");
        }
        try {
            return Optional.of(JSON.writeValueAsString(json(version)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A value written as text or JSON ({@code field}), or as base64 bytes ({@code base64Field}). */
    private Optional<byte[]> bytes(Node.MapNode map, String field, String base64Field) {
        Optional<Node> plain = map.get(field);
        Optional<Node> base64 = map.get(base64Field);
        if (plain.isPresent() && base64.isPresent()) {
            problem(base64.get().position(), "set only one of '" + field + "', '" + base64Field + "'");
            return Optional.empty();
        }
        if (base64.isPresent()) {
            return text(base64.get(), base64Field).flatMap(text -> {
                try {
                    return Optional.of(Base64.getDecoder().decode(text.trim()));
                } catch (IllegalArgumentException e) {
                    problem(base64.get().position(), "'" + base64Field + "' is not base64: " + e.getMessage());
                    return Optional.empty();
                }
            });
        }
        return plain.flatMap(node -> {
            if (node instanceof Node.Scalar scalar) {
                if (scalar.isNull()) {
                    problem(node.position(), "'" + field + "' has no value");
                    return Optional.empty();
                }
                return Optional.of(scalar.text().getBytes(StandardCharsets.UTF_8));
            }
            try {
                return Optional.of(JSON.writeValueAsBytes(json(node)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A file's lines as records' values, relative to the test file; blank lines skipped. */
    private List<SampleRecord> lines(Node node) {
        return text(node, "lines")
                .map(name -> {
                    Path path = directory.resolve(name);
                    try {
                        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                                .filter(line -> !line.isBlank())
                                .map(SampleRecord::of)
                                .toList();
                    } catch (IOException e) {
                        problem(
                                node.position(),
                                "'lines' is '" + name + "', which cannot be read (looked for " + path + ")");
                        return List.<SampleRecord>of();
                    }
                })
                .orElse(List.of());
    }

    /** YAML as the JSON a producer would write: plain numbers and booleans stay numbers and booleans. */
    static JsonNode json(Node node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node instanceof Node.MapNode map) {
            ObjectNode object = nodes.objectNode();
            map.entries().values().forEach(entry -> object.set(entry.key(), json(entry.value())));
            return object;
        }
        if (node instanceof Node.ListNode list) {
            ArrayNode array = nodes.arrayNode();
            list.items().forEach(item -> array.add(json(item)));
            return array;
        }
        Node.Scalar scalar = (Node.Scalar) node;
        if (scalar.isNull()) {
            return nodes.nullNode();
        }
        if (!scalar.string()) {
            if (scalar.text().equals("true") || scalar.text().equals("false")) {
                return nodes.booleanNode(Boolean.parseBoolean(scalar.text()));
            }
            try {
                return nodes.numberNode(new BigDecimal(scalar.text()));
            } catch (NumberFormatException e) {
                return nodes.textNode(scalar.text());
            }
        }
        return nodes.textNode(scalar.text());
    }

    private Expectation expectation(Node node, String step, Map<String, Position> places) {
        if (!(node instanceof Node.MapNode map)) {
            problem(
                    node.position(),
                    "'expect' must be a map (rows, deadLettered, skipped, quarantined, watermark, counters, fails), not "
                            + node.kind());
            return Expectation.none();
        }
        checkFields(map, EXPECT_FIELDS, "'expect'");
        map.entries().values().forEach(entry -> places.put(step + ":" + entry.key(), entry.keyPosition()));
        Expectation expect = Expectation.none();
        if (map.get("rows").isPresent()) {
            boolean ordered =
                    map.get("ordered").flatMap(n -> bool(n, "ordered")).orElse(false);
            List<String> columns =
                    map.get("columns").map(n -> names(n, "columns")).orElse(List.of());
            expect = expect.withRows(
                    new Expectation.ExpectedRows(rows(map.get("rows").get()), ordered, columns));
        } else {
            for (String belongs : List.of("ordered", "columns")) {
                map.get(belongs)
                        .ifPresent(n -> problem(
                                n.position(),
                                "'" + belongs + "' says how to compare 'rows',"
                                        + " which this 'expect' does not have"));
            }
        }
        if (map.get("sinks").isPresent()) {
            Node sinks = map.get("sinks").get();
            if (sinks instanceof Node.MapNode bySink) {
                for (Node.Entry entry : bySink.entries().values()) {
                    expect = expect.withSinkRows(entry.key(), Expectation.ExpectedRows.unordered(rows(entry.value())));
                }
            } else {
                problem(
                        sinks.position(),
                        "'sinks' must be a map of the pipeline's sinks to the rows each received (large: [{id: 1}]),"
                                + " not " + sinks.kind());
            }
        }
        if (map.get("deadLettered").isPresent()) {
            expect = expect.withDeadLettered(rejections(map.get("deadLettered").get(), "deadLettered"));
        }
        if (map.get("skipped").isPresent()) {
            expect = expect.withSkipped(rejections(map.get("skipped").get(), "skipped"));
        }
        if (map.get("quarantined").isPresent()) {
            expect = expect.withQuarantined(quarantined(map.get("quarantined").get()));
        }
        Optional<String> watermark = map.get("watermark").flatMap(n -> text(n, "watermark"));
        if (watermark.isPresent()) {
            expect = expect.withWatermark(watermark.get());
        }
        if (map.get("counters").isPresent()) {
            Map<String, Long> counters = new LinkedHashMap<>();
            scalars(map.get("counters").get(), "counters").forEach((name, text) -> {
                try {
                    counters.put(name, Long.parseLong(text.trim()));
                } catch (NumberFormatException e) {
                    problem(
                            map.get("counters").get().position(),
                            "counter '" + name + "' is '" + text + "', not a whole number");
                }
            });
            expect = expect.withCounters(counters);
        }
        Optional<String> fails = map.get("fails").flatMap(n -> text(n, "fails"));
        if (fails.isPresent()) {
            expect = expect.withFailure(fails.get());
        }
        return expect;
    }

    private List<Map<String, Object>> rows(Node node) {
        if (node instanceof Node.Scalar scalar && scalar.isNull()) {
            return List.of();
        }
        if (!(node instanceof Node.ListNode list)) {
            problem(
                    node.position(),
                    "'rows' must be a list of rows (each '- {column: value, ...}'), not " + node.kind());
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof Node.MapNode row) {
                Map<String, Object> values = new LinkedHashMap<>();
                row.entries().values().forEach(entry -> values.put(entry.key(), value(entry.value())));
                rows.add(values);
            } else {
                problem(item.position(), "a row must be a map of columns to values, not " + item.kind());
            }
        }
        return rows;
    }

    /** An expected value: text, null, a map (a struct or map column) or a list (an array column). */
    private static Object value(Node node) {
        if (node instanceof Node.MapNode map) {
            Map<String, Object> values = new LinkedHashMap<>();
            map.entries().values().forEach(entry -> values.put(entry.key(), value(entry.value())));
            return values;
        }
        if (node instanceof Node.ListNode list) {
            List<Object> values = new ArrayList<>();
            list.items().forEach(item -> values.add(value(item)));
            return values;
        }
        return ((Node.Scalar) node).text();
    }

    private List<Expectation.Rejection> rejections(Node node, String field) {
        if (!(node instanceof Node.ListNode list)) {
            if (node instanceof Node.Scalar scalar && scalar.isNull()) {
                return List.of();
            }
            problem(
                    node.position(),
                    "'" + field + "' must be a list of reasons (or of 'record:' and 'reason:'), not " + node.kind());
            return List.of();
        }
        List<Expectation.Rejection> rejections = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof Node.MapNode map) {
                checkFields(map, REJECTION_FIELDS, "'" + field + "'");
                Optional<String> reason = map.get("reason").flatMap(n -> text(n, "reason"));
                if (map.get("reason").isEmpty()) {
                    problem(map.position(), "missing field 'reason' in '" + field + "'");
                }
                Optional<String> record = map.get("record").flatMap(n -> text(n, "record"));
                reason.ifPresent(r -> rejections.add(new Expectation.Rejection(record, r)));
            } else {
                text(item, "reason").ifPresent(r -> rejections.add(new Expectation.Rejection(Optional.empty(), r)));
            }
        }
        return rejections;
    }

    /** Rows the rules quarantined: each with the rules it broke (one name, or a list), its values and its record. */
    private List<Expectation.Quarantined> quarantined(Node node) {
        if (node instanceof Node.Scalar scalar && scalar.isNull()) {
            return List.of();
        }
        if (!(node instanceof Node.ListNode list)) {
            problem(
                    node.position(),
                    "'quarantined' must be a list of rows set aside (each 'rules:', 'row:' and optionally 'record:'),"
                            + " not " + node.kind());
            return List.of();
        }
        List<Expectation.Quarantined> rows = new ArrayList<>();
        for (Node item : list.items()) {
            if (!(item instanceof Node.MapNode map)) {
                problem(
                        item.position(),
                        "a quarantined row must be a map ('rules:', 'row:' and optionally 'record:'), not "
                                + item.kind());
                continue;
            }
            checkFields(map, QUARANTINED_FIELDS, "'quarantined'");
            if (map.get("rules").isEmpty()) {
                problem(map.position(), "missing field 'rules' in 'quarantined': the rules the row broke, every one");
                continue;
            }
            Node rules = map.get("rules").get();
            List<String> names = rules instanceof Node.ListNode
                    ? names(rules, "rules")
                    : text(rules, "rules").map(List::of).orElse(List.of());
            Map<String, Object> row = new LinkedHashMap<>();
            Optional<Node> values = map.get("row");
            if (values.isPresent() && values.get() instanceof Node.MapNode columns) {
                columns.entries().values().forEach(entry -> row.put(entry.key(), value(entry.value())));
            } else if (values.isPresent()) {
                problem(
                        values.get().position(),
                        "'row' must be a map of columns to values, not "
                                + values.get().kind());
            }
            Optional<String> record = map.get("record").flatMap(n -> text(n, "record"));
            rows.add(new Expectation.Quarantined(new java.util.LinkedHashSet<>(names), row, record));
        }
        return rows;
    }

    private List<String> names(Node node, String field) {
        if (node instanceof Node.ListNode list) {
            List<String> names = new ArrayList<>();
            list.items().forEach(item -> text(item, field).ifPresent(names::add));
            return names;
        }
        problem(node.position(), "'" + field + "' must be a list of column names, not " + node.kind());
        return List.of();
    }

    private Map<String, String> scalars(Node node, String field) {
        if (!(node instanceof Node.MapNode map)) {
            problem(node.position(), "'" + field + "' must be a map of names to values, not " + node.kind());
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        map.entries()
                .values()
                .forEach(entry -> text(entry.value(), entry.key()).ifPresent(v -> values.put(entry.key(), v)));
        return values;
    }

    private Optional<Boolean> bool(Node node, String field) {
        return text(node, field).flatMap(text -> {
            if (text.equals("true") || text.equals("false")) {
                return Optional.of(Boolean.parseBoolean(text));
            }
            problem(node.position(), "'" + field + "' is '" + text + "': write true or false");
            return Optional.empty();
        });
    }

    private Optional<String> text(Node node, String field) {
        if (!(node instanceof Node.Scalar scalar)) {
            problem(node.position(), "'" + field + "' must be a value, not " + node.kind());
            return Optional.empty();
        }
        if (scalar.isNull()) {
            problem(node.position(), "'" + field + "' has no value");
            return Optional.empty();
        }
        return Optional.of(scalar.text());
    }

    private void checkFields(Node.MapNode node, List<String> fields, String what) {
        for (Node.Entry entry : node.entries().values()) {
            if (!fields.contains(entry.key())) {
                problem(
                        entry.keyPosition(),
                        "unknown field '" + entry.key() + "' in " + what + Suggestions.didYouMean(entry.key(), fields)
                                + " (fields: " + String.join(", ", fields) + ")");
            }
        }
    }

    private void problem(Position position, String message) {
        problems.add(new FileProblem.At(position == null ? Position.START : position, "", message));
    }
}
