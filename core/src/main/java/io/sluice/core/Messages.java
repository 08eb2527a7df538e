package io.sluice.core;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.Suggestions;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Message shapes that the framework and connectors share, written once so that every
 * connector says the same thing the same way: a failure explained by a connector
 * ({@link Connector#explainFailure}) ends the way the framework's own explanations end, and
 * every sink that names a column in an option reports a missing one alike.
 */
public final class Messages {
    /** The advice that ends a run-time failure an operator can fix outside the pipeline: nothing is lost by waiting. */
    public static final String RESUMES = "then start the pipeline again: it resumes from its checkpoint";

    private Messages() {}

    /** {@code column 'x', which the query does not have (columns: a, b)}: the end of a sentence about a column. */
    public static String notInQuery(String column, StructType schema) {
        requireNonNull(column, "column is null");
        return "column '" + column + "', which the query does not have (columns: "
                + String.join(", ", schema.fieldNames()) + ")";
    }

    /**
     * One problem for each of {@code columns} that the query does not have:
     * {@code option 'partitionBy' names column 'stauts', which the query does not have (columns: ...) — did you mean 'status'?}.
     */
    public static List<String> missingColumns(String option, Collection<String> columns, StructType schema) {
        requireNonNull(option, "option is null");
        List<String> names = List.of(schema.fieldNames());
        return columns.stream()
                .filter(column -> !names.contains(column))
                .map(column -> "option '" + option + "' names " + notInQuery(column, schema)
                        + Suggestions.didYouMean(column, names))
                .toList();
    }

    /**
     * {@code column 'op' is string: 'deleteColumn' needs a boolean column (e.g. op = 'delete' AS deleted)} when
     * {@code column} is in {@code schema} and not boolean; empty otherwise (a missing column is
     * {@link #missingColumns}' to report).
     */
    public static java.util.Optional<String> notBoolean(String option, String column, StructType schema) {
        requireNonNull(option, "option is null");
        requireNonNull(column, "column is null");
        if (!List.of(schema.fieldNames()).contains(column)
                || schema.apply(column).dataType() instanceof org.apache.spark.sql.types.BooleanType) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                "column '" + column + "' is " + schema.apply(column).dataType().simpleString() + ": '" + option
                        + "' needs a boolean column (e.g. op = 'delete' AS deleted)");
    }
}
