package io.sluice.engine.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sluice.engine.pipeline.Launches;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.pipeline.PipelinePlan;
import io.sluice.engine.plan.Expectations;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Turns Spark's events about the pipelines of this process into the metrics of
 * {@link SluiceMetric} and the state behind {@code /ready} and {@code /status}. A
 * {@link StreamingQueryListener} — it sees every batch as it commits, where a scrape every 15 s
 * would miss most of them — fed besides by the pipelines' own counters (records rejected,
 * dead-letter failures), read at scrape time. Not Spark's metrics system: its names embed the
 * application id and carry no labels.
 *
 * <p>Only pipelines follow: queries Sluice did not start ({@link Launches}) are left alone.
 */
final class PipelineMetrics extends StreamingQueryListener {
    /** Spark's phases of a micro-batch, as its progress names them. */
    static final List<String> PHASES =
            List.of("addBatch", "getBatch", "latestOffset", "queryPlanning", "walCommit", "commitOffsets");

    private final SparkSession spark;
    private final boolean perPartition;
    /** By query name: a restart (same id from its checkpoint, or a new one from a temporary checkpoint) replaces the last run. */
    private final Map<String, QueryState> queries = new ConcurrentHashMap<>();

    private final BiConsumer<PipelinePlan, PipelineHandle> onStart = this::started;

    private final Info info;
    private final Info upstream;
    private final Counter restarts;
    private final Gauge lastProgress;
    private final Counter batches;
    private final Histogram duration;
    private final Counter phases;
    private final Counter input;
    private final Counter output;
    private final Gauge inputRate;
    private final Gauge processedRate;
    private final Gauge backlog;
    private final Gauge backlogSpread;
    private final Gauge backlogByPartition;
    private final Gauge watermark;
    private final Gauge watermarkLag;
    private final Gauge stateRows;
    private final Gauge stateMemory;
    private final Counter stateDropped;

    PipelineMetrics(SparkSession spark, PrometheusRegistry registry, boolean perPartition) {
        this.spark = spark;
        this.perPartition = perPartition;
        info = SluiceMetric.PIPELINE_INFO.describe(Info.builder()).register(registry);
        upstream = SluiceMetric.PIPELINE_UPSTREAM.describe(Info.builder()).register(registry);
        // from the queries' states at scrape time, which see a stop the moment the handle does
        stateGauge(SluiceMetric.QUERY_UP, QueryState.Phase.ACTIVE, registry);
        stateGauge(SluiceMetric.QUERY_FAILED, QueryState.Phase.FAILED, registry);
        restarts = counter(SluiceMetric.RESTARTS, registry);
        lastProgress = gauge(SluiceMetric.LAST_PROGRESS, registry);
        batches = counter(SluiceMetric.BATCHES, registry);
        duration = SluiceMetric.BATCH_DURATION
                .describe(Histogram.builder())
                .classicOnly()
                .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
                .register(registry);
        phases = counter(SluiceMetric.BATCH_PHASE, registry);
        input = counter(SluiceMetric.INPUT_RECORDS, registry);
        output = counter(SluiceMetric.OUTPUT_RECORDS, registry);
        inputRate = gauge(SluiceMetric.INPUT_RATE, registry);
        processedRate = gauge(SluiceMetric.PROCESSED_RATE, registry);
        backlog = gauge(SluiceMetric.BACKLOG, registry);
        backlogSpread = gauge(SluiceMetric.BACKLOG_SPREAD, registry);
        backlogByPartition = gauge(SluiceMetric.BACKLOG_BY_PARTITION, registry);
        watermark = gauge(SluiceMetric.WATERMARK, registry);
        watermarkLag = gauge(SluiceMetric.WATERMARK_LAG, registry);
        stateRows = gauge(SluiceMetric.STATE_ROWS, registry);
        stateMemory = gauge(SluiceMetric.STATE_MEMORY, registry);
        stateDropped = counter(SluiceMetric.STATE_DROPPED, registry);
        SluiceMetric.REJECTED
                .describe(CounterWithCallback.builder())
                .callback(callback -> eachCounter((state, counter) -> counter.policy()
                        .ifPresent(policy -> counter.totalsByReason()
                                .forEach((reason, total) -> callback.call(
                                        total,
                                        state.pipeline(),
                                        state.query(),
                                        counter.group(),
                                        policy,
                                        reason.isEmpty() ? "unspecified" : reason)))))
                .register(registry);
        SluiceMetric.EXPECTATION_ROWS
                .describe(CounterWithCallback.builder())
                .callback(callback -> eachCounter((state, counter) -> Expectations.ruleOf(
                                state.plan().definition(), counter)
                        .ifPresent(rule -> callback.call(
                                counter.total(),
                                state.pipeline(),
                                state.query(),
                                rule.name(),
                                rule.action().key(),
                                Expectations.outcome(rule.action())))))
                .register(registry);
        SluiceMetric.WRITE_FAILURES
                .describe(CounterWithCallback.builder())
                .callback(callback -> eachCounter((state, counter) -> {
                    if (counter.countsFailures()) {
                        callback.call(counter.total(), state.pipeline(), state.query(), counter.group());
                    }
                }))
                .register(registry);
        SluiceMetric.CONNECTOR_COUNTS
                .describe(CounterWithCallback.builder())
                .callback(callback -> eachCounter((state, counter) -> {
                    if (counter.policy().isEmpty()
                            && !counter.countsFailures()
                            && Expectations.ruleOf(state.plan().definition(), counter)
                                    .isEmpty()) {
                        callback.call(
                                counter.total(), state.pipeline(), state.query(), counter.group(), counter.name());
                    }
                }))
                .register(registry);
    }

