package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.AccumulatorV2;

/**
 * A count that a connector's code adds to inside Spark's tasks — records skipped, records
 * dead-lettered — reported per batch beside the query's progress ({@code kafka.decode:
 * skipped=3}) and by {@code PipelineHandle.counts(batchId)}. Get one from
 * {@link SourceContext#counter}; call {@link #add} from the task code that meets what it counts.
 *
 * <p>Why not Spark's {@code Dataset.observe}: an observed metric is an aggregate over every
 * row, and it ends the stage of generated code where it stands — in a Kafka → parquet
 * pipeline that cost 5 % of the throughput. A counter costs nothing for the rows it does not
 * count. Counts are kept per batch (the batch id Spark gives each task), so a batch's count is
 * exact whenever it is read, and only successful tasks count (Spark's rule for accumulators):
 * a retried task does not count twice.
 */
@Evolving
public final class Counter implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The local property Spark's micro-batch execution sets to the batch id for the batch's jobs. */
    static final String BATCH_ID = "streaming.sql.batchId";

    /** What a key counts when the task code gives no reason. */
    public static final String NO_REASON = "";

    private final String group;
    private final String name;
    /** The policy, or null: a field of a serializable class (Optional is not serializable). */
    private final String policy;

    private final boolean failures;
    private final boolean occasional;
    private final PerBatch counts;

    /** Registers a counter with the session's SparkContext; the framework does this for {@link SourceContext#counter}. */
    public Counter(SparkSession spark, String group, String name) {
        this(spark, group, name, Optional.empty(), false, false);
    }

    private Counter(
            SparkSession spark,
            String group,
            String name,
            Optional<String> policy,
            boolean failures,
            boolean occasional) {
        requireNonNull(spark, "spark is null");
        this.group = requireNonNull(group, "group is null");
        this.name = requireNonNull(name, "name is null");
        this.policy = policy.orElse(null);
        this.failures = failures;
        this.occasional = occasional;
        this.counts = new PerBatch();
        if (failures) {
            // Spark's own flag for accumulators that count in failed task attempts too (its
            // task-failure counters use it); public in the bytecode, private[spark] in Scala.
            counts.register(spark.sparkContext(), scala.Option.apply(group + "." + name), true);
        } else {
            spark.sparkContext().register(counts, group + "." + name);
        }
    }

    /**
     * Counts records rejected by {@code stage} (a decoder: {@code kafka.decode}) under a bad-record
     * {@code policy} ({@code skip}, {@code dead_letter}) — the metrics endpoint reports them as
     * {@code sluice_records_rejected_total} by stage, policy and the reason given to {@link #add(String, long)}.
     */
    public static Counter rejected(SparkSession spark, String stage, String name, String policy) {
        return new Counter(spark, stage, name, Optional.of(requireNonNull(policy, "policy is null")), false, false);
    }

    /**
     * Counts what fails a task — a dead letter that cannot be written. Unlike other counters it
     * counts in failed task attempts too (their work is retried, so a count of successes would
     * never see them); reported by the metrics endpoint as {@code sluice_write_failures_total}.
     */
    public static Counter failures(SparkSession spark, String group, String name) {
        return new Counter(spark, group, name, Optional.empty(), true, false);
    }

    /**
     * Counts what happens now and then rather than in every batch — a table compacted every tenth
     * batch, the milliseconds it took: the progress line shows it only in the batches that counted
     * something, where a 0 on every other line would be noise.
     */
    public static Counter occasional(SparkSession spark, String group, String name) {
        return new Counter(spark, group, name, Optional.empty(), false, true);
    }

    public String group() {
        return group;
    }

    public String name() {
        return name;
    }

    /** The bad-record policy the records it counts were rejected under; empty for counters of anything else. */
    public Optional<String> policy() {
        return Optional.ofNullable(policy);
    }

    /** Whether it counts failures, in failed task attempts too ({@link #failures}). */
    public boolean countsFailures() {
        return failures;
    }

    /** Whether it counts what happens now and then ({@link #occasional}): a batch's 0 need not be said. */
    public boolean occasional() {
        return occasional;
    }

    /**
     * Adds to the count of the batch the calling task belongs to — or, called on the driver
     * while a batch runs (a batch sink's writer), of that batch.
     */
    public void add(long count) {
        add(NO_REASON, count);
    }

    /**
     * Adds to the count of the batch the calling task belongs to, under a reason — a short,
     * fixed word such as {@code value_not_json}, never a record's content: it becomes a label.
     */
    public void add(String reason, long count) {
        counts.add(Map.entry(requireNonNull(reason, "reason is null"), count));
    }

    /** The count of one batch (0 when nothing was counted in it); on the driver. */
    public long count(long batchId) {
        return counts.value().getOrDefault(batchId, Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** The count over every batch so far; on the driver. */
    public long total() {
        return totalsByReason().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The count over every batch so far by reason ({@link #NO_REASON} for counts without one), sorted; on the driver. */
    public Map<String, Long> totalsByReason() {
        Map<String, Long> totals = new TreeMap<>();
        counts.value()
                .values()
                .forEach(byReason -> byReason.forEach((reason, count) -> totals.merge(reason, count, Long::sum)));
        return totals;
    }

    /** Counts by batch id (-1 for work outside any micro-batch), then by reason. */
    private static final class PerBatch extends AccumulatorV2<Map.Entry<String, Long>, Map<Long, Map<String, Long>>> {
        private static final long serialVersionUID = 1L;
        private final TreeMap<Long, Map<String, Long>> counts = new TreeMap<>();

        @Override
        public synchronized boolean isZero() {
            return counts.isEmpty();
        }

        @Override
        public synchronized AccumulatorV2<Map.Entry<String, Long>, Map<Long, Map<String, Long>>> copy() {
            PerBatch copy = new PerBatch();
            counts.forEach((batch, byReason) -> copy.counts.put(batch, new TreeMap<>(byReason)));
            return copy;
        }

        @Override
        public synchronized void reset() {
            counts.clear();
        }

        @Override
        public synchronized void add(Map.Entry<String, Long> count) {
            TaskContext task = TaskContext.get();
            String batch = task != null ? task.getLocalProperty(BATCH_ID) : driverBatch();
            counts.computeIfAbsent(batch == null ? -1L : Long.parseLong(batch), b -> new TreeMap<>())
                    .merge(count.getKey(), count.getValue(), Long::sum);
        }

        /** The batch the driver's current thread runs (Spark sets the property on the query's thread), or null. */
        private static String driverBatch() {
            scala.Option<org.apache.spark.SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
            return active.isDefined() ? active.get().getLocalProperty(BATCH_ID) : null;
        }

        @Override
        public synchronized void merge(AccumulatorV2<Map.Entry<String, Long>, Map<Long, Map<String, Long>>> other) {
            other.value()
                    .forEach((batch, byReason) -> byReason.forEach((reason, count) ->
                            counts.computeIfAbsent(batch, b -> new TreeMap<>()).merge(reason, count, Long::sum)));
        }

        @Override
        public synchronized Map<Long, Map<String, Long>> value() {
            Map<Long, Map<String, Long>> copy = new TreeMap<>();
            counts.forEach((batch, byReason) -> copy.put(batch, Map.copyOf(byReason)));
            return copy;
        }
    }
}
