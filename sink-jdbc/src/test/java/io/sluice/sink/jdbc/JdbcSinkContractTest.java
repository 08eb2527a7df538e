package io.sluice.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.testkit.BatchSinkContract;
import io.sluice.testkit.LocalPostgres;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.RefusedOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jdbc sink against the testkit's batch-sink contract, on a real PostgreSQL, in append
 * mode — where a batch written twice would show as duplicate rows, so the ledger alone keeps a
 * replay from landing again.
 */
class JdbcSinkContractTest extends BatchSinkContract {
    private static LocalPostgres postgres;

    @BeforeAll
    static void startDatabase() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    @BeforeEach
    void freshTable() throws Exception {
        postgres.execute(
                "DROP TABLE IF EXISTS contract_rows",
                "DROP TABLE IF EXISTS sluice_batches",
                "CREATE TABLE contract_rows (id BIGINT, name TEXT, amount DOUBLE PRECISION)");
    }

    @Override
    protected BatchSink sink() {
        return new JdbcSink();
    }

    @Override
    protected Map<String, String> validOptions() {
        return Map.of("url", postgres.jdbcUrl(), "dbtable", "contract_rows", "user", "postgres");
    }

    @Override
    protected List<Row> readBack() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection db = postgres.connect();
                Statement statement = db.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, name, amount FROM contract_rows")) {
            while (result.next()) {
                rows.add(RowFactory.create(
                        (Long) result.getObject(1), result.getString(2), (Double) result.getObject(3)));
            }
        }
        return rows;
    }

    @Override
    protected List<RefusedOptions> refusedOptions() {
        String url = "jdbc:postgresql://127.0.0.1:5432/shop";
        return List.of(
                RefusedOptions.of(
                        Map.of(),
                        "sink 'jdbc': missing required option 'dbtable'",
                        "sink 'jdbc': missing required option 'url'"),
                RefusedOptions.of(
                        Map.of("url", url + "?user=app&password=hunter22", "dbtable", "orders"),
                        "sink 'jdbc': option 'url' carries a password"
                                + " (jdbc:postgresql://127.0.0.1:5432/shop?user=app&password=*****), which would show"
                                + " wherever the URL is printed: take it out of the URL and set option 'password' (a"
                                + " secret, masked everywhere)"),
                RefusedOptions.of(
                        Map.of("url", url, "table", "orders"),
                        "sink 'jdbc': option 'table' is not supported: the table is option 'dbtable', as in Spark's"
                                + " JDBC writer",
                        "sink 'jdbc': missing required option 'dbtable'"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "mode", "upsert"),
                        "sink 'jdbc': option 'mode' = 'upsert' needs option 'mergeKeys' (the columns an upsert finds a"
                                + " row by)"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "mode", "append", "mergeKeys", "id"),
                        "sink 'jdbc': option 'mergeKeys' is for an upsert, and option 'mode' = 'append' inserts every"
                                + " row: set mode upsert, or drop mergeKeys"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "mergeKeys", "order_id", "sequenceBy", "versoin"),
                        "sink 'jdbc': option 'mergeKeys' names column 'order_id', which the query does not have"
                                + " (columns: id, name, amount)",
                        "sink 'jdbc': option 'sequenceBy' names column 'versoin', which the query does not have"
                                + " (columns: id, name, amount)"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "mergeKeys", "id", "deleteColumn", "name"),
                        "sink 'jdbc': column 'name' is string: 'deleteColumn' needs a boolean column (e.g. op ="
                                + " 'delete' AS deleted)"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "deleteColumn", "deleted"),
                        "sink 'jdbc': option 'deleteColumn' needs option 'mergeKeys'"),
                RefusedOptions.of(
                        Map.of("url", "postgresql://127.0.0.1/shop", "dbtable", "orders"),
                        "sink 'jdbc': option 'url' = 'postgresql://127.0.0.1/shop' must be a JDBC URL"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "\"Orders\""),
                        "sink 'jdbc': option 'dbtable' = '\"Orders\"' must be a table name or schema.table, unquoted"),
                RefusedOptions.of(
                        Map.of("url", url, "dbtable", "orders", "batchsize", "0"),
                        "sink 'jdbc': option 'batchsize' = '0' must be positive"));
    }

    @Test
    void isDocumented() {
        assertEquals("", ReadmeTables.checkDocs(new JdbcSink()));
    }

    @Test
    void aBatchIdDeliveredAgainWithOtherRowsChangesNothing() throws Exception {
        Batch seven = new Batch("query-a", "contract", 7);
        deliver(seven, List.of(RowFactory.create(1L, "ada", 10.0), RowFactory.create(2L, "brian", 20.0)));
        deliver(seven, List.of(RowFactory.create(3L, "chen", 30.0)));
        deliver(new Batch("query-a", "contract", 8), List.of(RowFactory.create(4L, "dana", 40.0)));
        assertEquals(
                List.of("1,ada,10", "2,brian,20", "4,dana,40"),
                postgres.query("SELECT id, name, amount FROM contract_rows ORDER BY id"));
        assertEquals(
                List.of("public.contract_rows,7,2", "public.contract_rows,8,1"),
                postgres.query("SELECT target_table, batch_id, sum(row_count) FROM sluice_batches"
                        + " GROUP BY target_table, batch_id ORDER BY batch_id"),
                "each written partition is in the ledger with its row count");
    }
}
