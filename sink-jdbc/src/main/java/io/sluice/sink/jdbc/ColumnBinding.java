package io.sluice.sink.jdbc;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.spark.sql.Row;

/**
 * How one column of the rows is handed to the driver: which field of the row, which table
 * column, and how its value is converted. Decided on the driver by {@link ColumnFit}, shipped
 * to the tasks.
 *
 * @param field the column's name in the rows
 * @param column the table column's name, as the database spells it
 * @param index the field's position in the rows
 * @param jdbcType the table column's {@link Types} code, for a null
 * @param castType the SQL type a {@link Kind#TEXT_CAST} parameter is cast to
 */
record ColumnBinding(String field, String column, int index, Kind kind, int jdbcType, String castType)
        implements Serializable {

    /** How a value is converted. */
    enum Kind {
        /** As it is: booleans, numbers, text, bytes. */
        OBJECT,
        /** Text the database casts to the column's type (json, uuid, an enum): {@code CAST(? AS type)}. */
        TEXT_CAST,
        /** A date. */
        DATE,
        /** A Spark timestamp (an instant) into a column with a time zone: the same instant. */
        TIMESTAMP_WITH_ZONE,
        /**
         * Into a column without a time zone: the local date-time of a Spark timestamp in the
         * session's time zone (what Spark shows for it), a local timestamp as it is, a date at midnight.
         */
        TIMESTAMP_LOCAL
    }

    /** {@code ?} or {@code CAST(? AS jsonb)}: the parameter's place in SQL. */
    String placeholder() {
        return kind == Kind.TEXT_CAST ? "CAST(? AS " + castType + ")" : "?";
    }

    void bind(PreparedStatement statement, int parameter, Row row, ZoneId zone) throws SQLException {
        Object value = row.get(index);
        if (value == null) {
            statement.setNull(parameter, kind == Kind.TEXT_CAST ? Types.VARCHAR : jdbcType);
            return;
        }
        switch (kind) {
            case OBJECT -> {
                if (value instanceof byte[] bytes) {
                    statement.setBytes(parameter, bytes);
                } else {
                    statement.setObject(parameter, value);
                }
            }
            case TEXT_CAST -> statement.setString(parameter, value.toString());
            case DATE -> statement.setObject(parameter, localDate(value));
            case TIMESTAMP_WITH_ZONE ->
                statement.setObject(parameter, OffsetDateTime.ofInstant(instant(value), ZoneOffset.UTC));
            case TIMESTAMP_LOCAL -> statement.setObject(parameter, localDateTime(value, zone));
        }
    }

    private static LocalDate localDate(Object value) {
        return value instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) value;
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
    }

    private static LocalDateTime localDateTime(Object value, ZoneId zone) {
        if (value instanceof LocalDateTime local) {
            return local;
        }
        if (value instanceof java.sql.Date || value instanceof LocalDate) {
            return localDate(value).atStartOfDay();
        }
        return LocalDateTime.ofInstant(instant(value), zone);
    }
}
