package io.sluice.core.engine;

import io.sluice.spi.Counter;
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

    /** What {@code value} says of each of the query's counters, as {@code group.name} → value, sorted. */
    static Map<String, Long> each(UUID queryId, java.util.function.ToLongFunction<Counter> value) {
        Map<String, Long> values = new TreeMap<>();
        for (Counter counter : of(queryId)) {
            values.put(counter.group() + "." + counter.name(), value.applyAsLong(counter));
        }
        return values;
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
