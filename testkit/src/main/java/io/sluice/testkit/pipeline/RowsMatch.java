package io.sluice.testkit.pipeline;

import io.sluice.core.option.Suggestions;
import io.sluice.engine.text.RowTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Compares the rows a sink received with the rows a test expects, and words the difference as
 * a table a person reads: {@code -} a row expected and not received, {@code +} a row received
 * and not expected. One place for the rule of what "the same value" is (see {@link
 * Expectation.ExpectedRows}), used by {@code sluice test} and by Java tests alike.
 */
public final class RowsMatch {
    private RowsMatch() {}

    /** Empty when the rows match; otherwise what differs, with the table. */
    public static Optional<String> compare(Expectation.ExpectedRows expected, StructType schema, List<Row> actual) {
        List<String> columns = columns(expected, schema);
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String column : columns) {
            if (!names.contains(column)) {
                return Optional.of("the sink's rows have no column '" + column + "'"
                        + Suggestions.didYouMean(column, names) + " (columns: " + String.join(", ", names) + ")");
            }
        }
        boolean named = !expected.columns().isEmpty();
        List<Map<String, Object>> want = expected.rows();
        List<Row> got = actual;
        boolean[] matched = new boolean[got.size()];
        boolean[] found = new boolean[want.size()];
        if (expected.ordered()) {
            for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                found[i] = matched[i] = same(want.get(i), got.get(i), columns, named);
            }
        } else {
            for (int i = 0; i < want.size(); i++) {
                for (int j = 0; j < got.size(); j++) {
                    if (!matched[j] && same(want.get(i), got.get(j), columns, named)) {
                        found[i] = matched[j] = true;
                        break;
                    }
                }
            }
        }
        int missing = count(found, false);
        int unexpected = count(matched, false);
        if (missing == 0 && unexpected == 0) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (missing > 0) {
            parts.add(missing + (missing == 1 ? " expected row was" : " expected rows were") + " not received (-)");
        }
        if (unexpected > 0) {
            parts.add(unexpected + (unexpected == 1 ? " row was" : " rows were") + " received and not expected (+)");
        }
        String summary = String.join(", ", parts) + (expected.ordered() ? ", in order" : "") + "; " + want.size()
                + " expected, " + got.size() + " received";
        return Optional.of(summary + "\n"
                + table(columns, want, found, got, matched, expected.ordered()).stripTrailing());
    }

    /**
     * The columns compared: those named, or those the expected rows name (in the sink's order), or
     * every column when they name none.
     */
    public static List<String> columns(Expectation.ExpectedRows expected, StructType schema) {
        if (!expected.columns().isEmpty()) {
            return expected.columns();
        }
        Set<String> named = new LinkedHashSet<>();
        expected.rows().forEach(row -> named.addAll(row.keySet()));
        if (named.isEmpty()) {
            return Arrays.asList(schema.fieldNames());
        }
        // in the sink's order, which does not depend on how each row was written; columns it lacks last
        List<String> ordered = new java.util.ArrayList<>();
        for (String column : schema.fieldNames()) {
            if (named.remove(column)) {
                ordered.add(column);
            }
        }
        ordered.addAll(named);
        return ordered;
    }

    /** With {@code columns:} every row is compared on those (a column a row leaves out is null); else on its own. */
    private static boolean same(Map<String, Object> want, Row got, List<String> columns, boolean named) {
        for (String column : named ? columns : List.copyOf(want.keySet())) {
            if (!same(want.get(column), got.get(got.fieldIndex(column)))) {
                return false;
            }
        }
        return true;
    }

    /** The rule of "the same value"; see {@link Expectation.ExpectedRows}. */
    public static boolean same(Object want, Object got) {
        if (want == null || got == null) {
            return want == null && got == null;
        }
        if (want instanceof Map<?, ?> fields) {
            if (got instanceof Row row && row.schema() != null) {
                if (row.length() != fields.size()) {
                    return false;
                }
                for (Map.Entry<?, ?> field : fields.entrySet()) {
                    String name = String.valueOf(field.getKey());
                    if (!Arrays.asList(row.schema().fieldNames()).contains(name)
                            || !same(field.getValue(), row.get(row.fieldIndex(name)))) {
                        return false;
                    }
                }
                return true;
            }
            Map<?, ?> map = got instanceof scala.collection.Map<?, ?> scalaMap
                    ? scala.jdk.javaapi.CollectionConverters.asJava(scalaMap)
                    : got instanceof Map<?, ?> javaMap ? javaMap : null;
            if (map == null || map.size() != fields.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = RowTable.value(entry.getKey());
                if (!fields.containsKey(key) || !same(fields.get(key), entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof List<?> items) {
            List<?> list = list(got);
            if (list == null || list.size() != items.size()) {
                return false;
            }
            for (int i = 0; i < items.size(); i++) {
                if (!same(items.get(i), list.get(i))) {
                    return false;
                }
            }
            return true;
        }
        String wanted = String.valueOf(want);
        String text = RowTable.value(got);
        if (wanted.equals(text)) {
            return true;
        }
        if (got instanceof Number) {
            try {
                return new BigDecimal(wanted.trim()).compareTo(new BigDecimal(got.toString())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (got instanceof java.sql.Timestamp timestamp) {
            return instant(wanted).map(timestamp.toInstant()::equals).orElse(false)
                    || wanted.replace('T', ' ').equals(text);
        }
        if (got instanceof java.time.Instant instant) {
            return instant(wanted).map(instant::equals).orElse(false);
        }
        return false;
    }

    /** An instant written with its zone ({@code 2026-11-25T10:00:00Z}, {@code ...+01:00}): the same instant anywhere. */
    private static Optional<java.time.Instant> instant(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text.trim()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<?> list(Object got) {
        if (got instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        }
        if (got instanceof List<?> list) {
            return list;
        }
        if (got instanceof Object[] array) {
            return Arrays.asList(array);
        }
        return null;
    }

    /** Expected text as a person wrote it: NULL, {a: 1}, [1, 2]. */
    static String text(Object want) {
        if (want == null) {
            return "NULL";
        }
        if (want instanceof Map<?, ?> map) {
            java.util.StringJoiner fields = new java.util.StringJoiner(", ", "{", "}");
            map.forEach((k, v) -> fields.add(k + ": " + text(v)));
            return fields.toString();
        }
        if (want instanceof List<?> items) {
            java.util.StringJoiner list = new java.util.StringJoiner(", ", "[", "]");
            items.forEach(item -> list.add(text(item)));
            return list.toString();
        }
        return want.toString();
    }

    private static String table(
            List<String> columns,
            List<Map<String, Object>> want,
            boolean[] found,
            List<Row> got,
            boolean[] matched,
            boolean ordered) {
        StructType schema = new StructType().add(" ", DataTypes.StringType);
        for (String column : columns) {
            schema = schema.add(column, DataTypes.StringType);
        }
        List<Row> lines = new ArrayList<>();
        if (ordered) {
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                if (i < want.size() && i < got.size() && found[i]) {
                    lines.add(line(" ", columns, want.get(i)));
                    continue;
                }
                if (i < want.size()) {
                    lines.add(line("-", columns, want.get(i)));
                }
                if (i < got.size()) {
                    lines.add(line("+", columns, got.get(i)));
                }
            }
        } else {
            for (int i = 0; i < want.size(); i++) {
                lines.add(line(found[i] ? " " : "-", columns, want.get(i)));
            }
            for (int j = 0; j < got.size(); j++) {
                if (!matched[j]) {
                    lines.add(line("+", columns, got.get(j)));
                }
            }
        }
        return RowTable.of(schema, lines);
    }

    private static Row line(String mark, List<String> columns, Map<String, Object> want) {
        Object[] cells = new Object[columns.size() + 1];
        cells[0] = mark;
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            cells[i + 1] = want.containsKey(column) ? instantOr(text(want.get(column))) : "";
        }
        return RowFactory.create(cells);
    }

    private static Row line(String mark, List<String> columns, Row got) {
        Object[] cells = new Object[columns.size() + 1];
        cells[0] = mark;
        for (int i = 0; i < columns.size(); i++) {
            Object value = got.get(got.fieldIndex(columns.get(i)));
            cells[i + 1] = value instanceof java.sql.Timestamp timestamp
                    ? timestamp.toInstant().toString()
                    : RowTable.value(value);
        }
        return RowFactory.create(cells);
    }

    /**
     * A diff's timestamps in one form, the instant in UTC ({@code 2026-11-25T10:00:00Z}), whether the
     * test wrote it with another zone or Spark returned it in the session's.
     */
    private static String instantOr(String text) {
        return instant(text).map(java.time.Instant::toString).orElse(text);
    }

    private static int count(boolean[] flags, boolean value) {
        int count = 0;
        for (boolean flag : flags) {
            if (flag == value) {
                count++;
            }
        }
        return count;
    }
}
