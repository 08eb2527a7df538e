package io.sluice.sink.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table as the database describes it through JDBC's metadata: its real (case-folded) name,
 * its columns with their types and whether they may be left out, its primary key and unique
 * indexes. Read once before start (to check the rows against it) and once when the query
 * starts (to write the statements), so that the sink speaks the database's names.
 *
 * @param schema the table's schema as the database spells it; empty when the database has none
 * @param name the table's name as the database spells it
 * @param quote the database's identifier quote
 */
record TableShape(
        Optional<String> schema,
        String name,
        List<DbColumn> columns,
        List<String> primaryKey,
        List<List<String>> uniqueKeys,
        String quote) {

    private static final String[] TABLE_TYPES = {"TABLE", "PARTITIONED TABLE", "VIEW", "BASE TABLE"};

    /** A column of the table. */
    record DbColumn(String name, int jdbcType, String typeName, int size, int scale, boolean required) {
        /** {@code numeric(10,2)}, {@code varchar(20)}, {@code int8}: the type as a person reads it. */
        String typeText() {
            String lower = typeName.toLowerCase(Locale.ROOT);
            boolean sized = lower.contains("char") || lower.equals("numeric") || lower.equals("decimal");
            if (!sized || size <= 0 || size >= Integer.MAX_VALUE) {
                return typeName;
            }
            return lower.contains("char") ? typeName + "(" + size + ")" : typeName + "(" + size + "," + scale + ")";
        }
    }

    /** The table {@code dbtable} names ({@code table} or {@code schema.table}), looked up as the database folds names. */
    static Optional<TableShape> read(Connection db, String dbtable) throws SQLException {
        DatabaseMetaData meta = db.getMetaData();
        String[] parts = dbtable.split("\\.", 2);
        String schema = parts.length == 2 ? parts[0] : null;
        String table = parts.length == 2 ? parts[1] : parts[0];
        for (String[] candidate : List.of(
                new String[] {schema, table},
                new String[] {fold(schema, Locale.ROOT, false), fold(table, Locale.ROOT, false)},
                new String[] {fold(schema, Locale.ROOT, true), fold(table, Locale.ROOT, true)})) {
            Optional<String[]> found = find(db, meta, candidate[0], candidate[1]);
            if (found.isPresent()) {
                return Optional.of(describe(meta, found.get()[0], found.get()[1]));
            }
        }
        return Optional.empty();
    }

    /** Every table the user can see in {@code dbtable}'s schema (or the connection's), for "did you mean". */
    static List<String> tablesNear(Connection db, String dbtable) throws SQLException {
        DatabaseMetaData meta = db.getMetaData();
        String[] parts = dbtable.split("\\.", 2);
        String schema = parts.length == 2 ? parts[0] : db.getSchema();
        List<String> names = new ArrayList<>();
        for (String pattern : schema == null
                ? java.util.Collections.<String>singletonList(null)
                : List.of(schema, schema.toLowerCase(Locale.ROOT), schema.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = meta.getTables(null, pattern, "%", TABLE_TYPES)) {
                while (tables.next()) {
                    String name = tables.getString("TABLE_NAME");
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names.stream().sorted().toList();
    }

    /** {@code "public"."orders"}: the name to write in SQL. */
    String qualified() {
        return schema.map(s -> quoted(s) + ".").orElse("") + quoted(name);
    }

    /** {@code orders} or {@code sales.orders}, unquoted: the name in messages. */
    String shown() {
        return name;
    }

    String quoted(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    /** The column whose name is {@code name}, exactly or (when only one matches) ignoring case. */
    /** The table's name in the ledger ({@code public.orders}): schema and name as the database spells them. */
    String target() {
        return schema.map(s -> s + ".").orElse("") + name;
    }

    Optional<DbColumn> column(String name) {
        for (DbColumn column : columns) {
            if (column.name().equals(name)) {
                return Optional.of(column);
            }
        }
        List<DbColumn> folded =
                columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).toList();
        return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
    }

    List<String> columnNames() {
        return columns.stream().map(DbColumn::name).toList();
    }

    private static String fold(String name, Locale locale, boolean upper) {
        return name == null ? null : upper ? name.toUpperCase(locale) : name.toLowerCase(locale);
    }

    private static Optional<String[]> find(Connection db, DatabaseMetaData meta, String schema, String table)
            throws SQLException {
        String schemaPattern = schema;
        if (schemaPattern == null) {
            // the connection's schema first (PostgreSQL's search path), then any schema
            String current = db.getSchema();
            if (current != null) {
                Optional<String[]> inCurrent = lookUp(meta, current, table);
                if (inCurrent.isPresent()) {
                    return inCurrent;
                }
            }
        }
        return lookUp(meta, schemaPattern, table);
    }

    private static Optional<String[]> lookUp(DatabaseMetaData meta, String schema, String table) throws SQLException {
        try (ResultSet tables = meta.getTables(null, escape(meta, schema), escape(meta, table), TABLE_TYPES)) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equals(table)) {
                    return Optional.of(new String[] {tables.getString("TABLE_SCHEM"), tables.getString("TABLE_NAME")});
                }
            }
        }
        return Optional.empty();
    }

    /** Metadata calls take patterns: an underscore in a name must not match any character. */
    private static String escape(DatabaseMetaData meta, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = meta.getSearchStringEscape();
        return escape == null || escape.isEmpty()
                ? name
                : name.replace(escape, escape + escape)
                        .replace("_", escape + "_")
                        .replace("%", escape + "%");
    }

    private static TableShape describe(DatabaseMetaData meta, String schema, String table) throws SQLException {
        List<DbColumn> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, escape(meta, schema), escape(meta, table), "%")) {
            while (rs.next()) {
                boolean notNull = rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
                String defaultValue = rs.getString("COLUMN_DEF");
                boolean generated = "YES".equalsIgnoreCase(safe(rs, "IS_AUTOINCREMENT"))
                        || "YES".equalsIgnoreCase(safe(rs, "IS_GENERATEDCOLUMN"));
                columns.add(new DbColumn(
                        rs.getString("COLUMN_NAME"),
                        rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"),
                        rs.getInt("COLUMN_SIZE"),
                        rs.getInt("DECIMAL_DIGITS"),
                        notNull && defaultValue == null && !generated));
            }
        }
        Map<Short, String> primary = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                primary.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        Map<String, List<String>> unique = new LinkedHashMap<>();
        try (ResultSet rs = meta.getIndexInfo(null, schema, table, true, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index != null && column != null && safe(rs, "FILTER_CONDITION") == null) {
                    unique.computeIfAbsent(index, i -> new ArrayList<>()).add(column);
                }
            }
        }
        String quote = meta.getIdentifierQuoteString();
        return new TableShape(
                Optional.ofNullable(schema),
                table,
                List.copyOf(columns),
                List.copyOf(primary.values()),
                unique.values().stream().map(List::copyOf).toList(),
                quote == null || quote.isBlank() ? "\"" : quote.strip());
    }

    private static String safe(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return null; // an older driver without the column
        }
    }
}
