package io.sluice.sink.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How an upsert, a delete and a ledger claim are written in one database's SQL. PostgreSQL's
 * {@code INSERT ... ON CONFLICT} is atomic against concurrent writers of a key; the standard
 * {@code MERGE} (PostgreSQL 15+, SQL Server, Oracle, DB2, H2) serves the others.
 */
enum Dialect {
    POSTGRESQL {
        @Override
        String upsert(Statements s) {
            String insert = s.insert();
            List<String> updated = s.nonKeyColumns();
            if (updated.isEmpty()) {
                return insert + " ON CONFLICT (" + s.keyList() + ") DO NOTHING";
            }
            String set = updated.stream()
                    .map(c -> s.quote(c) + " = EXCLUDED." + s.quote(c))
                    .collect(Collectors.joining(", "));
            return insert + " ON CONFLICT (" + s.keyList() + ") DO UPDATE SET " + set
                    + s.sequence()
                            .map(q -> " WHERE " + s.table() + "." + s.quote(q) + " IS NULL OR " + s.table() + "."
                                    + s.quote(q) + " <= EXCLUDED." + s.quote(q))
                            .orElse("");
        }

        @Override
        String claim(String ledger) {
            return "INSERT INTO " + ledger + " (target_table, query_id, batch_id, partition_id, row_count, written_at)"
                    + " VALUES (?, ?, ?, ?, 0, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
        }
    },
    MERGE {
        @Override
        String upsert(Statements s) {
            String source = s.bindings().stream()
                    .map(b -> "CAST(? AS " + b.castType() + ")")
                    .collect(Collectors.joining(", "));
            String names = s.bindings().stream().map(b -> s.quote(b.column())).collect(Collectors.joining(", "));
            String on = s.keys().stream()
                    .map(k -> "t." + s.quote(k) + " = s." + s.quote(k))
                    .collect(Collectors.joining(" AND "));
            String set = s.nonKeyColumns().stream()
                    .map(c -> s.quote(c) + " = s." + s.quote(c))
                    .collect(Collectors.joining(", "));
            String matched = set.isEmpty()
                    ? ""
                    : " WHEN MATCHED"
                            + s.sequence()
                                    .map(q -> " AND (t." + s.quote(q) + " IS NULL OR t." + s.quote(q) + " <= s."
                                            + s.quote(q) + ")")
                                    .orElse("")
                            + " THEN UPDATE SET " + set;
            return "MERGE INTO " + s.table() + " t USING (VALUES (" + source + ")) s (" + names + ") ON " + on
                    + matched + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES ("
                    + s.bindings().stream().map(b -> "s." + s.quote(b.column())).collect(Collectors.joining(", "))
                    + ")";
        }

        @Override
        String claim(String ledger) {
            return "INSERT INTO " + ledger + " (target_table, query_id, batch_id, partition_id, row_count, written_at)"
                    + " VALUES (?, ?, ?, ?, 0, CURRENT_TIMESTAMP)";
        }
    };

    /** The upsert of one row, its parameters in the order of the bindings. */
    abstract String upsert(Statements statements);

    /**
     * Records a partition of a batch in the ledger: one row changed the first time; on a replay
     * none (PostgreSQL) or a unique-key violation (the others), after the first writer committed.
     */
    abstract String claim(String ledger);
}
