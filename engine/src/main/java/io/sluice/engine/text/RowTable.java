package io.sluice.engine.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Rows as a text table, in the shape of Spark's {@code Dataset.show()} (which is Spark's
 * internal API), with values a person reads: {@code NULL}, bytes as text when they are UTF-8
 * (hex otherwise), structs as {@code {name: value}}, arrays as {@code [a, b]}; a cell longer than
 * {@link #WIDTH} characters is cut with an ellipsis.
 */
public final class RowTable {
    public static final int WIDTH = 40;

    private RowTable() {}

    public static String of(StructType schema, List<Row> rows) {
        String[] names = schema.fieldNames();
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            String[] line = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                line[i] = cut(value(row.get(i)));
            }
            cells.add(line);
        }
        int[] widths = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            widths[i] = names[i].length();
            for (String[] line : cells) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        String border = border(widths);
        table.append(border).append(line(names, widths)).append(border);
        cells.forEach(line -> table.append(line(line, widths)));
        return table.append(border).toString();
    }

    private static String border(int[] widths) {
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width)).append('+');
        }
        return line.append('\n').toString();
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i])
                    .append(" ".repeat(widths[i] - cells[i].length()))
                    .append('|');
        }
        return line.append('\n').toString();
    }

    private static String cut(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        return oneLine.length() <= WIDTH ? oneLine : oneLine.substring(0, WIDTH - 1) + "…";
    }

    public static String value(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            String text = timestamp.toString(); // "2026-11-25 10:02:00.0": no fraction when there is none
            return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        }
        if (value instanceof byte[] bytes) {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        if (value instanceof Row row) {
            StringJoiner fields = new StringJoiner(", ", "{", "}");
            String[] names = row.schema() == null ? null : row.schema().fieldNames();
            for (int i = 0; i < row.length(); i++) {
                fields.add((names == null ? "" : names[i] + ": ") + value(row.get(i)));
            }
            return fields.toString();
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            return value(scala.jdk.javaapi.CollectionConverters.asJava(map));
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner entries = new StringJoiner(", ", "{", "}");
            map.forEach((k, v) -> entries.add(value(k) + " -> " + value(v)));
            return entries.toString();
        }
        if (value instanceof scala.collection.Iterable<?> items) {
            return value(scala.jdk.javaapi.CollectionConverters.asJava(items));
        }
        if (value instanceof Iterable<?> items) {
            StringJoiner list = new StringJoiner(", ", "[", "]");
            items.forEach(item -> list.add(value(item)));
            return list.toString();
        }
        return value.toString();
    }
}
