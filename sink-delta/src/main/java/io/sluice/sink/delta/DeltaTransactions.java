package io.sluice.sink.delta;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * The last batch a query wrote into a Delta table, from the table's own log: Delta's streaming
 * sink and Sluice's merge both commit each batch with a transaction id — the query's id and the
 * batch id ({@code SetTransaction}) — and skip a batch whose id the log already has. Reading that
 * takes Delta's {@code DeltaLog}, which is not Delta's public API: this is the one place that
 * touches it, and {@code DeltaTransactionsTest} fails when Delta changes it.
 */
final class DeltaTransactions {
    private DeltaTransactions() {}

    /** The highest batch id query {@code queryId} committed to the table at {@code location}; empty for none. */
    static OptionalLong lastBatch(SparkSession spark, String location, String queryId) {
        requireNonNull(spark, "spark is null");
        requireNonNull(location, "location is null");
        requireNonNull(queryId, "queryId is null");
        DeltaLog log = DeltaLog.forTable(spark, location);
        if (!log.tableExists()) {
            return OptionalLong.empty();
        }
        Option<Object> version =
                log.update(false, Option.empty(), Option.empty()).transactions().get(queryId);
        return version.isDefined() ? OptionalLong.of((Long) version.get()) : OptionalLong.empty();
    }
}
