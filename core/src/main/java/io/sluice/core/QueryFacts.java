package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the framework read in the query's plan about the rows a sink receives: which columns
 * are a source column passed through unchanged, which carry the source's record order, and
 * by which columns a batch holds at most one row.
 *
 * <p>A sink needs these to refuse what would write wrong data — a Kafka sink routing every
 * record back to the topic it came from, an upsert that cannot tell which of two rows of a
 * key came last — and a sink cannot see the plan itself: it gets the schema, and a schema
 * does not say where a column came from. The facts are conservative: a column the SQL
 * computes, even from a source column, has no origin, and a key is unique only when Spark's
 * optimizer can prove it (an aggregation's grouping columns, a deduplication's keys).
 */
@Evolving
public final class QueryFacts {
    private static final QueryFacts UNKNOWN = new QueryFacts("", Map.of(), List.of(), List.of());

    private final String source;
    private final Map<String, String> origins;
    private final List<String> sourceOrder;
    private final Supplier<List<Set<String>>> uniqueKeys;

    /**
     * @param source the source connector's name
     * @param origins each output column that is a source column unchanged → that source column's name
     * @param sourceOrder the source's record-order columns ({@link StreamSource#recordOrder()}), as source columns
     * @param uniqueKeys sets of output columns by which each batch holds at most one row
     */
    public QueryFacts(
            String source, Map<String, String> origins, List<String> sourceOrder, List<Set<String>> uniqueKeys) {
        this(source, origins, sourceOrder, constant(copyOf(requireNonNull(uniqueKeys, "uniqueKeys is null"))));
    }

    /**
     * Facts whose unique keys are worked out only when a sink asks ({@link #uniquePerBatch}),
     * once: finding them runs Spark's optimizer over the plan, which most sinks never need.
     */
    public QueryFacts(
            String source,
            Map<String, String> origins,
            List<String> sourceOrder,
            Supplier<List<Set<String>>> uniqueKeys) {
        this.source = requireNonNull(source, "source is null");
        this.origins = Map.copyOf(requireNonNull(origins, "origins is null"));
        this.sourceOrder = List.copyOf(requireNonNull(sourceOrder, "sourceOrder is null"));
        this.uniqueKeys = memoized(requireNonNull(uniqueKeys, "uniqueKeys is null"));
    }

    private static Supplier<List<Set<String>>> constant(List<Set<String>> keys) {
        return () -> keys;
    }

    private static List<Set<String>> copyOf(List<Set<String>> keys) {
        return keys.stream().map(Set::copyOf).toList();
    }

    private static Supplier<List<Set<String>>> memoized(Supplier<List<Set<String>>> keys) {
        return new Supplier<>() {
            private List<Set<String>> known;

            @Override
            public synchronized List<Set<String>> get() {
                if (known == null) {
                    known = copyOf(keys.get());
                }
                return known;
            }
        };
    }

    /** Nothing known: no column has an origin, no key is unique (contract tests, a plan that could not be read). */
    public static QueryFacts unknown() {
        return UNKNOWN;
    }

    /** The name of the source connector the rows come from; empty when unknown. */
    public String source() {
        return source;
    }

    /** The source column that output {@code column} is, unchanged; empty when the query computes it or it is unknown. */
    public Optional<String> sourceColumn(String column) {
        return Optional.ofNullable(origins.get(requireNonNull(column, "column is null")));
    }

    /** Whether output {@code column} is the column {@code sourceColumn} of the source connector {@code connector}, unchanged. */
    public boolean isSourceColumn(String column, String connector, String sourceColumn) {
        return source.equals(connector)
                && sourceColumn(column).filter(sourceColumn::equals).isPresent();
    }

    /**
     * The output columns that carry the source's record order, in the source's order of
     * significance (for Kafka: the partition and offset columns); empty when the source has no
     * such order or the query drops or computes any of them.
     */
    public Optional<List<String>> sourceOrder() {
        if (sourceOrder.isEmpty()) {
            return Optional.empty();
        }
        List<String> found = new java.util.ArrayList<>();
        for (String wanted : sourceOrder) {
            Optional<String> column = origins.entrySet().stream()
                    .filter(e -> e.getValue().equals(wanted))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .findFirst();
            if (column.isEmpty()) {
                return Optional.empty();
            }
            found.add(column.get());
        }
        return Optional.of(List.copyOf(found));
    }

    /** The source's record-order columns by their source names ({@link StreamSource#recordOrder()}); empty when it has none. */
    public Optional<List<String>> recordOrderColumns() {
        return sourceOrder.isEmpty() ? Optional.empty() : Optional.of(sourceOrder);
    }

    /** Whether each batch holds at most one row per value of {@code columns}, as far as the plan proves it. */
    public boolean uniquePerBatch(Collection<String> columns) {
        requireNonNull(columns, "columns is null");
        return uniqueKeys.get().stream().anyMatch(columns::containsAll);
    }

    @Override
    public String toString() {
        return "QueryFacts[source=" + source + ", origins=" + new java.util.TreeMap<>(origins) + ", sourceOrder="
                + sourceOrder + "]";
    }
}
