package io.sluice.engine.pipeline;

import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.ReferenceTable;
import io.sluice.engine.plan.ReferenceTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference tables of one run kept as fresh as each says: {@code once} and timed tables
 * are cached when the query starts (Spark then joins every batch with the cached rows: its
 * cache is matched by plan, and the query's plan holds the table's), a timed table is read again
 * on a timer of its own, and every cache is dropped when the query ends.
 *
 * <p>A refresh replaces the cache between batches or under one: a batch joins the rows before
 * or after, never a mix within one partition of the join. A refresh that fails is a warning and
 * leaves the table uncached until the next try, so batches read it as it is then (a database
 * that is down fails them, loudly).
 */
final class ReferenceCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCache.class);

    private final SparkSession spark;
    private final String subject;
    private final List<Dataset<Row>> cached = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ReferenceCache(SparkSession spark, String subject, boolean timed) {
        this.spark = spark;
        this.subject = subject;
        this.timer = timed
                ? Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "sluice-tables-" + subject);
                    thread.setDaemon(true);
                    return thread;
                })
                : null;
    }

    /** Caches what the definition's tables ask for, reading it now; the timers start. */
    static ReferenceCache start(SparkSession spark, PipelineDefinition definition, Map<String, Dataset<Row>> views) {
        boolean timed =
                definition.tables().stream().anyMatch(t -> t.refresh().kind() == ReferenceTable.Refresh.Kind.EVERY);
        ReferenceCache cache = new ReferenceCache(spark, definition.subject(), timed);
        try {
            for (ReferenceTable table : definition.tables()) {
                Dataset<Row> data = views.get(table.name());
                if (data == null || !table.refresh().cached()) {
                    continue;
                }
                long rows = data.persist().count();
                cache.cached.add(data);
                LOG.info(
                        "{}: table '{}' read, {} rows cached (refresh: {})",
                        cache.subject,
                        table.name(),
                        rows,
                        table.refresh());
                table.refresh()
                        .every()
                        .ifPresent(every -> cache.timer.scheduleWithFixedDelay(
                                () -> cache.refresh(table, data),
                                every.toMillis(),
                                every.toMillis(),
                                TimeUnit.MILLISECONDS));
            }
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    /** Closes the cache when the query {@code id} ends (at once if it has ended already). */
    void closeWhenEnded(UUID id, java.util.function.BooleanSupplier active) {
        if (cached.isEmpty() && timer == null) {
            return;
        }
        StreamingQueryListener listener = new io.sluice.engine.run.QueryEndListener() {
            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
                if (event.id().equals(id)) {
                    spark.streams().removeListener(this);
                    close();
                }
            }
        };
        spark.streams().addListener(listener);
        if (!active.getAsBoolean()) {
            spark.streams().removeListener(listener);
            close();
        }
    }

    private void refresh(ReferenceTable table, Dataset<Row> data) {
        if (closed.get()) {
            return;
        }
        long start = System.nanoTime();
        try {
            String path = table.options().get("path");
            if (ReferenceTables.isFiles(table.format()) && path != null) {
                spark.catalog().refreshByPath(path); // lists the files again and replaces the cache
            } else {
                data.unpersist(true);
                data.persist();
            }
            long rows = data.count();
            LOG.info(
                    "{}: table '{}' read again, {} rows cached in {} ms",
                    subject,
                    table.name(),
                    rows,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: table '{}' could not be read again ({}); batches read it as it is until the next try in {}",
                    subject,
                    table.name(),
                    ReferenceTables.mask(table)
                            .mask(
                                    e.getMessage() == null
                                            ? e.getClass().getSimpleName()
                                            : e.getMessage().lines().findFirst().orElse("")),
                    table.refresh(),
                    e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        cached.forEach(data -> data.unpersist(false));
    }
}
