package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.OptionType;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops every running pipeline gracefully when the JVM shuts down (SIGTERM, {@code System.exit}),
 * before Spark's own shutdown hook stops the SparkContext under a batch in flight — which
 * would abort the batch and print its failure. Spark runs its hooks from Hadoop's
 * {@code ShutdownHookManager} at priority {@value #SPARK_PRIORITY}; this hook runs there at a
 * higher one, so it comes first. It waits up to {@code -Dsluice.stopTimeout} (default 60 s)
 * for the batches in flight; past it the pipelines stop at once and a restart redoes them.
 * The {@code sluice} command handles the signal itself and has stopped its pipelines by then.
 *
 * <p>A session closing ({@code Sluice.close()}) and this hook never run at once: a SIGTERM during
 * a close waits for it, then finds nothing running, instead of asking a stopped SparkContext
 * about its queries and printing Spark's trace.
 */
public final class ShutdownStop {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownStop.class);
    /** Spark's hook priority in Hadoop's manager: {@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}. */
    static final int SPARK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 30;

    static final String TIMEOUT_PROPERTY = "sluice.stopTimeout";

    private static final Set<PipelineHandle> RUNNING =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static boolean registered;

    private ShutdownStop() {}

    /** Stops {@code handle} gracefully at JVM shutdown if it still runs then. */
    static synchronized void register(PipelineHandle handle) {
        RUNNING.add(handle);
        if (!registered) {
            Duration timeout = timeout();
            ShutdownHookManager.get()
                    .addShutdownHook(
                            () -> stopAll(timeout),
                            SPARK_PRIORITY + 10,
                            timeout.toMillis() + 5_000,
                            TimeUnit.MILLISECONDS);
            registered = true;
        }
    }

    /** The pipelines of this process that still run. */
    static List<PipelineHandle> running() {
        synchronized (RUNNING) {
            return RUNNING.stream().filter(PipelineHandle::isActive).toList();
        }
    }

    /**
     * Stops the pipelines of this process that run on {@code session}, each after its batch in
     * flight (up to {@code -Dsluice.stopTimeout}, then at once): what a session's close does before
     * it stops Spark, so that no query is left to fail under a stopped context, nor aborted
     * mid-batch (Spark logs either as an ERROR with its trace).
     */
    public static void stopRunningOn(org.apache.spark.sql.SparkSession session) {
        requireNonNull(session, "session is null");
        for (PipelineHandle handle : running()) {
            try {
                if (handle.query().sparkSession().sparkContext() == session.sparkContext()) {
                    handle.stopGracefully(timeout());
                }
            } catch (RuntimeException e) { // it stopped meanwhile
                LOG.debug("pipeline query '{}' did not stop with its session", handle.name(), e);
            }
        }
    }

    /** Runs {@code closing} (a session's close) while the shutdown hook does not run, and keeps it from starting. */
    public static void exclusive(Runnable closing) {
        synchronized (STOPPING) {
            requireNonNull(closing, "closing is null").run();
        }
    }

    private static final Object STOPPING = new Object();

    static void stopAll(Duration timeout) {
        synchronized (STOPPING) {
            List<PipelineHandle> running;
            synchronized (RUNNING) {
                running = RUNNING.stream().filter(ShutdownStop::stillRuns).toList();
            }
            for (PipelineHandle handle : running) {
                stop(handle, timeout);
            }
        }
    }

    private static boolean stillRuns(PipelineHandle handle) {
        try {
            return handle.isActive()
                    && !handle.query().sparkSession().sparkContext().isStopped();
        } catch (RuntimeException e) { // its session went away under it: nothing left to stop
            return false;
        }
    }

    private static void stop(PipelineHandle handle, Duration timeout) {
        String name = handle.name();
        try {
            LOG.warn(
                    "JVM shutdown: stopping pipeline query '{}' after the batch in flight (up to {})",
                    name,
                    OptionType.DURATION.format(timeout));
            boolean graceful = handle.stopGracefully(timeout);
            LOG.warn(
                    graceful
                            ? "pipeline query '{}' stopped gracefully: every batch that started was committed"
                            : "pipeline query '{}' stopped at once after the timeout: the batch in flight will be redone on restart",
                    name);
        } catch (RuntimeException e) { // the session stopped meanwhile: what was committed stays committed
            LOG.warn("pipeline query '{}' stopped with its session during shutdown ({})", name, e.toString());
            LOG.debug("the stop during shutdown failed", e);
        }
    }

    private static Duration timeout() {
        String text = System.getProperty(TIMEOUT_PROPERTY, "60 seconds");
        try {
            return OptionType.DURATION.parse(text);
        } catch (RuntimeException e) {
            LOG.warn("-D{}={} is not a duration (e.g. 30 seconds): using 60 seconds", TIMEOUT_PROPERTY, text);
            return Duration.ofSeconds(60);
        }
    }
}
