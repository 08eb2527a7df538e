package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.core.OutputMode;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.engine.definition.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link BatchSink}, on top of {@link SinkContract}'s: batches delivered
 * the way Spark delivers them — including twice, empty, and full of nulls — land as the sink
 * promises. The author adds one method, {@link #readBack()}, that reads what the sink wrote.
 *
 * <p>Batches are handed to the sink's writer directly, with Spark's own {@code Dataset}s on
 * the shared session, so a replay is exact and immediate; the sink's {@code foreachBatch}
 * wiring is the framework's and is tested there.
 */
public abstract class BatchSinkContract extends SinkContract {

    @Override
    protected abstract BatchSink sink();

    /**
     * Every row the sink wrote under {@link #validOptions()}, with the columns of
     * {@link #schema()} in order and their Java types (Long, String, Double for the default
     * schema), in any order.
     */
    protected abstract List<Row> readBack() throws Exception;

    /** Columns the sink cannot store as null (a key); they keep a value in the null-row test. */
    protected Set<String> nonNullColumns() {
        return Set.of();
    }

    /** Sample rows of {@link #schema()}, distinct in every column; override with {@link #schema()}. */
    protected List<Row> rows() {
        return List.of(
                RowFactory.create(1L, "ada", 12.5),
                RowFactory.create(2L, "brian", 7.25),
                RowFactory.create(3L, "chen", 0.5),
                RowFactory.create(4L, "dana", 99.0));
    }

    @Test
    void everyBatchLands() throws Exception {
        String query = UUID.randomUUID().toString();
        deliver(new Batch(query, "contract", 0), rows().subList(0, 2));
        deliver(new Batch(query, "contract", 1), rows().subList(2, rows().size()));
        assertRows(rows(), readBack());
    }

    @Test
    void aReplayedBatchLandsAsPromised() throws Exception {
        Batch batch = new Batch(UUID.randomUUID().toString(), "contract", 0);
        deliver(batch, rows());
        deliver(batch, rows());
        if (sink().idempotent()) {
            assertRows(rows(), readBack());
        } else {
            List<String> written = sorted(readBack());
            assertTrue(written.containsAll(sorted(rows())), "at least once: every row landed; wrote " + written);
        }
    }

    @Test
    void aNewQueryStartsItsBatchIdsAgain() throws Exception {
        // A new checkpoint means a new query id and batch ids from 0: a ledger keyed by the
        // query's name instead of its id would take these rows for a replay and drop them.
        deliver(new Batch(UUID.randomUUID().toString(), "contract", 0), rows().subList(0, 2));
        deliver(new Batch(UUID.randomUUID().toString(), "contract", 0), rows().subList(2, rows().size()));
        assertRows(rows(), readBack());
    }

    @Test
    void anEmptyBatchWritesNothing() throws Exception {
        deliver(new Batch(UUID.randomUUID().toString(), "contract", 0), List.of());
        assertRows(List.of(), readBack());
    }

    @Test
    void nullsInEveryColumnLand() throws Exception {
        Row sample = rows().get(0);
        String[] names = schema().fieldNames();
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = nonNullColumns().contains(names[i]) ? sample.get(i) : null;
        }
        List<Row> nulls = List.of(RowFactory.create(values));
        deliver(new Batch(UUID.randomUUID().toString(), "contract", 0), nulls);
        assertRows(nulls, readBack());
    }

    /** Hands {@code rows} to the sink's writer as batch {@code batch}, as the framework does. */
    protected final void deliver(Batch batch, List<Row> rows) throws Exception {
        BatchSink sink = sink();
        SparkSession spark = SharedSluice.get().spark();
        OptionsValidator.Result validated =
                OptionsValidator.validate(sink, StreamSink.FRAMEWORK_OPTIONS, validOptions());
        if (!validated.valid()) {
            throw new ValidationException("sink '" + sink.name() + "'", validated.problems());
        }
        ConnectorOptions options = validated.options();
        SinkContext context = new SinkContext(
                spark,
                "contract",
                batch.queryName(),
                OutputMode.APPEND,
                Optional.of(workDir.resolve("checkpoint").toString()));
        sink.writer(context, options, schema()).write(batch, spark.createDataFrame(new ArrayList<>(rows), schema()));
    }

    private static void assertRows(List<Row> expected, List<Row> actual) {
        assertEquals(sorted(expected), sorted(actual));
    }

    private static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().toList();
    }
}
