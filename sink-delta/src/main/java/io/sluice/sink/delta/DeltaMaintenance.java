package io.sluice.sink.delta;

import static java.util.Objects.requireNonNull;

import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import io.sluice.core.Batch;
import io.sluice.core.Counter;
import io.sluice.core.SinkContext;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table's upkeep at the end of a batch, after the batch's commit: compaction ({@code OPTIMIZE})
 * every N-th batch and {@code VACUUM} when its interval has passed — in the batch, so that its
 * time is the batch's and shows on that batch's progress line ({@code delta.maintenance:
 * optimize_ms=812 optimized_files=40}) and in the metrics ({@code sluice_connector_count_total}).
 *
 * <p>Why here and not in a thread of its own: two writers of one table would compete (a
 * compaction conflicts with nothing a stream appends, but a merge of the next batch could), and
 * the cost would be invisible. Why it cannot break exactly once: the batch's rows are committed
 * before, with the batch's transaction id; a batch replayed after a crash is skipped by Delta
 * and compacts again (a compacted table has nothing to compact). Which batches compact follows
 * from the batch id ({@code (id + 1) % every == 0}), so a restart keeps the rhythm.
 *
 * <p>Upkeep that fails (a concurrent writer's conflict, a slow store) does not fail the
 * pipeline: its rows are written; the failure is logged as a warning with the next time it is
 * due, and counted ({@code optimize_failures}, {@code vacuum_failures}).
 */
final class DeltaMaintenance implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeltaMaintenance.class);
    static final String GROUP = "delta.maintenance";

    private final String location;
    private final int optimizeEvery;
    private final List<String> zOrderBy;
    /** 0: no vacuum. */
    private final long vacuumEveryMillis;

    private final Counter optimizedFiles;
    private final Counter optimizeMillis;
    private final Counter optimizeFailures;
    private final Counter vacuumedFiles;
    private final Counter vacuumMillis;
    private final Counter vacuumFailures;
    /** When the table was last vacuumed, epoch millis; -1 until the table's history has been read. */
    private final AtomicLong lastVacuum = new AtomicLong(-1);

    private DeltaMaintenance(
            SinkContext context,
            String location,
            int optimizeEvery,
            List<String> zOrderBy,
            Optional<Duration> vacuumEvery) {
        this.location = location;
        this.optimizeEvery = optimizeEvery;
        this.zOrderBy = List.copyOf(zOrderBy);
        this.vacuumEveryMillis = vacuumEvery.map(Duration::toMillis).orElse(0L);
        this.optimizedFiles = context.occasional(GROUP, "optimized_files");
        this.optimizeMillis = context.occasional(GROUP, "optimize_ms");
        this.optimizeFailures = context.occasional(GROUP, "optimize_failures");
        this.vacuumedFiles = context.occasional(GROUP, "vacuumed_files");
        this.vacuumMillis = context.occasional(GROUP, "vacuum_ms");
        this.vacuumFailures = context.occasional(GROUP, "vacuum_failures");
    }

    /** The upkeep the options ask for, if any; its counters are made here, when the query starts. */
    static Optional<DeltaMaintenance> of(
            SinkContext context,
            String location,
            Optional<Integer> optimizeEvery,
            List<String> zOrderBy,
            Optional<Duration> vacuumEvery) {
        requireNonNull(context, "context is null");
        if (optimizeEvery.isEmpty() && vacuumEvery.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeltaMaintenance(context, location, optimizeEvery.orElse(0), zOrderBy, vacuumEvery));
    }

    /** Runs what is due after {@code batch} was committed to the table. */
    void after(SparkSession spark, Batch batch) {
        if (optimizeEvery > 0 && (batch.id() + 1) % optimizeEvery == 0) {
            run(
                    "OPTIMIZE",
                    batch,
                    optimizeMillis,
                    optimizeFailures,
                    "after batch " + (batch.id() + optimizeEvery),
                    () -> {
                        DeltaOptimizeBuilder optimize =
                                DeltaTable.forPath(spark, location).optimize();
                        Row metrics = (zOrderBy.isEmpty()
                                        ? optimize.executeCompaction()
                                        : optimize.executeZOrderBy(zOrderBy.toArray(String[]::new)))
                                .select("metrics.numFilesRemoved")
                                .first();
                        optimizedFiles.add(metrics.isNullAt(0) ? 0 : metrics.getLong(0));
                    });
        }
        if (vacuumEveryMillis > 0 && vacuumDue(spark)) {
            run("VACUUM", batch, vacuumMillis, vacuumFailures, "at the end of the next batch", () -> {
                DeltaTable table = DeltaTable.forPath(spark, location);
                vacuum(spark, table);
                lastVacuum.set(System.currentTimeMillis());
                deletedByLastVacuum(table).ifPresent(vacuumedFiles::add);
            });
        }
    }

    /**
     * Delta lists the table's directories in as many tasks as {@value #LISTING_PARALLELISM} says —
     * 10,000 unless set, which makes a vacuum of a small table take half a minute of empty tasks on a
     * small machine: unless the user set it, the listing gets the cluster's cores (the query's own
     * session: the setting goes no further).
     */
    private static void vacuum(SparkSession spark, DeltaTable table) {
        org.apache.spark.sql.RuntimeConfig conf = spark.conf();
        if (conf.contains(LISTING_PARALLELISM)) {
            table.vacuum();
            return;
        }
        conf.set(
                LISTING_PARALLELISM,
                String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
        try {
            table.vacuum();
        } finally {
            conf.unset(LISTING_PARALLELISM);
        }
    }

    static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    /** Whether {@code vacuumEvery} has passed since the table's last vacuum (from its history at the first batch). */
    private boolean vacuumDue(SparkSession spark) {
        if (lastVacuum.get() < 0) {
            long start = System.nanoTime();
            lastVacuum.set(lastVacuumInHistory(spark).orElse(0L));
            LOG.debug(
                    "delta: the last vacuum of {} read from its history in {} ms",
                    location,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return System.currentTimeMillis() - lastVacuum.get() >= vacuumEveryMillis;
    }

    /** The time of the table's last logged vacuum (Delta logs them unless told not to), epoch millis. */
    private Optional<Long> lastVacuumInHistory(SparkSession spark) {
        if (!DeltaTable.isDeltaTable(spark, location)) {
            return Optional.empty();
        }
        Row last = DeltaTable.forPath(spark, location)
                .history()
                .filter("operation = 'VACUUM END'")
                .agg(org.apache.spark.sql.functions.max("timestamp"))
                .first();
        return last.isNullAt(0)
                ? Optional.empty()
                : Optional.of(last.getTimestamp(0).getTime());
    }

    /** The files the vacuum just logged as deleted; empty when Delta does not log vacuums. */
    private static Optional<Long> deletedByLastVacuum(DeltaTable table) {
        Row last = table.history(1).select("operation", "operationMetrics").first();
        if (!"VACUUM END".equals(last.getString(0)) || last.isNullAt(1)) {
            return Optional.empty();
        }
        Map<String, String> metrics = last.getJavaMap(1);
        return Optional.ofNullable(metrics.get("numDeletedFiles")).map(Long::parseLong);
    }

    private void run(String what, Batch batch, Counter millis, Counter failures, String next, Runnable upkeep) {
        long start = System.nanoTime();
        try {
            upkeep.run();
            LOG.info(
                    "delta: {} of {} after batch {} took {} ms",
                    what,
                    location,
                    batch.id(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (RuntimeException e) {
            if (io.sluice.core.BatchSink.isStop(e)) {
                throw e; // a stop: Spark must see its interruption as it is
            }
            failures.add(1);
            LOG.warn(
                    "delta: {} of {} after batch {} failed ({}); the batch is written, the next try is {}",
                    what,
                    location,
                    batch.id(),
                    firstLine(e),
                    next,
                    e);
        } finally {
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (end < 0 ? message : message.substring(0, end));
    }
}
