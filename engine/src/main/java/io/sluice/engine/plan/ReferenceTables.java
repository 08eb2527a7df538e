package io.sluice.engine.plan;

import io.sluice.core.option.Suggestions;
import io.sluice.engine.catalog.SecretMask;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A pipeline's reference tables checked and read: each by Spark's batch reader, before start,
 * so that a table that is not there, a format Spark does not know, a refused freshness, a
 * name that clashes — and then, through the SQL's analysis, a misspelt table or column — are
 * problems in words, not a failed first batch. Reading here reads only the schema (and for a
 * database, asks it once); the rows are read when the query runs, or cached at start
 * ({@code ReferenceCache}).
 */
public final class ReferenceTables {
    /** Spark's file formats: their rows are the files listed when the dataset is made. */
    private static final Set<String> FILE_FORMATS =
            Set.of("parquet", "csv", "json", "orc", "text", "avro", "xml", "binaryfile");

    /** What the "did you mean" of an unknown format offers. */
    private static final List<String> KNOWN =
            List.of("delta", "parquet", "csv", "json", "orc", "text", "avro", "xml", "binaryFile", "jdbc");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Options whose values never appear in a message: Spark's own redaction words. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|token|access[.]?key).*");

    private ReferenceTables() {}

    /** Whether {@code format} reads files (so its rows are those listed when read). */
    public static boolean isFiles(String format) {
        return FILE_FORMATS.contains(format.toLowerCase(Locale.ROOT));
    }

    /** The tables as datasets by name, for the SQL's analysis, and what is wrong with them. */
    public record Checked(Map<String, Dataset<Row>> views, List<Problem> problems) {
        public Checked {
            views = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(views));
            problems = List.copyOf(problems);
        }
    }

    /**
     * The pipeline's reference tables, those named in {@code standIns} replaced by the rows of
     * a file of JSON lines (one object a line), read once: what {@code sluice test} and {@code
     * sluice preview} join instead of the real table.
     */
    public static List<ReferenceTable> withStandIns(PipelineDefinition definition, Map<String, String> standIns) {
        List<ReferenceTable> tables = new java.util.ArrayList<>();
        for (ReferenceTable table : definition.tables()) {
            String rows = standIns.get(table.name());
            tables.add(
                    rows == null
                            ? table
                            : new ReferenceTable(
                                    table.name(), "json", Map.of("path", rows), ReferenceTable.Refresh.once()));
        }
        return tables;
    }

    /** A table a test or a preview stands in for that the pipeline does not have, in words. */
    public static Optional<String> notDeclared(PipelineDefinition definition, String name) {
        return notDeclared(
                definition.tables().stream().map(ReferenceTable::name).toList(), name);
    }

    /** A table a test or a preview stands in for that none of {@code declared} is, in words. */
    public static Optional<String> notDeclared(List<String> declared, String name) {
        return declared.contains(name)
                ? Optional.empty()
                : Optional.of("the pipeline has no table '" + name + "'"
                        + io.sluice.core.option.Suggestions.didYouMean(name, declared) + " (tables: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
    }

    public static Checked check(SparkSession spark, PipelineDefinition definition) {
        Map<String, Dataset<Row>> views = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        List<ReferenceTable> tables = definition.tables();
        Set<String> stepViews = new java.util.HashSet<>(Set.of("input"));
        definition.transforms().stream()
                .filter(SqlTransform.class::isInstance)
                .map(step -> ((SqlTransform) step).view().toLowerCase(Locale.ROOT))
                .forEach(stepViews::add);
        for (int i = 0; i < tables.size(); i++) {
            ReferenceTable table = tables.get(i);
            String item = String.valueOf(i + 1);
            String subject = definition.subject();
            java.util.function.Consumer<String> problem = message -> problems.add(
                    new Problem(subject, "table '" + table.name() + "': " + message, Part.TABLES).item(item));
            if (!NAME.matcher(table.name()).matches()) {
                problem.accept("a table's name is how the SQL reads it: letters, digits and '_', not starting with a"
                        + " digit");
                continue;
            }
            if (stepViews.contains(table.name().toLowerCase(Locale.ROOT))) {
                problem.accept("'" + table.name() + "' is the name a step reads the one before it by: give the table"
                        + " another name");
                continue;
            }
            if (!names.add(table.name().toLowerCase(Locale.ROOT))) {
                problem.accept("two tables have this name (names are compared as SQL does, ignoring case): rename one");
                continue;
            }
            if (table.refresh().kind() == ReferenceTable.Refresh.Kind.EVERY_BATCH && isFiles(table.format())) {
                problem.accept("refresh 'every batch' would not see new files: the files of a '" + table.format()
                        + "' table are listed when the query starts. Give a duration (refresh: 10 minutes: listed"
                        + " and read again at most that often), or 'once'");
                continue;
            }
            try {
                views.put(table.name(), read(spark, table));
            } catch (Exception e) { // Spark throws AnalysisException, a checked exception, undeclared
                problem.accept(cannotRead(table, e));
            }
        }
        return new Checked(views, problems);
    }

    /** The table as Spark's batch reader makes it; a file table's files are listed here. */
    static Dataset<Row> read(SparkSession spark, ReferenceTable table) {
        return spark.read().format(table.format()).options(table.options()).load();
    }

    private static String cannotRead(ReferenceTable table, Exception e) {
        String condition = e instanceof org.apache.spark.SparkThrowable spark && spark.getCondition() != null
                ? spark.getCondition()
                : "";
        if (condition.startsWith("DATA_SOURCE_NOT_FOUND")) {
            return "format '" + table.format() + "' is not one Spark knows"
                    + Suggestions.didYouMean(table.format(), KNOWN) + " (" + String.join(", ", KNOWN)
                    + ", or a data source on the classpath)";
        }
        if (condition.startsWith("PATH_NOT_FOUND")) {
            return "the path " + table.options().getOrDefault("path", "") + " does not exist: give the directory or"
                    + " file the table is in";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException database && database.getMessage() != null) {
                return "the database refused: " + mask(table).mask(OutputModeCheck.firstLine(database.getMessage()));
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = OutputModeCheck.firstLine(message)
                .replaceFirst("^\\[[A-Z_.]+\\] ", "")
                .replaceFirst("\\s*SQLSTATE: \\w+.*$", "");
        return "cannot be read as '" + table.format() + "': " + mask(table).mask(message);
    }

    /** Masks the values of the table's secret options (a database's password) in text about it. */
    public static SecretMask mask(ReferenceTable table) {
        return SecretMask.of(table.options().entrySet().stream()
                .filter(option -> SECRET_KEY.matcher(option.getKey()).matches())
                .map(Map.Entry::getValue)
                .toList());
    }
}
