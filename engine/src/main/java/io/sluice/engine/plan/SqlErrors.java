package io.sluice.engine.plan;

import io.sluice.core.option.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's SQL errors said in Sluice's words, for the step that has them: what is wrong and
 * what to write instead, in one line — {@code column 'amout' does not exist — did you mean
 * 'amount'? (columns: id, amount)} — with Spark's error class and full text in the log. Read
 * from the error's condition and parameters (Spark's error framework, stable across
 * releases), never from its text.
 */
public final class SqlErrors {
    private static final Logger LOG = LoggerFactory.getLogger(SqlErrors.class);
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*(?:--[^\\n]*\\n\\s*)*([A-Za-z(]+)");
    private static final List<String> QUERY_STARTS = List.of("select", "with", "from", "values", "table", "(");
    /** The words a query starts with, as a user writes them: what a misspelt first word probably meant. */
    private static final List<String> QUERY_WORDS = List.of("SELECT", "WITH", "FROM", "VALUES", "TABLE");
    /** Spark SQL's statements that change a table or the catalog rather than read rows. */
    private static final java.util.Set<String> CHANGES = java.util.Set.of(
            "alter",
            "analyze",
            "cache",
            "create",
            "delete",
            "drop",
            "insert",
            "load",
            "merge",
            "msck",
            "refresh",
            "repair",
            "replace",
            "truncate",
            "uncache",
            "update",
            "grant",
            "revoke",
            "comment",
            "add");
    /** Spark SQL's statements that read no rows of a stream: settings, listings, descriptions. */
    private static final java.util.Set<String> STATEMENTS = java.util.Set.of(
            "set",
            "reset",
            "use",
            "show",
            "describe",
            "desc",
            "explain",
            "list",
            "clear",
            "declare",
            "execute",
            "call");

    private SqlErrors() {}

    /** Why a step's text is not one query, before Spark sees it (DDL would run at once); empty when it is one. */
    public static Optional<String> notAQuery(String sql, String view) {
        if (sql.replaceAll("--[^\n]*", "").replaceAll("(?s)/\\*.*?\\*/", "").isBlank()) {
            return Optional.of("the step's SQL is empty: write one query, SELECT ... FROM " + view);
        }
        Matcher first = FIRST_WORD.matcher(sql);
        String word = first.find() ? first.group(1) : "";
        String lowered = word.toLowerCase(Locale.ROOT);
        if (CHANGES.contains(lowered)) {
            return Optional.of("a step is one query (SELECT ... FROM " + view + "), and this one starts with '" + word
                    + "': a pipeline changes no table — write a SELECT");
        }
        if (STATEMENTS.contains(lowered)) {
            return Optional.of("a step is one query (SELECT ... FROM " + view + "), and this one starts with '" + word
                    + "', a statement that reads no rows — write a SELECT");
        }
        if (QUERY_STARTS.stream().noneMatch(lowered::startsWith)) {
            String meant = Suggestions.closest(word.toUpperCase(Locale.ROOT), QUERY_WORDS)
                    .map(keyword -> " — did you mean '" + keyword + "'?")
                    .orElse(" (a query starts with SELECT, WITH, FROM, VALUES or TABLE)");
            String before = sql.substring(0, first.start(1));
            long line = before.chars().filter(c -> c == '\n').count() + 1;
            int position = before.length() - before.lastIndexOf('\n');
            return Optional.of(
                    "syntax error at or near '" + word + "' (line " + line + ", position " + position + ")" + meant);
        }
        String body = sql.strip();
        int semicolon = outsideQuotes(body);
        if (semicolon >= 0 && !body.substring(semicolon + 1).isBlank()) {
            return Optional.of("a step is one query, and this one has more (a ';' at position " + (semicolon + 1)
                    + "): give each statement a step of its own, in order");
        }
        return Optional.empty();
    }

    /** The error of a step, in words; Spark's own first line when it is not one Sluice knows. */
    public static String describe(SparkSession spark, AnalysisException e, StructType input, String view) {
        return describe(spark, e, input, view, List.of());
    }

    /**
     * The error of a step, in words; with reference {@code tables} (the step can read them by
     * name) a column's alternatives are Spark's own, from every table the query reads.
     */
    public static String describe(
            SparkSession spark, AnalysisException e, StructType input, String view, List<String> tables) {
        boolean joins = !tables.isEmpty();
        LOG.info("a transform failed to analyse ({}): {}", e.getCondition(), e.getMessage());
        String condition = e.getCondition() == null ? "" : e.getCondition();
        Map<String, String> parameters = e.getMessageParameters();
        if (condition.startsWith("UNRESOLVED_COLUMN")) {
            boolean proposed = joins && parameters.containsKey("proposal");
            String column = proposed
                    ? parameters.getOrDefault("objectName", "?").replace("`", "")
                    : unquote(parameters.getOrDefault("objectName", "?"));
            List<String> columns = proposed
                    ? java.util.Arrays.stream(parameters.get("proposal").split(",\\s*"))
                            .map(name -> name.replace("`", ""))
                            .toList()
                    : List.of(input.fieldNames());
            return "column '" + column + "' does not exist" + Suggestions.didYouMean(column, columns)
                    + (proposed ? " (the closest of the tables' columns: " : " (columns: ") + String.join(", ", columns)
                    + ")";
        }
        if (condition.startsWith("UNRESOLVED_ROUTINE")) {
            String function = unquote(parameters.getOrDefault("routineName", "?"));
            List<String> functions = spark.catalog().listFunctions().collectAsList().stream()
                    .map(f -> f.name())
                    .toList();
            return "function '" + function + "' does not exist" + Suggestions.didYouMean(function, functions)
                    + " (the functions: SHOW FUNCTIONS, or Spark's SQL reference)";
        }
        if (condition.startsWith("TABLE_OR_VIEW_NOT_FOUND")) {
            String table = unquote(parameters.getOrDefault("relationName", "?"));
            if (joins) {
                List<String> readable = new java.util.ArrayList<>(List.of(view));
                readable.addAll(tables);
                return "there is no table '" + table + "'" + Suggestions.didYouMean(table, readable)
                        + " (the step reads: " + String.join(", ", readable) + ")";
            }
            return "there is no table '" + table + "': a step reads the one before it (or the source) as the view '"
                    + view + "' — write FROM " + view;
        }
        if (condition.startsWith("AMBIGUOUS_REFERENCE_TO_FIELDS")) {
            String field = unquote(parameters.getOrDefault("field", "?"));
            return "the field '" + field + "' is in the struct " + parameters.getOrDefault("count", "several")
                    + " times (names that differ only in case are one name to Spark's SQL): rename all but one in the"
                    + " schema that makes the struct, or set spark.sql.caseSensitive to true";
        }
        if (condition.startsWith("AMBIGUOUS_REFERENCE")) {
            String name = unquote(parameters.getOrDefault("name", "?"));
            return "the column '" + name + "' is ambiguous (" + parameters.getOrDefault("referenceNames", "")
                    + "): name which one, with its table or alias";
        }
        if (condition.startsWith("PARSE_SYNTAX_ERROR")) {
            String near = sqlText(parameters.getOrDefault("error", "?"));
            String where = e.line().isDefined()
                    ? " (line " + e.line().get() + ", position "
                            + (e.startPosition().isDefined()
                                    ? (Integer) e.startPosition().get() + 1
                                    : "?") + ")"
                    : "";
            return "syntax error at or near " + near + where + ": correct the SQL there";
        }
        return OutputModeCheck.firstLine(e.getSimpleMessage())
                .replaceFirst("^\\[[A-Z_.]+\\] ", "")
                .replaceFirst("\\s*SQLSTATE: \\w+.*$", "");
    }

    /** Spark quotes a token as SQL does ({@code 'M15a''s'}): the token as the user wrote it, in our quotes. */
    private static String sqlText(String token) {
        if (token.length() >= 2 && token.startsWith("'") && token.endsWith("'")) {
            return "'" + token.substring(1, token.length() - 1).replace("''", "'") + "'";
        }
        return token;
    }

    private static String unquote(String name) {
        String last = name.contains(".") && name.startsWith("`") ? name.substring(name.lastIndexOf('.') + 1) : name;
        return last.replace("`", "");
    }

    /** The first ';' that is not inside quotes, or -1. */
    private static int outsideQuotes(String sql) {
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == ';') {
                return i;
            }
        }
        return -1;
    }
}
