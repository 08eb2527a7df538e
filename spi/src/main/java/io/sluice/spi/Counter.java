package io.sluice.spi;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Map;
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

    private final String group;
    private final String name;
    private final PerBatch counts;

    /** Registers a counter with the session's SparkContext; the framework does this for {@link SourceContext#counter}. */
    public Counter(SparkSession spark, String group, String name) {
        requireNonNull(spark, "spark is null");
        this.group = requireNonNull(group, "group is null");
        this.name = requireNonNull(name, "name is null");
        this.counts = new PerBatch();
        spark.sparkContext().register(counts, group + "." + name);
    }

    public String group() {
        return group;
    }

    public String name() {
        return name;
    }

    /** Adds to the count of the batch the calling task belongs to. */
    public void add(long count) {
        counts.add(count);
    }

    /** The count of one batch (0 when nothing was counted in it); on the driver. */
    public long count(long batchId) {
        return counts.value().getOrDefault(batchId, 0L);
    }

    /** The count over every batch so far; on the driver. */
    public long total() {
        return counts.value().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts by batch id; -1 for work outside any micro-batch. */
    private static final class PerBatch extends AccumulatorV2<Long, Map<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private final TreeMap<Long, Long> counts = new TreeMap<>();

        @Override
        public synchronized boolean isZero() {
            return counts.isEmpty();
        }

        @Override
        public synchronized AccumulatorV2<Long, Map<Long, Long>> copy() {
            PerBatch copy = new PerBatch();
            copy.counts.putAll(counts);
            return copy;
        }

        @Override
        public synchronized void reset() {
            counts.clear();
        }

        @Override
        public synchronized void add(Long count) {
            TaskContext task = TaskContext.get();
            String batch = task == null ? null : task.getLocalProperty(BATCH_ID);
            counts.merge(batch == null ? -1L : Long.parseLong(batch), count, Long::sum);
        }

        @Override
        public synchronized void merge(AccumulatorV2<Long, Map<Long, Long>> other) {
            other.value().forEach((batch, count) -> counts.merge(batch, count, Long::sum));
        }

        @Override
        public synchronized Map<Long, Long> value() {
            return Map.copyOf(counts);
        }
    }
}
