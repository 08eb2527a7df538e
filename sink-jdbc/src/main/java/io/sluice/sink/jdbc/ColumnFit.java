package io.sluice.sink.jdbc;

import io.sluice.core.option.Suggestions;
import io.sluice.sink.jdbc.TableShape.DbColumn;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Whether the rows a query writes fit a table, column by column, and how each value is handed to
 * the driver when they do. The one place that knows which Spark type may go into which SQL type:
 * a write that could fail or lose part of a value (a bigint into an integer, a string into a
 * number, a timestamp into a date) is refused before start with the cast that fixes it; a value
 * too long for a {@code varchar(n)} can only be seen at run time, where it is reported in words.
 */
final class ColumnFit {
    /** Text types a string goes into as it is; any other type a string is written to is cast in SQL (json, uuid, an enum). */
    private static final Set<String> TEXT_TYPES = Set.of(
            "varchar",
            "text",
            "bpchar",
            "char",
            "character",
            "character varying",
            "nvarchar",
            "nchar",
            "longvarchar",
            "longnvarchar",
            "clob",
            "nclob",
            "string",
            "name",
            "citext",
            "varchar2",
            "nvarchar2",
            "tinytext",
            "mediumtext",
            "longtext",
            "ntext");

    private ColumnFit() {}

    /** What a check found: a problem per column that does not fit, or how to bind each written column. */
    record Result(List<String> problems, List<ColumnBinding> bindings) {}

    /**
     * @param rows the columns the sink writes (the query's, without the delete column)
     * @param fields the index of each of {@code rows}' columns in the query's rows
     */
    static Result check(StructType rows, int[] fields, TableShape table) {
        List<String> problems = new ArrayList<>();
        List<ColumnBinding> bindings = new ArrayList<>();
        List<String> written = new ArrayList<>();
        StructField[] columns = rows.fields();
        for (int i = 0; i < columns.length; i++) {
            StructField field = columns[i];
            Optional<DbColumn> column = table.column(field.name());
            if (column.isEmpty()) {
                problems.add("column '" + field.name() + "' of the rows is not in table '" + table.shown()
                        + "' (columns: " + String.join(", ", table.columnNames()) + ")"
                        + Suggestions.didYouMean(field.name(), table.columnNames())
                        + ": rename it in the query, or add it to the table");
                continue;
            }
            written.add(column.get().name());
            Optional<ColumnBinding.Kind> kind = kind(field.dataType(), column.get());
            if (kind.isEmpty()) {
                problems.add(mismatch(field, column.get(), table));
            } else {
                bindings.add(new ColumnBinding(
                        field.name(),
                        column.get().name(),
                        fields[i],
                        kind.get(),
                        column.get().jdbcType(),
                        castType(column.get())));
            }
        }
        for (DbColumn column : table.columns()) {
            if (column.required() && !written.contains(column.name())) {
                problems.add("column '" + column.name() + "' of table '" + table.shown()
                        + "' is NOT NULL without a default, and the rows do not have it: add it to the query (SELECT"
                        + " ..., <value> AS " + column.name() + ")");
            }
        }
        return new Result(List.copyOf(problems), List.copyOf(bindings));
    }

