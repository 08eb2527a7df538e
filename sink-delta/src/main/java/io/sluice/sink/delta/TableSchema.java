package io.sluice.sink.delta;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Whether the rows a query writes fit an existing Delta table: every column the table has
 * with the same type, and a new column only with {@code mergeSchema}. Checked before start
 * and reported with both schemas, instead of Delta's failure at the first batch.
 */
final class TableSchema {
    private TableSchema() {}

    static List<String> compare(SparkSession spark, String location, StructType written, boolean mergeSchema) {
        if (!DeltaTable.isDeltaTable(spark, location)) {
            return List.of();
        }
        StructType table = spark.read().format("delta").load(location).schema();
        List<String> differences = new ArrayList<>();
        for (StructField field : written.fields()) {
            StructField existing = Arrays.stream(table.fields())
                    .filter(f -> f.name().equalsIgnoreCase(field.name()))
                    .findFirst()
                    .orElse(null);
            if (existing == null) {
                if (!mergeSchema) {
                    differences.add(
                            "column '" + field.name() + "' is not in the table (set mergeSchema true to add it)");
                }
            } else if (!existing.dataType().sameType(field.dataType())) {
                differences.add(
                        "column '" + field.name() + "' is " + field.dataType().simpleString() + " in the query but "
                                + existing.dataType().simpleString() + " in the table (cast it to "
                                + existing.dataType().sql() + ")");
            }
        }
        if (differences.isEmpty()) {
            return List.of();
        }
        return List.of("the query's rows do not fit the Delta table at " + location + ": "
                + String.join(", ", differences) + "; table: " + describe(table) + "; query: " + describe(written));
    }

    private static String describe(StructType schema) {
        return Arrays.stream(schema.fields())
                .map(f -> f.name() + " " + f.dataType().simpleString())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
