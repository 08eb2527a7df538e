package io.sluice.engine.metrics;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import io.sluice.engine.pipeline.Launches;
import io.sluice.engine.pipeline.PipelinePlan;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.Expectations;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructField;

/**
 * One line per micro-batch for people watching a pipeline: batch id, records read and how fast,
 * rows written (where the sink says: Spark's file sinks do not), records still behind the
 * latest offset, and the pipeline's own counters (such as skipped or dead-lettered records), e.g.
 *
 * <pre>
 * [orders] batch 3: 5,000 records in at 21,300/s, 4,988 rows written, 12,500 behind latest, kafka.decode: deadLettered=12
 * </pre>
 *
 * <p>A {@link StreamingQueryListener}, so it sees every batch without polling. It reports every
 * pipeline this process starts until it is told to {@link #follow follow} some, and then those
 * only. A line needs, besides Spark's progress, what the pipeline's plan holds: the source, which
 * says how far behind it is ({@code StreamSource.backlog}, left out when it cannot tell), and the
 * run's counters — of the run that made the batch: after a restart a pipeline asked for (a schema
 * registered after start), the restarted run's plan, whose counters count its batches.
 */
public final class ProgressReporter extends StreamingQueryListener implements AutoCloseable {
    private final SparkSession spark;
    private final Consumer<String> out;
    /** The plans followed, by the name their query runs under: a restart's plan replaces the last run's. */
    private final Map<String, PipelinePlan> followed = new ConcurrentHashMap<>();

    private ProgressReporter(SparkSession spark, Consumer<String> out) {
        this.spark = spark;
        this.out = out;
    }

    /**
     * Reports to {@code out} the progress of every pipeline this process starts — of those it is
     * told to {@link #follow}, once told — until {@link #close()}.
     */
    public static ProgressReporter attach(SparkSession spark, Consumer<String> out) {
        requireNonNull(spark, "spark is null");
        requireNonNull(out, "out is null");
        ProgressReporter reporter = new ProgressReporter(spark, out);
        spark.streams().addListener(reporter);
        return reporter;
    }

    /**
     * Reports the batches of the query that starts from {@code plan}, with its source's
     * backlog and its counters, and from now on only those of the plans followed; returns the
     * plan, to start it: {@code pipeline.start(reporter.follow(pipeline.validate()))}.
     */
    public PipelinePlan follow(PipelinePlan plan) {
        followed.put(requireNonNull(plan, "plan is null").queryName(), plan);
        return plan;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        // the first progress line says enough
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        if (progress.name() == null || (!followed.isEmpty() && !followed.containsKey(progress.name()))) {
            return;
        }
        // the plan the query of this name was last started from: a restart's, whose counters counted this batch
        Optional<PipelinePlan> plan =
                Launches.plan(progress.name()).or(() -> Optional.ofNullable(followed.get(progress.name())));
        plan.ifPresent(current -> out.accept(format(progress, current)));
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // nothing new to say while no data arrives
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        // the handle reports how a query ended
    }

    /** The progress line for one batch of the query started from {@code plan}. */
    public static String format(StreamingQueryProgress progress, PipelinePlan plan) {
        StringBuilder line = new StringBuilder()
                .append('[')
                .append(progress.name())
                .append("] batch ")
                .append(progress.batchId())
                .append(": ")
                .append(number(progress.numInputRows()))
                .append(progress.numInputRows() == 1 ? " record in" : " records in");
        double rate = progress.processedRowsPerSecond();
        if (!Double.isNaN(rate) && progress.numInputRows() > 0) {
            line.append(" at ").append(number(Math.round(rate))).append("/s");
        }
        long written = progress.sink() == null ? -1 : progress.sink().numOutputRows();
        if (written >= 0) {
            line.append(", ").append(number(written)).append(written == 1 ? " row written" : " rows written");
        }
        OptionalLong behind = plan.backlog(progress.sources());
        if (behind.isPresent()) {
            line.append(", ").append(number(behind.getAsLong())).append(" behind latest");
        }
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        List<String> expected = new java.util.ArrayList<>();
        for (Counter counter : plan.counters()) {
            if (counter.countsFailures()) {
                continue; // what fails a task fails the batch: said when the query stops, not as 0 per line
            }
            Optional<Expectation> rule = Expectations.ruleOf(plan.definition(), counter);
            if (rule.isPresent()) { // expect: amount_positive dropped 12
                expected.add(", " + Expectations.GROUP + ": " + rule.get().name() + " "
                        + Expectations.outcome(rule.get().action()) + " " + number(counter.count(progress.batchId())));
                continue;
            }
            long count = counter.count(progress.batchId());
            if (counter.occasional() && count == 0) {
                continue; // a table compacted every tenth batch: said on that batch's line only
            }
            counts.computeIfAbsent(counter.group(), g -> new TreeMap<>()).put(counter.name(), count);
        }
        counts.forEach((group, byName) -> {
            line.append(", ").append(group).append(':');
            byName.forEach(
                    (name, count) -> line.append(' ').append(name).append('=').append(number(count)));
        });
        expected.forEach(line::append);
        for (Map.Entry<String, Row> metrics : new TreeMap<>(progress.observedMetrics()).entrySet()) {
            line.append(", ").append(metrics.getKey()).append(':');
            Row row = metrics.getValue();
            StructField[] fields = row.schema().fields();
            for (int i = 0; i < fields.length; i++) {
                Object value = row.get(i);
                line.append(' ')
                        .append(fields[i].name())
                        .append('=')
                        .append(value instanceof Number n ? number(n.longValue()) : String.valueOf(value));
            }
        }
        return line.toString();
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Stops reporting. */
    @Override
    public void close() {
        spark.streams().removeListener(this);
    }
}
