package io.sluice.core.pipeline;

import io.sluice.core.Counter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of each started query, by query id, so that whatever reads a query's progress
 * ({@link ProgressReporter}, {@link PipelineHandle#counts}) finds its counts beside it.
 */
final class QueryCounters {
    private static final Map<UUID, List<Counter>> BY_QUERY = new ConcurrentHashMap<>();

    private QueryCounters() {}

    static void register(UUID queryId, List<Counter> counters) {
        if (!counters.isEmpty()) {
            BY_QUERY.put(queryId, List.copyOf(counters));
        }
    }

    static List<Counter> of(UUID queryId) {
        return BY_QUERY.getOrDefault(queryId, List.of());
    }

    /** One batch's counts by group, then by name, sorted. */
    static Map<String, Map<String, Long>> batch(UUID queryId, long batchId) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Counter counter : of(queryId)) {
            counts.computeIfAbsent(counter.group(), g -> new TreeMap<>()).put(counter.name(), counter.count(batchId));
        }
        return counts;
    }
}
