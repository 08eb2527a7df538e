package io.sluice.engine.metrics;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every batch's progress of the session's queries to a file, one JSON object per line
 * (Spark's own progress JSON, as {@code StreamingQueryProgress.json()} writes it, with the
 * pipeline's own counts of the batch under {@code "sluice": {"counts": {...}}} — records skipped
 * and dead-lettered, rows that broke each expectation — when it counts anything): the history
 * Spark does not keep — it holds the last 100 in memory ({@code
 * spark.sql.streaming.numRecentProgressUpdates}) — for {@code jq}, a log shipper or a notebook.
 * Appends, so a restarted pipeline continues the same file; each line is flushed when written.
 */
public final class ProgressLog extends StreamingQueryListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final SparkSession spark;
    private final Path file;
    private final BufferedWriter out;
    private boolean failed;

    private ProgressLog(SparkSession spark, Path file, BufferedWriter out) {
        this.spark = spark;
        this.file = file;
        this.out = out;
    }

    /**
     * Starts appending to {@code file} (created, with its directory, when missing).
     *
     * @throws UncheckedIOException in words, when the file cannot be opened for appending
     */
    public static ProgressLog attach(SparkSession spark, Path file) {
        requireNonNull(spark, "spark is null");
        requireNonNull(file, "file is null");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            BufferedWriter out = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProgressLog log = new ProgressLog(spark, file, out);
            spark.streams().addListener(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot append the progress log to " + file + ": " + e.getMessage()
                            + "; give a file in a directory this process can write",
                    e);
        }
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        // a batch's progress says what a start would
    }

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
        if (failed) {
            return;
        }
        try {
            out.write(line(event.progress()));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            failed = true; // one warning, not one per batch; the pipeline goes on
            LOG.warn("cannot append to the progress log {}: no more lines are written", file, e);
        }
    }

    /** Spark's progress JSON, with the batch's counts of the plan the query runs when it counts anything. */
    private static String line(org.apache.spark.sql.streaming.StreamingQueryProgress progress) throws IOException {
        String json = progress.json();
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        if (progress.name() != null) {
            io.sluice.engine.pipeline.Launches.plan(progress.name())
                    .ifPresent(plan -> plan.counters().stream()
                            .filter(counter -> !counter.countsFailures())
                            .forEach(counter -> counts.put(
                                    counter.group() + "." + counter.name(), counter.count(progress.batchId()))));
        }
        if (counts.isEmpty()) {
            return json;
        }
        com.fasterxml.jackson.databind.node.ObjectNode node =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        com.fasterxml.jackson.databind.node.ObjectNode counted =
                node.putObject("sluice").putObject("counts");
        counts.forEach(counted::put);
        return JSON.writeValueAsString(node);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // no batch, no line
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        // the last batch's line was written
    }

    /** Stops appending and closes the file. */
    @Override
    public synchronized void close() {
        spark.streams().removeListener(this);
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("cannot close the progress log {}", file, e);
        }
    }
}
