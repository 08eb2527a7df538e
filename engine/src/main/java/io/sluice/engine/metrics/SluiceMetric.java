package io.sluice.engine.metrics;

import io.prometheus.metrics.core.metrics.MetricWithFixedMetadata;
import java.util.List;
import java.util.Locale;

/**
 * Every metric the endpoint serves, in one place: its name as Prometheus shows it, its type,
 * labels and meaning. The instruments are built from these entries and the reference page's
 * table is generated from them, so the two cannot disagree.
 *
 * <p>Names follow Prometheus' conventions — base units ({@code _seconds}, {@code _bytes}),
 * {@code _total} for counters, {@code _info} for the one series of facts — and never embed
 * an application or run id (Spark's own servlet does, which breaks every dashboard at each
 * restart): those are labels of {@code sluice_pipeline_info} only.
 */
public enum SluiceMetric {
    PIPELINE_UPSTREAM(
            "sluice_pipeline_upstream_info",
            Type.INFO,
            "Which pipeline of the run feeds which: 1 per query and each pipeline whose output it reads",
            "pipeline",
            "query",
            "upstream"),
    PIPELINE_INFO(
            "sluice_pipeline_info",
            Type.INFO,
            "The pipelines of this process and their run: 1 per query run",
            "pipeline",
            "query",
            "source",
            "sink",
            "trigger",
            "query_id",
            "run_id",
            "app_id",
            "spark_version"),
    QUERY_UP("sluice_query_up", Type.GAUGE, "1 while the query runs, 0 once it stopped or failed", "pipeline", "query"),
    QUERY_FAILED("sluice_query_failed", Type.GAUGE, "1 when the query stopped because it failed", "pipeline", "query"),
    RESTARTS(
            "sluice_query_restarts_total",
            Type.COUNTER,
            "Starts from a checkpoint that had batches: reason resumed (none was in flight) or recovered (an"
                    + " interrupted batch is redone)",
            "pipeline",
            "query",
            "reason"),
    LAST_PROGRESS(
            "sluice_query_last_progress_timestamp_seconds",
            Type.GAUGE,
            "When the query last reported a batch or that it is idle (Unix time): alert when it falls behind",
            "pipeline",
            "query"),
    BATCHES("sluice_batches_total", Type.COUNTER, "Micro-batches completed and committed", "pipeline", "query"),
    BATCH_DURATION(
            "sluice_batch_duration_seconds",
            Type.HISTOGRAM,
            "How long each micro-batch took, end to end (Spark's triggerExecution)",
            "pipeline",
            "query"),
    BATCH_PHASE(
            "sluice_batch_phase_seconds_total",
            Type.COUNTER,
            "Time spent in each phase of the batches: addBatch, getBatch, latestOffset, queryPlanning, walCommit,"
                    + " commitOffsets",
            "pipeline",
            "query",
            "phase"),
    INPUT_RECORDS(
            "sluice_input_records_total",
            Type.COUNTER,
            "Records read from the source (before bad records are set aside)",
            "pipeline",
            "query",
            "source"),
    OUTPUT_RECORDS(
            "sluice_output_records_total",
            Type.COUNTER,
            "Rows written by the sink, where the sink reports it; by each sink's name for a pipeline with several",
            "pipeline",
            "query",
            "sink"),
    INPUT_RATE(
            "sluice_input_records_per_second",
            Type.GAUGE,
            "Records arriving per second over the last batch (Spark's inputRowsPerSecond)",
            "pipeline",
            "query"),
    PROCESSED_RATE(
            "sluice_processed_records_per_second",
            Type.GAUGE,
            "Records processed per second of batch time in the last batch (Spark's processedRowsPerSecond)",
            "pipeline",
            "query"),
    BACKLOG(
            "sluice_source_backlog_records",
            Type.GAUGE,
            "Records still to read after the last batch, summed over the source's partitions (Kafka: latest minus"
                    + " end offsets)",
            "pipeline",
            "query",
            "source"),
    BACKLOG_SPREAD(
            "sluice_source_partition_backlog_records",
            Type.GAUGE,
            "Records still to read per partition after the last batch: the least (stat=min), most (max) and mean"
                    + " (avg) over partitions",
            "pipeline",
            "query",
            "source",
            "stat"),
    BACKLOG_BY_PARTITION(
            "sluice_source_backlog_by_partition_records",
            Type.GAUGE,
            "Records still to read in each partition; only with perPartition: true (one series per partition)",
            "pipeline",
            "query",
            "source",
            "partition"),
    WATERMARK(
            "sluice_watermark_timestamp_seconds",
            Type.GAUGE,
            "The event-time watermark after the last batch (Unix time); absent without a watermark",
            "pipeline",
            "query"),
    WATERMARK_LAG(
            "sluice_watermark_lag_seconds",
            Type.GAUGE,
            "How far the watermark is behind the time of the last batch: late data waits, and windows close,"
                    + " this much later",
            "pipeline",
            "query"),
    STATE_ROWS(
            "sluice_state_rows", Type.GAUGE, "Rows in each stateful operator's state", "pipeline", "query", "operator"),
    STATE_MEMORY(
            "sluice_state_memory_bytes",
            Type.GAUGE,
            "Memory used by each stateful operator's state store",
            "pipeline",
            "query",
            "operator"),
    STATE_DROPPED(
            "sluice_state_rows_dropped_by_watermark_total",
            Type.COUNTER,
            "Rows each stateful operator dropped as later than the watermark",
            "pipeline",
            "query",
            "operator"),
    REJECTED(
            "sluice_records_rejected_total",
            Type.COUNTER,
            "Records set aside by a bad-record policy: by stage (kafka.decode), policy (skip, dead_letter) and"
                    + " reason (value_not_json, value_null, key_not_json)",
            "pipeline",
            "query",
            "stage",
            "policy",
            "reason"),
    EXPECTATION_ROWS(
            "sluice_expectation_rows_total",
            Type.COUNTER,
            "Rows that broke an expectation, by rule, its action (warn, drop, fail, quarantine) and what became"
                    + " of the rows (written, dropped, failed, quarantined)",
            "pipeline",
            "query",
            "rule",
            "action",
            "outcome"),
    WRITE_FAILURES(
            "sluice_write_failures_total",
            Type.COUNTER,
            "Failed writes of a connector's own output, failed task attempts included: stage kafka.deadLetter counts"
                    + " bad records the dead letter could not take",
            "pipeline",
            "query",
            "stage"),
    CONNECTOR_COUNTS(
            "sluice_connector_count_total",
            Type.COUNTER,
            "What a connector counts of its own work, by group and name: group delta.maintenance counts a Delta sink's"
                    + " compactions and vacuums (optimized_files, optimize_ms, optimize_failures, vacuumed_files, vacuum_ms,"
                    + " vacuum_failures)",
            "pipeline",
            "query",
            "group",
            "name");

