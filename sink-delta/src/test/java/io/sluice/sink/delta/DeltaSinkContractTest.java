package io.sluice.sink.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.tables.DeltaTable;
import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.testkit.BatchSinkContract;
import io.sluice.testkit.RefusedOptions;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The delta sink's merge mode against the testkit's batch-sink contract: a replayed batch id lands once. */
class DeltaSinkContractTest extends BatchSinkContract {
    @Override
    protected BatchSink sink() {
        return new DeltaSink();
    }

    @Override
    protected Map<String, String> validOptions() {
        return Map.of("path", workDir.resolve("table").toString(), "mergeKeys", "id", "sequenceBy", "amount");
    }

    @Override
    protected Set<String> nonNullColumns() {
        return Set.of("id");
    }

    @Override
    protected List<RefusedOptions> refusedOptions() {
        String path = workDir.resolve("table").toString();
        return List.of(
                RefusedOptions.of(Map.of(), "sink 'delta': set exactly one of 'path', 'table' (found: none)"),
                RefusedOptions.of(
                        Map.of("path", path, "table", "orders"),
                        "sink 'delta': set exactly one of 'path', 'table' (found: path, table)"),
                RefusedOptions.of(
                        Map.of("path", path, "overwriteSchema", "true"),
                        "sink 'delta': option 'overwriteSchema' is not supported:"
                                + " a stream cannot replace the table's schema between batches; add columns with mergeSchema, or rewrite the table"
                                + " with a batch job"),
                RefusedOptions.of(
                        Map.of("path", path, "deleteColumn", "gone"),
                        "sink 'delta': option 'deleteColumn' needs option 'mergeKeys'"),
                RefusedOptions.of(
                        Map.of("path", path, "mergeKeys", "order_id", "partitionBy", "day"),
                        "sink 'delta': option 'mergeKeys' names column 'order_id', which the query does not have (columns: id, name, amount)",
                        "sink 'delta': option 'partitionBy' names column 'day', which the query does not have (columns: id, name, amount)"),
                RefusedOptions.of(
                        Map.of("path", path, "mergeKeys", "id", "sequenceBy", "amount", "deleteColumn", "name"),
                        "sink 'delta': column 'name' is string: 'deleteColumn' needs a boolean column (e.g. op = 'delete' AS deleted)"),
                RefusedOptions.of(
                        Map.of("path", path, "mergeKeys", "id"),
                        "sink 'delta': option 'mergeKeys' merges one row per key,"
                                + " and a batch of this query can hold several rows of a key with nothing to say which came last: set"
                                + " 'sequenceBy' to a column that orders them (an event time, a version), and the last row of each key is"
                                + " merged"),
                RefusedOptions.of(
                        Map.of("table", "no_such_table"),
                        "sink 'delta': option 'table' names 'no_such_table', which is not a"
                                + " Delta table in the session's catalog: create it first, or give a 'path'"));
    }

    @Test
    void aBatchIdDeliveredAgainWithOtherRowsChangesNothing() throws Exception {
        Batch seven = new Batch("query-a", "contract", 7);
        deliver(seven, List.of(RowFactory.create(1L, "ada", 10.0), RowFactory.create(2L, "brian", 20.0)));
        deliver(new Batch("query-a", "contract", 8), List.of(RowFactory.create(2L, "brian", 25.0)));
        long versions = DeltaTable.forPath(
                        SharedSluice.get().spark(), workDir.resolve("table").toString())
                .history()
                .count();
        deliver(seven, List.of(RowFactory.create(1L, "ada", 99.0), RowFactory.create(3L, "chen", 30.0)));
        assertEquals(
                List.of("[1,ada,10.0]", "[2,brian,25.0]"),
                readBack().stream().map(Row::toString).sorted().toList());
        assertEquals(
                versions,
                DeltaTable.forPath(
                                SharedSluice.get().spark(),
                                workDir.resolve("table").toString())
                        .history()
                        .count(),
                "Delta skipped the replayed commit: no new table version");
    }

    @Override
    protected List<Row> readBack() {
        String path = workDir.resolve("table").toString();
        if (!Files.exists(workDir.resolve("table/_delta_log"))) {
            return List.of();
        }
        return SharedSluice.get()
                .spark()
                .read()
                .format("delta")
                .load(path)
                .select("id", "name", "amount")
                .collectAsList();
    }
}