    private void stateGauge(SluiceMetric metric, QueryState.Phase phase, PrometheusRegistry registry) {
        metric.describe(GaugeWithCallback.builder())
                .callback(callback -> queries.values()
                        .forEach(state ->
                                callback.call(state.phase() == phase ? 1 : 0, state.pipeline(), state.query())))
                .register(registry);
    }

    private static Gauge gauge(SluiceMetric metric, PrometheusRegistry registry) {
        return metric.describe(Gauge.builder()).register(registry);
    }

    private static Counter counter(SluiceMetric metric, PrometheusRegistry registry) {
        return metric.describe(Counter.builder()).register(registry);
    }

    /** Listens to the session, and takes in the pipelines already running. */
    void attach() {
        Launches.watch(onStart);
        spark.streams().addListener(this);
        for (StreamingQuery query : spark.streams().active()) {
            Launches.plan(query.name()).ifPresent(plan -> {
                track(plan, query.id(), query.runId());
                Launches.handle(query.name()).ifPresent(handle -> started(plan, handle));
            });
        }
    }

    void detach() {
        spark.streams().removeListener(this);
        Launches.unwatch(onStart);
    }

    /** The queries followed, for health; a restarted query is one entry, its latest run. */
    Collection<QueryState> queries() {
        return List.copyOf(queries.values());
    }

    private void eachCounter(BiConsumer<QueryState, io.sluice.core.Counter> each) {
        for (QueryState state : queries.values()) {
            state.plan().counters().forEach(counter -> each.accept(state, counter));
        }
    }

    private void started(PipelinePlan plan, PipelineHandle handle) {
        QueryState state = queries.get(plan.queryName());
        if (state != null && state.id().equals(handle.id())) {
            state.handle(handle);
        }
        handle.restartReason()
                .ifPresent(reason -> restarts.labelValues(plan.definition().name(), plan.queryName(), reason)
                        .inc());
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        if (event.name() != null) {
            Launches.plan(event.name()).ifPresent(plan -> track(plan, event.id(), event.runId()));
        }
    }

    private void track(PipelinePlan plan, UUID id, UUID runId) {
        String pipeline = plan.definition().name();
        String query = plan.queryName();
        QueryState previous = queries.get(query);
        if (previous != null) {
            info.remove(previous.infoLabels());
        }
        QueryState state = new QueryState(
                plan, id, runId, spark.sparkContext().applicationId(), spark.version(), idleReportInterval());
        queries.put(query, state);
        info.addLabelValues(state.infoLabels());
        plan.neighbours().upstream().forEach(from -> upstream.addLabelValues(pipeline, query, from));
        lastProgress.labelValues(pipeline, query).set(seconds(state.lastHeard()));
        batches.initLabelValues(pipeline, query);
        restarts.initLabelValues(pipeline, query, "resumed");
        restarts.initLabelValues(pipeline, query, "recovered");
        PHASES.forEach(phase -> phases.initLabelValues(pipeline, query, phase));
        input.initLabelValues(pipeline, query, plan.definition().sourceName());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        QueryState state = progress.name() == null ? null : queries.get(progress.name());
        if (state == null || !state.runId().equals(progress.runId())) {
            return;
        }
        String pipeline = state.pipeline();
        String query = state.query();
        Instant at = Instant.parse(progress.timestamp());
        state.progressed(progress.batchId(), at);
        lastProgress.labelValues(pipeline, query).set(seconds(at));
        batches.labelValues(pipeline, query).inc();
        Map<String, Long> durations = progress.durationMs();
        Long total = durations.get("triggerExecution");
        if (total != null) {
            duration.labelValues(pipeline, query).observe(total / 1000.0);
        }
        for (String phase : PHASES) {
            Long ms = durations.get(phase);
            if (ms != null) {
                phases.labelValues(pipeline, query, phase).inc(ms / 1000.0);
            }
        }
        String source = state.plan().definition().sourceName();
        input.labelValues(pipeline, query, source).inc(Math.max(0, progress.numInputRows()));
        if (state.plan().definition().fansOut()) {
            // each sink of several by its name: the rows it got in the batch
            io.sluice.engine.plan.FanOut.written(state.plan().counters())
                    .forEach(counter ->
                            output.labelValues(pipeline, query, counter.name()).inc(counter.count(progress.batchId())));
        } else if (progress.sink() != null && progress.sink().numOutputRows() >= 0) {
            output.labelValues(pipeline, query, state.plan().definition().sinkName())
                    .inc(progress.sink().numOutputRows());
        }
        finite(progress.inputRowsPerSecond(), inputRate.labelValues(pipeline, query));
        finite(progress.processedRowsPerSecond(), processedRate.labelValues(pipeline, query));
        backlog(state, progress, source);
        watermark(state, progress, at);
        stateOperators(state, progress);
    }

