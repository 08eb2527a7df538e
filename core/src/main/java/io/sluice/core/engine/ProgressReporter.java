package io.sluice.core.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructField;

/**
 * One line per micro-batch for people watching a pipeline: batch id, rows, rows per second,
 * records still behind the latest offset, and the pipeline's own counters (such as skipped
 * or dead-lettered records), e.g.
 *
 * <pre>
 * [orders] batch 3: 5,000 rows at 21,300 rows/s, 12,500 behind latest, kafka.decode: deadLettered=12
 * </pre>
 *
 * <p>A {@link StreamingQueryListener}, so it sees every query of the session, including side
 * queries, without polling; {@link #attach} limits it to chosen query names. "Behind latest"
 * is computed from the source's {@code endOffset} and {@code latestOffset} when they are
 * per-partition numbers (Kafka's are), and left out otherwise.
 */
public final class ProgressReporter extends StreamingQueryListener implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProgressReporter.class);

    private final SparkSession spark;
    private final Set<String> queryNames;
    private final Consumer<String> out;

    private ProgressReporter(SparkSession spark, Set<String> queryNames, Consumer<String> out) {
        this.spark = spark;
        this.queryNames = Set.copyOf(queryNames);
        this.out = out;
    }

    /**
     * Reports the progress of the named queries (every query when {@code queryNames} is
     * empty) to {@code out}, until {@link #close()}.
     */
    public static ProgressReporter attach(SparkSession spark, Set<String> queryNames, Consumer<String> out) {
        requireNonNull(spark, "spark is null");
        requireNonNull(queryNames, "queryNames is null");
        requireNonNull(out, "out is null");
        ProgressReporter reporter = new ProgressReporter(spark, queryNames, out);
        spark.streams().addListener(reporter);
        return reporter;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        // the first progress line says enough
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        if (queryNames.isEmpty() || queryNames.contains(progress.name())) {
            out.accept(format(progress));
        }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // nothing new to say while no data arrives
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        // the handle reports how a query ended
    }

    /** The progress line for one batch. */
    public static String format(StreamingQueryProgress progress) {
        StringBuilder line = new StringBuilder()
                .append('[').append(progress.name()).append("] batch ").append(progress.batchId()).append(": ")
                .append(number(progress.numInputRows())).append(" rows");
        double rate = progress.processedRowsPerSecond();
        if (!Double.isNaN(rate) && progress.numInputRows() > 0) {
            line.append(" at ").append(number(Math.round(rate))).append(" rows/s");
        }
        OptionalLong behind = behindLatest(progress.sources());
        if (behind.isPresent()) {
            line.append(", ").append(number(behind.getAsLong())).append(" behind latest");
        }
        QueryCounters.batch(progress.id(), progress.batchId()).forEach((group, counts) -> {
            line.append(", ").append(group).append(':');
            counts.forEach((name, count) -> line.append(' ').append(name).append('=').append(number(count)));
        });
        for (Map.Entry<String, Row> metrics : new java.util.TreeMap<>(progress.observedMetrics()).entrySet()) {
            line.append(", ").append(metrics.getKey()).append(':');
            Row row = metrics.getValue();
            StructField[] fields = row.schema().fields();
            for (int i = 0; i < fields.length; i++) {
                Object value = row.get(i);
                line.append(' ').append(fields[i].name()).append('=')
                        .append(value instanceof Number n ? number(n.longValue()) : String.valueOf(value));
            }
        }
        return line.toString();
    }

    /** Sum over sources and partitions of latest minus end offset; empty when offsets are not per-partition numbers. */
    static OptionalLong behindLatest(SourceProgress[] sources) {
        long total = 0;
        boolean known = false;
        for (SourceProgress source : sources) {
            try {
                JsonNode end = parse(source.endOffset());
                JsonNode latest = parse(source.latestOffset());
                if (end == null || latest == null || !end.isObject() || !latest.isObject()) {
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext(); ) {
                    Map.Entry<String, JsonNode> topic = topics.next();
                    for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
                        Map.Entry<String, JsonNode> part = parts.next();
                        JsonNode done = end.path(topic.getKey()).path(part.getKey());
                        if (part.getValue().canConvertToLong() && done.canConvertToLong()) {
                            total += Math.max(0, part.getValue().asLong() - done.asLong());
                            known = true;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // offsets that are not JSON (e.g. a file source's): this source adds nothing
                LOG.debug("offsets of {} are not per-partition JSON", source.description(), e);
            }
        }
        return known ? OptionalLong.of(total) : OptionalLong.empty();
    }

    private static JsonNode parse(String json) throws java.io.IOException {
        return json == null ? null : JSON.readTree(json);
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
