package io.sluice.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a pipeline's output columns changed between two starts, in words for the line that
 * reports a restart: {@code columns added: email (string)}.
 */
public final class OutputChange {
    private OutputChange() {}

    public static String between(StructType before, StructType after) {
        Map<String, StructField> then = byName(before);
        Map<String, StructField> now = byName(after);
        List<String> changes = new ArrayList<>();
        List<String> added = now.values().stream()
                .filter(field -> !then.containsKey(field.name()))
                .map(OutputChange::describe)
                .toList();
        List<String> removed = then.values().stream()
                .filter(field -> !now.containsKey(field.name()))
                .map(StructField::name)
                .toList();
        List<String> retyped = now.values().stream()
                .filter(field -> then.containsKey(field.name())
                        && !Objects.equals(then.get(field.name()).dataType(), field.dataType()))
                .map(field ->
                        field.name() + " (" + then.get(field.name()).dataType().simpleString() + " → "
                                + field.dataType().simpleString() + ")")
                .toList();
        if (!added.isEmpty()) {
            changes.add("columns added: " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            changes.add("columns removed: " + String.join(", ", removed));
        }
        if (!retyped.isEmpty()) {
            changes.add("columns changed: " + String.join(", ", retyped));
        }
        return changes.isEmpty() ? "the output columns are unchanged" : String.join("; ", changes);
    }

    private static String describe(StructField field) {
        return field.name() + " (" + field.dataType().simpleString() + ")";
    }

    private static Map<String, StructField> byName(StructType type) {
        return java.util.Arrays.stream(type.fields())
                .collect(Collectors.toMap(
                        StructField::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