    private void backlog(QueryState state, StreamingQueryProgress progress, String source) {
        Map<String, Long> behind = state.plan().backlogByPartition(progress.sources());
        if (behind.isEmpty()) {
            return;
        }
        String pipeline = state.pipeline();
        String query = state.query();
        LongSummaryStatistics stats =
                behind.values().stream().mapToLong(Long::longValue).summaryStatistics();
        backlog.labelValues(pipeline, query, source).set(stats.getSum());
        backlogSpread.labelValues(pipeline, query, source, "min").set(stats.getMin());
        backlogSpread.labelValues(pipeline, query, source, "max").set(stats.getMax());
        backlogSpread.labelValues(pipeline, query, source, "avg").set(stats.getAverage());
        if (perPartition) {
            behind.forEach((partition, records) -> backlogByPartition
                    .labelValues(pipeline, query, source, partition)
                    .set(records));
        }
    }

    private void watermark(QueryState state, StreamingQueryProgress progress, Instant at) {
        String text = progress.eventTime().get("watermark");
        if (text == null) {
            return;
        }
        Instant mark = Instant.parse(text);
        watermark.labelValues(state.pipeline(), state.query()).set(seconds(mark));
        if (mark.isAfter(Instant.EPOCH)) { // before the first event time is seen, Spark's watermark is 0
            watermarkLag
                    .labelValues(state.pipeline(), state.query())
                    .set(Duration.between(mark, at).toMillis() / 1000.0);
        }
    }

    private void stateOperators(QueryState state, StreamingQueryProgress progress) {
        StateOperatorProgress[] operators = progress.stateOperators();
        Map<String, Integer> seen = new HashMap<>();
        for (StateOperatorProgress operator : operators) {
            int index = seen.merge(operator.operatorName(), 1, Integer::sum);
            String name = index == 1 ? operator.operatorName() : operator.operatorName() + "#" + index;
            stateRows.labelValues(state.pipeline(), state.query(), name).set(operator.numRowsTotal());
            stateMemory.labelValues(state.pipeline(), state.query(), name).set(operator.memoryUsedBytes());
            stateDropped
                    .labelValues(state.pipeline(), state.query(), name)
                    .inc(Math.max(0, operator.numRowsDroppedByWatermark()));
        }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        QueryState state = byRun(event.runId());
        if (state != null) {
            Instant at = Instant.parse(event.timestamp());
            state.heard(at);
            lastProgress.labelValues(state.pipeline(), state.query()).set(seconds(at));
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        QueryState state = byRun(event.runId());
        if (state == null) {
            return;
        }
        Optional<String> failure = event.exception().isDefined()
                ? Optional.of(state.handle()
                        .flatMap(PipelineHandle::failureMessage)
                        .orElseGet(() ->
                                event.exception().get().lines().findFirst().orElse("")))
                : Optional.empty();
        state.terminated(failure.map(words -> state.plan().mask(words)));
    }

    /** The state of the run with this id: events after the start name the run, not the query. */
    private QueryState byRun(UUID runId) {
        for (QueryState state : queries.values()) {
            if (state.runId().equals(runId)) {
                return state;
            }
        }
        return null;
    }

    private static void finite(double value, io.prometheus.metrics.core.datapoints.GaugeDataPoint gauge) {
        if (Double.isFinite(value)) {
            gauge.set(value);
        }
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private Duration idleReportInterval() {
        return Duration.ofMillis(spark.sessionState()
                .conf()
                .getConfString("spark.sql.streaming.noDataProgressEventInterval", "10000")
                .transform(PipelineMetrics::millis));
    }

    private static long millis(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return org.apache.spark.network.util.JavaUtils.timeStringAsMs(text);
        }
    }
}