    /** How a metric behaves, as Prometheus types it. */
    public enum Type {
        COUNTER,
        GAUGE,
        HISTOGRAM,
        INFO
    }

    private final String name;
    private final Type type;
    private final String help;
    private final List<String> labels;

    SluiceMetric(String name, Type type, String help, String... labels) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labels = List.of(labels);
    }

    /** The name as scraped (with {@code _total}, {@code _info}). */
    public String exposedName() {
        return name;
    }

    /** The name the Prometheus client is given: it adds {@code _total} and {@code _info} itself. */
    String clientName() {
        return switch (type) {
            case COUNTER -> name.substring(0, name.length() - "_total".length());
            case INFO -> name.substring(0, name.length() - "_info".length());
            default -> name;
        };
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    public List<String> labels() {
        return labels;
    }

    /** A Prometheus client builder given this metric's name, help and labels: one place for what every instrument needs. */
    <B extends MetricWithFixedMetadata.Builder<B, M>, M extends MetricWithFixedMetadata> B describe(B builder) {
        return builder.name(clientName()).help(help).labelNames(labels.toArray(String[]::new));
    }

    /** The reference table of every metric, in Markdown: name, type, labels, meaning. */
    public static String table() {
        StringBuilder table = new StringBuilder("| Metric | Type | Labels | Meaning |\n|---|---|---|---|\n");
        for (SluiceMetric metric : values()) {
            table.append("| `")
                    .append(metric.name)
                    .append("` | ")
                    .append(metric.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(String.join(", ", metric.labels))
                    .append(" | ")
                    .append(metric.help)
                    .append(" |\n");
        }
        return table.toString();
    }
}
