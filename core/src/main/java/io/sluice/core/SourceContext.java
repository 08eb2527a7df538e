package io.sluice.core;

import org.apache.spark.sql.SparkSession;

/**
 * What a source may know and do while it builds its {@code Dataset}: the session, the
 * pipeline's name, the trigger and checkpoint, and
 * counters for what it sets aside.
 */
public interface SourceContext {

    SparkSession spark();

    String pipelineName();

    /** The pipeline's trigger: a source that supports real-time mode may check what it needs at start. */
    default StreamTrigger trigger() {
        return StreamTrigger.processingTime(java.time.Duration.ZERO);
    }

    /**
     * The raw stream a source decodes: Spark's streaming reader of {@code format} with these
     * options. A test run answers with its fixture instead — the batches the test declares, one
     * per trigger, in the columns of the source's {@link StreamSource#fixture} — so a source that
     * reads through here is tested with its own decoding and without its system.
     */
    default org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> stream(
            String format, java.util.Map<String, String> options) {
        return spark().readStream().format(format).options(options).load();
    }

    /**
     * Where the pipeline keeps its checkpoint, when it keeps one: a source may compare what
     * the checkpoint says it read with what is still there, before a query starts.
     */
    default java.util.Optional<String> checkpointLocation() {
        return java.util.Optional.empty();
    }

    /**
     * A counter that task code adds to, reported per batch in the pipeline's progress under
     * {@code group} (records skipped, dead-lettered): cheaper than {@code Dataset.observe} for
     * what is rare, see {@link Counter}.
     */
    default Counter counter(String group, String name) {
        return track(new Counter(spark(), group, name));
    }

    /** A counter of records rejected under a bad-record policy, by reason: see {@link Counter#rejected}. */
    default Counter rejected(String stage, String name, String policy) {
        return track(Counter.rejected(spark(), stage, name, policy));
    }

    /** A counter of what fails a task, in failed attempts too: see {@link Counter#failures}. */
    default Counter failures(String group, String name) {
        return track(Counter.failures(spark(), group, name));
    }

    /**
     * Where the framework keeps the counters it reports (the progress line, the metrics
     * endpoint); every counter a source makes through this context passes here. Identity by default.
     */
    default Counter track(Counter counter) {
        return counter;
    }

    /**
     * Whether the stream feeds a pipeline the framework runs (true), or is handed to the caller's
     * own code ({@code Sluice.read}), whose query the framework neither starts, commits nor watches.
     * A source that relies on the pipeline for part of its work — a dead letter written and counted
     * with each batch — refuses that work outside one, in its preflight, rather than doing it halfway.
     */
    @Evolving
    default boolean inPipeline() {
        return true;
    }

    /**
     * Tells what the source settled while planning that its columns alone do not say — the
     * schema a registry gave it, the reader version it picked — in one line for
     * {@code explain}. Ignored where nobody explains (a running pipeline logs it instead).
     */
    default void explain(String line) {}
}
