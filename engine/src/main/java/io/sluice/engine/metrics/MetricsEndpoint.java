package io.sluice.engine.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP endpoint for operators: {@code /metrics} (Prometheus text, or OpenMetrics
 * when the scraper asks), {@code /live} (the process answers), {@code /ready} (every pipeline runs
 * and moves; 503 with the reasons otherwise) and {@code /status} (JSON: each query's state, last
 * batch, last progress, failure in words). On the JDK's own HTTP server with Prometheus' Java
 * client — not Spark's metrics servlet, whose names change with every run, and no second Jetty
 * beside Spark's. Opt-in: {@code metrics:} in a pipeline file, {@code sluice run --metrics-port},
 * or {@code Sluice.serveMetrics}.
 *
 * <p>It follows every pipeline this process starts on the session, and those already running.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PipelineMetrics metrics;
    private final MetricsSettings settings;

    private MetricsEndpoint(
            HttpServer server, ExecutorService executor, PipelineMetrics metrics, MetricsSettings settings) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
        this.settings = settings;
    }

    /**
     * Listens on the settings' host and port and follows the session's pipelines.
     *
     * @throws IllegalStateException in words, when the port is taken or the host is not this machine's
     */
    public static MetricsEndpoint start(SparkSession spark, MetricsSettings settings) {
        requireNonNull(spark, "spark is null");
        requireNonNull(settings, "settings is null");
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        PipelineMetrics metrics = new PipelineMetrics(spark, registry, settings.perPartition());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "the metrics endpoint cannot listen on " + settings.host() + ":"
                            + settings.port() + ": " + (e.getMessage() == null ? "address in use" : e.getMessage())
                            + "; choose another port (metrics.port, --metrics-port), or 0 for any free one",
                    e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "the metrics endpoint cannot listen on " + settings.host() + ":" + settings.port() + ": "
                            + e.getMessage() + "; check metrics.host names this machine",
                    e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sluice-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        MetricsHandler scrape = new MetricsHandler(registry);
        server.createContext("/metrics", scrape);
        server.createContext("/live", exchange -> answer(exchange, 200, "text/plain", "live\n"));
        server.createContext("/ready", exchange -> {
            List<String> reasons = Health.notReady(metrics.queries(), Instant.now());
            answer(
                    exchange,
                    reasons.isEmpty() ? 200 : 503,
                    "text/plain",
                    reasons.isEmpty() ? "ready\n" : String.join("\n", reasons) + "\n");
        });
        server.createContext(
                "/status",
                exchange -> answer(exchange, 200, "application/json", Health.status(metrics.queries(), Instant.now())));
        server.createContext(
                "/",
                exchange -> answer(
                        exchange,
                        exchange.getRequestURI().getPath().equals("/") ? 200 : 404,
                        "text/plain",
                        "Sluice: /metrics (Prometheus), /live, /ready, /status\n"));
        metrics.attach();
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, metrics, settings);
        LOG.info("metrics endpoint listening at {}", endpoint.url());
        return endpoint;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** The port listened on (the one chosen, when the settings said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Where to scrape, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port() + "/metrics";
    }

    /** Stops listening and following. */
    @Override
    public void close() {
        metrics.detach();
        server.stop(0);
        executor.shutdownNow();
    }
}