    /** How a value of {@code type} is bound for {@code column}; empty when it does not fit. */
    static Optional<ColumnBinding.Kind> kind(DataType type, DbColumn column) {
        int target = column.jdbcType();
        String typeName = column.typeName().toLowerCase(Locale.ROOT);
        if (type instanceof BooleanType) {
            return when(target == Types.BOOLEAN || target == Types.BIT, ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof ByteType
                || type instanceof ShortType
                || type instanceof IntegerType
                || type instanceof LongType) {
            int width = integerDigits(type);
            return when(
                    integerWidth(target) >= width
                            || (isDecimal(target) && (unbounded(column) || column.size() - column.scale() >= width))
                            || target == Types.DOUBLE
                            || target == Types.FLOAT
                            || (target == Types.REAL && width <= 5),
                    ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof FloatType) {
            return when(isFloating(target) || isDecimal(target), ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof DoubleType) {
            return when(
                    target == Types.DOUBLE || target == Types.FLOAT || isDecimal(target), ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof DecimalType decimal) {
            boolean fits = isDecimal(target)
                    && (unbounded(column) || column.size() - column.scale() >= decimal.precision() - decimal.scale());
            return when(fits || target == Types.DOUBLE || target == Types.FLOAT, ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof StringType) {
            if (TEXT_TYPES.contains(typeName)) {
                return Optional.of(ColumnBinding.Kind.OBJECT);
            }
            // json, uuid, xml, an enum (which PostgreSQL's driver reports as varchar): cast from text in SQL
            return when(
                    target == Types.OTHER || target == Types.SQLXML || isText(target), ColumnBinding.Kind.TEXT_CAST);
        }
        if (type instanceof BinaryType) {
            return when(
                    target == Types.BINARY
                            || target == Types.VARBINARY
                            || target == Types.LONGVARBINARY
                            || target == Types.BLOB,
                    ColumnBinding.Kind.OBJECT);
        }
        if (type instanceof DateType) {
            if (target == Types.DATE) {
                return Optional.of(ColumnBinding.Kind.DATE);
            }
            return when(target == Types.TIMESTAMP, ColumnBinding.Kind.TIMESTAMP_LOCAL);
        }
        if (type instanceof TimestampType) {
            if (target == Types.TIMESTAMP_WITH_TIMEZONE || typeName.equals("timestamptz")) {
                return Optional.of(ColumnBinding.Kind.TIMESTAMP_WITH_ZONE);
            }
            return when(target == Types.TIMESTAMP, ColumnBinding.Kind.TIMESTAMP_LOCAL);
        }
        if (type instanceof TimestampNTZType) {
            return when(
                    target == Types.TIMESTAMP && !typeName.equals("timestamptz"), ColumnBinding.Kind.TIMESTAMP_LOCAL);
        }
        return Optional.empty();
    }

    /** The message for a column that does not fit, with the cast that would make it fit. */
    private static String mismatch(StructField field, DbColumn column, TableShape table) {
        String head = "column '" + field.name() + "' is " + field.dataType().simpleString() + " in the rows but "
                + column.typeText() + " in table '" + table.shown() + "'";
        DataType type = field.dataType();
        if (type instanceof ArrayType || type instanceof MapType || type instanceof StructType) {
            return head + ": a column holds one value — write it as JSON text, to_json(" + field.name() + ") AS "
                    + field.name() + ", into a json or text column";
        }
        if (type instanceof TimestampType && column.jdbcType() == Types.DATE) {
            return head + ": a date would drop the time of day — cast it in the query if that is meant (CAST("
                    + field.name() + " AS DATE))";
        }
        return sparkType(column)
                .map(sql -> head + ": cast it in the query (CAST(" + field.name() + " AS " + sql + ")), or change the"
                        + " column's type")
                .orElse(head + ": change the column's type, or the query's");
    }

    /** The Spark SQL type whose values fit {@code column}, for a cast in a message. */
    private static Optional<String> sparkType(DbColumn column) {
        return Optional.ofNullable(
                switch (column.jdbcType()) {
                    case Types.TINYINT, Types.SMALLINT -> "SMALLINT";
                    case Types.INTEGER -> "INT";
                    case Types.BIGINT -> "BIGINT";
                    case Types.NUMERIC, Types.DECIMAL ->
                        unbounded(column) ? "DECIMAL(38,18)" : "DECIMAL(" + column.size() + "," + column.scale() + ")";
                    case Types.REAL -> "FLOAT";
                    case Types.FLOAT, Types.DOUBLE -> "DOUBLE";
                    case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
                    case Types.CHAR,
                            Types.VARCHAR,
                            Types.LONGVARCHAR,
                            Types.NCHAR,
                            Types.NVARCHAR,
                            Types.CLOB,
                            Types.OTHER -> "STRING";
                    case Types.DATE -> "DATE";
                    case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMP";
                    case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "BINARY";
                    default -> null;
                });
    }

    /** The type to cast a string parameter to in SQL, for the columns a string is not written to as it is. */
    private static String castType(DbColumn column) {
        String name = column.typeName();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "serial" -> "int4";
            case "bigserial" -> "int8";
            case "smallserial" -> "int2";
            default -> name.contains("\"") || name.matches("[A-Za-z_][A-Za-z0-9_ .]*") ? name : "\"" + name + "\"";
        };
    }

    private static Optional<ColumnBinding.Kind> when(boolean fits, ColumnBinding.Kind kind) {
        return fits ? Optional.of(kind) : Optional.empty();
    }

    private static int integerDigits(DataType type) {
        if (type instanceof ByteType) {
            return 3;
        }
        if (type instanceof ShortType) {
            return 5;
        }
        return type instanceof IntegerType ? 10 : 19;
    }

    /** The digits an integer column holds, comparable with {@link #integerDigits}; 0 for other columns. */
    private static int integerWidth(int jdbcType) {
        return switch (jdbcType) {
            case Types.TINYINT -> 3;
            case Types.SMALLINT -> 5;
            case Types.INTEGER -> 10;
            case Types.BIGINT -> 19;
            default -> 0;
        };
    }

    private static boolean isDecimal(int jdbcType) {
        return jdbcType == Types.NUMERIC || jdbcType == Types.DECIMAL;
    }

    /** PostgreSQL reports a {@code numeric} without precision with a size of 0 or 131089. */
    private static boolean unbounded(DbColumn column) {
        return column.size() <= 0 || column.size() > 1000;
    }

    private static boolean isFloating(int jdbcType) {
        return jdbcType == Types.REAL || jdbcType == Types.FLOAT || jdbcType == Types.DOUBLE;
    }

    private static boolean isText(int jdbcType) {
        return switch (jdbcType) {
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB -> true;
            default -> false;
        };
    }
}
