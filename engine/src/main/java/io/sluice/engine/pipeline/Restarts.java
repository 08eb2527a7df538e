package io.sluice.engine.pipeline;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.SparkSession;

/**
 * Makes a restart a pipeline's source asks for happen as soon as its query fails, not only when
 * someone next looks at the handle: a listener per session hands the failed query's handle to a
 * thread of its own (a listener must not start queries on Spark's event thread).
 */
final class Restarts extends io.sluice.engine.run.QueryEndListener {
    private static final Map<SparkSession, Restarts> SESSIONS = new ConcurrentHashMap<>();
    private static final ExecutorService RESTARTER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-restarts");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<UUID, PipelineHandle> handles = new ConcurrentHashMap<>();

    private Restarts() {}

    /** Watches {@code handle}'s query (by its id, which a restart on the same checkpoint keeps). */
    static void follow(SparkSession spark, PipelineHandle handle) {
        Restarts restarts = SESSIONS.computeIfAbsent(spark, session -> {
            Restarts created = new Restarts();
            session.streams().addListener(created);
            return created;
        });
        restarts.handles.put(handle.id(), handle);
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        PipelineHandle handle = handles.get(event.id());
        if (handle == null) {
            return;
        }
        if (event.exception().isEmpty()) {
            handles.remove(event.id(), handle);
            return;
        }
        RESTARTER.execute(() -> {
            if (!handle.isActive()) { // looking restarts it when its source asked for that
                handles.remove(event.id(), handle);
            }
        });
    }
}
