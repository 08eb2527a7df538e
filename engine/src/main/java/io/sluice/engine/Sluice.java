package io.sluice.engine;

import static java.util.Objects.requireNonNull;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.catalog.Redaction;
import io.sluice.engine.catalog.SessionSettings;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.metrics.MetricsEndpoint;
import io.sluice.engine.metrics.MetricsSettings;
import io.sluice.engine.metrics.ProgressLog;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.ShutdownStop;
import io.sluice.engine.pipeline.SourceReader;
import io.sluice.engine.run.LocalCheckpointFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point: a SparkSession plus the connectors found on the class path.
 *
 * <p>{@link #embedded()} gives a local session tuned for one machine (the default for
 * development, tests and the demo); {@link #using(SparkSession)} adopts a session the user
 * already has, such as the one {@code spark-submit} created on a cluster. Sluice stops only
 * a session it created itself.
 */
public final class Sluice implements AutoCloseable {
    private final SparkSession spark;
    private final ConnectorRegistry connectors;
    private final boolean ownsSession;
    private final List<AutoCloseable> closeWithSession = new CopyOnWriteArrayList<>();

    private Sluice(SparkSession spark, ConnectorRegistry connectors, boolean ownsSession) {
        this.spark = requireNonNull(spark, "spark is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.ownsSession = ownsSession;
        Redaction.apply(spark, connectors);
    }

    /** A local session on every core ({@code local[*]}), with the settings in {@link #embeddedSettings()}. */
    public static Sluice embedded() {
        return embedded(Map.of());
    }

    /**
     * A local session; {@code sparkConf} adds to or overrides {@link #embeddedSettings()}, and
     * the session settings the connectors on the class path declare (a SQL extension, a
     * catalog) are set too.
     */
    public static Sluice embedded(Map<String, String> sparkConf) {
        requireNonNull(sparkConf, "sparkConf is null");
        boolean existed = SparkSession.getDefaultSession().isDefined();
        ConnectorRegistry registry = defaultRegistry();
        SparkSession.Builder builder = SparkSession.builder();
        Map<String, String> settings = SessionSettings.overlay(
                SessionSettings.overlay(embeddedSettings(), SessionSettings.forNewSession(registry)), sparkConf);
        settings.forEach(builder::config);
        return new Sluice(builder.getOrCreate(), registry, !existed);
    }

    /** Adopts an existing session; {@link #close()} leaves it running. */
    public static Sluice using(SparkSession spark) {
        return new Sluice(spark, defaultRegistry(), false);
    }

    /** Adopts an existing session with a chosen set of connectors (tests, embedding applications). */
    public static Sluice using(SparkSession spark, ConnectorRegistry connectors) {
        return new Sluice(spark, connectors, false);
    }

    /**
     * The embedded defaults: local on every core, loopback only (no firewall prompts, no
     * exposure), no web UI (set {@code spark.ui.enabled=true} to get it), and shuffle
     * partitions sized to the cores instead of Spark's 200, which on one machine makes
     * every stateful micro-batch schedule 200 tiny tasks, and checkpoint files on a local disk
     * written without a process forked per file ({@link LocalCheckpointFiles}: about 70 ms a
     * file with Spark's own, three or more files a micro-batch).
     */
    public static Map<String, String> embeddedSettings() {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.master", "local[*]");
        settings.put("spark.app.name", "sluice");
        settings.put("spark.ui.enabled", "false");
        settings.put("spark.driver.host", "127.0.0.1");
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        settings.put("spark.sql.shuffle.partitions", String.valueOf(Math.max(1, cores)));
        settings.put("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true");
        settings.put(LocalCheckpointFiles.SETTING, LocalCheckpointFiles.class.getName());
        return Map.copyOf(settings);
    }

    private static ConnectorRegistry defaultRegistry() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return ConnectorRegistry.load(loader != null ? loader : Sluice.class.getClassLoader());
    }

    public SparkSession spark() {
        return spark;
    }

    public ConnectorRegistry connectors() {
        return connectors;
    }

    /** Starts declaring a pipeline; its name is also the default query name. */
    public PipelineBuilder pipeline(String name) {
        return new PipelineBuilder(spark, connectors, name);
    }

    /**
     * The validated streaming {@code Dataset} of a source, without a pipeline: to look at its
     * schema, or to go on with plain Spark.
     *
     * @throws ValidationException with every problem of the options
     */
    public Dataset<Row> read(String source, Map<String, String> options) {
        return SourceReader.read(spark, connectors, source, options);
    }

    /**
     * Serves metrics and health for every pipeline started on this session, until
     * {@link #close()}: {@code /metrics}, {@code /live}, {@code /ready}, {@code /status} (see
     * {@link MetricsEndpoint}).
     *
     * @throws IllegalStateException in words, when the endpoint cannot listen there
     */
    public MetricsEndpoint serveMetrics(MetricsSettings settings) {
        MetricsEndpoint endpoint = MetricsEndpoint.start(spark, requireNonNull(settings, "settings is null"));
        closeWithSession.add(endpoint);
        return endpoint;
    }

    /** Appends each batch's progress, as one JSON line, to {@code file} until {@link #close()} (see {@link ProgressLog}). */
    public ProgressLog logProgress(Path file) {
        ProgressLog log = ProgressLog.attach(spark, requireNonNull(file, "file is null"));
        closeWithSession.add(log);
        return log;
    }

    /**
     * Stops the metrics endpoint and progress log it started, and — when Sluice created the session — the
     * pipelines still running on it (each after its batch in flight), then the session.
     */
    @Override
    public void close() {
        // a SIGTERM meanwhile waits: the shutdown hook must not ask a session stopping under it
        ShutdownStop.exclusive(() -> {
            for (AutoCloseable closeable : closeWithSession) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(Sluice.class).warn("could not close {}", closeable, e);
                }
            }
            closeWithSession.clear();
            if (ownsSession) {
                ShutdownStop.stopRunningOn(spark); // not left to fail under the stopped context
                spark.stop();
            }
        });
    }
}
