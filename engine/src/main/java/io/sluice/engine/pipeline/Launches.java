package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The pipelines this process started, by the name their query runs under: the plan each was
 * last started from (known before Spark's first event about the query) and, once
 * {@code start()} returned, its handle. For what watches every pipeline of a process without
 * being told about each — the metrics endpoint, which a user turns on once, not per pipeline.
 *
 * <p>A restart under the same name replaces the last run's entries, so this holds one plan per
 * query name the process has used.
 */
public final class Launches {
    private static final Map<String, PipelinePlan> PLANS = new ConcurrentHashMap<>();
    private static final Map<String, PipelineHandle> HANDLES = new ConcurrentHashMap<>();
    private static final List<BiConsumer<PipelinePlan, PipelineHandle>> WATCHERS = new CopyOnWriteArrayList<>();

    private Launches() {}

    static void starting(PipelinePlan plan) {
        PLANS.put(plan.queryName(), plan);
        HANDLES.remove(plan.queryName());
    }

    static void started(PipelinePlan plan, PipelineHandle handle) {
        HANDLES.put(plan.queryName(), handle);
        WATCHERS.forEach(watcher -> watcher.accept(plan, handle));
    }

    /** Calls {@code watcher} with each pipeline that starts from now on, once its start returned. */
    public static void watch(BiConsumer<PipelinePlan, PipelineHandle> watcher) {
        WATCHERS.add(requireNonNull(watcher, "watcher is null"));
    }

    /** Stops calling {@code watcher}. */
    public static void unwatch(BiConsumer<PipelinePlan, PipelineHandle> watcher) {
        WATCHERS.remove(watcher);
    }

    /** The plan the query of this name was last started from in this process. */
    public static Optional<PipelinePlan> plan(String queryName) {
        return Optional.ofNullable(PLANS.get(requireNonNull(queryName, "queryName is null")));
    }

    /** The handle of the query of this name last started in this process, once its start returned. */
    public static Optional<PipelineHandle> handle(String queryName) {
        return Optional.ofNullable(HANDLES.get(requireNonNull(queryName, "queryName is null")));
    }

    /** The plans of every query this process started, latest per name. */
    public static List<PipelinePlan> plans() {
        return List.copyOf(PLANS.values());
    }
}
