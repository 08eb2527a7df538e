package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.file.Position;
import io.sluice.cli.file.TestFile;
import io.sluice.engine.text.RowTable;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.RowsMatch;
import io.sluice.testkit.pipeline.TestOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sluice test --update}: each expected {@code rows:} whose test ran is rewritten where it
 * is written with the rows the sink received, in the columns it compared, one flow-style row a
 * line; the rest of the file — comments, order, other expectations — is left as it was.
 */
final class ExpectedRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedRows() {}

    /** @return how many expectations were rewritten */
    static int update(List<TestFile> files, TestReport report) throws IOException {
        Map<Path, List<Edit>> edits = new TreeMap<>();
        for (TestReport.Entry entry : report.entries()) {
            PipelineTest test = entry.test().test();
            for (int step = 0; step < test.steps().size(); step++) {
                if (test.steps().get(step) instanceof PipelineTest.Batch batch
                        && batch.expect().rows().isPresent()) {
                    int index = step;
                    Optional<TestOutcome.Received> received = entry.outcome().received().stream()
                            .filter(r -> r.step() == index)
                            .findFirst();
                    edit(entry, OptionalInt.of(step), batch.expect().rows().get(), received, edits);
                }
            }
            if (test.atEnd().rows().isPresent()) {
                edit(
                        entry,
                        OptionalInt.empty(),
                        test.atEnd().rows().get(),
                        entry.outcome().all(),
                        edits);
            }
        }
        int count = 0;
        for (Map.Entry<Path, List<Edit>> file : edits.entrySet()) {
            List<String> lines = new ArrayList<>(Files.readAllLines(file.getKey(), StandardCharsets.UTF_8));
            List<Edit> bottomUp = new ArrayList<>(file.getValue());
            bottomUp.sort(Comparator.comparingInt((Edit e) -> e.at().line()).reversed());
            for (Edit edit : bottomUp) {
                apply(lines, edit);
                count++;
            }
            Files.writeString(file.getKey(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        }
        return count;
    }

    private record Edit(Position at, List<String> rows) {}

    private static void edit(
            TestReport.Entry entry,
            OptionalInt step,
            Expectation.ExpectedRows expected,
            Optional<TestOutcome.Received> received,
            Map<Path, List<Edit>> edits) {
        if (received.isEmpty()) {
            return; // the step did not run: nothing to write
        }
        Position at = entry.test().placeOf(step, "rows");
        StructType schema = received.get().schema();
        List<String> columns = RowsMatch.columns(expected, schema).stream()
                .filter(c -> java.util.Arrays.asList(schema.fieldNames()).contains(c))
                .toList();
        List<String> rows =
                received.get().rows().stream().map(row -> flow(row, columns)).toList();
        edits.computeIfAbsent(Path.of(entry.file().file()), f -> new ArrayList<>())
                .add(new Edit(at, rows));
    }

    /** Replaces the {@code rows:} key at {@code at} and its value's lines. */
    private static void apply(List<String> lines, Edit edit) {
        int first = edit.at().line() - 1;
        int indent = edit.at().column() - 1;
        int end = first + 1;
        while (end < lines.size()) {
            String line = lines.get(end);
            int spaces = line.length() - line.stripLeading().length();
            boolean belongs = line.isBlank()
                    || spaces > indent
                    || (spaces == indent && line.stripLeading().startsWith("- "));
            if (!belongs) {
                break;
            }
            end++;
        }
        while (end > first + 1 && lines.get(end - 1).isBlank()) {
            end--; // blank lines before the next key stay
        }
        String pad = " ".repeat(indent);
        List<String> replacement = new ArrayList<>();
        if (edit.rows().isEmpty()) {
            replacement.add(pad + "rows: []");
        } else {
            replacement.add(pad + "rows:");
            edit.rows().forEach(row -> replacement.add(pad + "  - " + row));
        }
        List<String> rest = new ArrayList<>(lines.subList(end, lines.size()));
        lines.subList(first, lines.size()).clear();
        lines.addAll(replacement);
        lines.addAll(rest);
    }

    private static String flow(Row row, List<String> columns) {
        StringJoiner fields = new StringJoiner(", ", "{", "}");
        for (String column : columns) {
            fields.add(column + ": " + value(row.get(row.fieldIndex(column))));
        }
        return fields.toString();
    }

    /** A value as YAML flow that reads back as the same expected value. */
    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Row struct && struct.schema() != null) {
            return flow(struct, List.of(struct.schema().fieldNames()));
        }
        if (value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            return text.equals("NaN") || text.contains("Infinity") ? quoted(text) : text;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return quoted(timestamp.toInstant().toString()); // with its zone: the same instant in every time zone
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return list(scala.jdk.javaapi.CollectionConverters.asJava(seq));
        }
        if (value instanceof List<?> items) {
            return list(items);
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            return map(scala.jdk.javaapi.CollectionConverters.asJava(map));
        }
        if (value instanceof Map<?, ?> map) {
            return map(map);
        }
        return quoted(RowTable.value(value));
    }

    private static String list(List<?> items) {
        StringJoiner list = new StringJoiner(", ", "[", "]");
        items.forEach(item -> list.add(value(item)));
        return list.toString();
    }

    private static String map(Map<?, ?> map) {
        StringJoiner entries = new StringJoiner(", ", "{", "}");
        map.forEach((k, v) -> entries.add(quoted(RowTable.value(k)) + ": " + value(v)));
        return entries.toString();
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
