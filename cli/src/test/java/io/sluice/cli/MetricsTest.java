package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.metrics.SluiceMetric;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint as an operator meets it: {@code sluice run} of a file with a
 * {@code metrics:} block, on the embedded broker, scraped over loopback by this test and by a
 * real Prometheus server (Debian's {@code prometheus} package; {@code .ci/run} installs it),
 * whose API answers every query of the dashboard and the alert rules under {@code docs/};
 * {@code promtool} lints the exposition and the rules; the consumer group's lag is read with
 * Kafka's own {@code kafka-consumer-groups} code.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class MetricsTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCS = ReadmeTables.projectReadme().getParent().resolve("docs");

    @TempDir
    Path dir;

    static String meteredFile() {
        return """
                metrics:
                  port: ${METRICS_PORT}
                  perPartition: true
                pipelines:
                  - name: metered
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        subscribe: ${TOPIC}
                        startingOffsets: earliest
                        maxOffsetsPerTrigger: 60
                        kafka.sasl.jaas.config: ${JAAS}
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE, at TIMESTAMP
                        badRecords: dead_letter
                        deadLetter.path: ${WORK}/dead-letter
                        commitOffsetsTo: ${GROUP}
                    transforms:
                      - sql: SELECT DISTINCT id, amount, at FROM input WATERMARK at DELAY OF INTERVAL 1 MINUTE
                      - sql: SELECT CAST(id AS STRING) AS key, to_json(struct(id, amount, at)) AS value FROM input
                    expectations:
                      - name: amount_small
                        expect: amount < 100
                        stage: input
                    sink:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: ${BROKERS}
                        topic: ${TOPIC}-out
                    checkpointLocation: ${WORK}/checkpoint
                    trigger: 300ms
                """;
    }

    @Test
    void aRunningPipelineIsScrapedByPrometheusAndItsLagIsInKafkasOwnTools(EmbeddedKafka kafka) throws Exception {
        // the run adopts the shared session, which outlives it, so that the query can be stopped from here
        org.apache.spark.sql.SparkSession spark = SharedSluice.get().spark();
        String topic = kafka.newTopic("metered", 2);
        List<String> values = new ArrayList<>();
        IntStream.range(0, 200)
                .forEach(i -> values.add("{\"id\":" + i + ",\"amount\":" + i + ".5,\"at\":\""
                        + java.time.Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i) + "\"}"));
        IntStream.range(0, 5).forEach(i -> values.add("not json " + i));
        kafka.produceValues(topic, values);
        kafka.createTopic(topic + "-out", 1);
        int port = EmbeddedKafka.freePort();
        String group = "sluice-lag-" + topic;
        Path file = Files.writeString(dir.resolve("metered.yaml"), meteredFile());
        Path progressLog = dir.resolve("logs/progress.jsonl");

        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run(
                "run",
                file.toString(),
                "--progress-log",
                progressLog.toString(),
                "--set",
                "BROKERS=" + kafka.bootstrapServers(),
                "--set",
                "TOPIC=" + topic,
                "--set",
                "WORK=" + dir,
                "--set",
                "GROUP=" + group,
                "--set",
                "METRICS_PORT=" + port,
                "--set",
                "JAAS=" + Cli.JAAS_WITH_SECRET));
        String base = "http://127.0.0.1:" + port;
        Map<String, String> metered = Map.of("pipeline", "metered", "query", "metered");
        try {
            String scrape = await(
                    "every record counted",
                    () -> {
                        String text = get(base + "/metrics").body();
                        return value(text, "sluice_input_records_total", metered) == 205
                                        && value(text, "sluice_source_backlog_records", metered) == 0
                                ? text
                                : null;
                    },
                    run);

            // the counters equal what was produced and rejected; the backlog fell to 0
            assertEquals(205, value(scrape, "sluice_input_records_total", with(metered, "source", "kafka")), scrape);
            assertEquals(
                    5,
                    value(
                            scrape,
                            "sluice_records_rejected_total",
                            with(
                                    metered,
                                    "stage",
                                    "kafka.decode",
                                    "policy",
                                    "dead_letter",
                                    "reason",
                                    "value_not_json")),
                    scrape);
            assertEquals(0, value(scrape, "sluice_write_failures_total", with(metered, "stage", "kafka.deadLetter")));
            // ids 100 to 199 break the rule on the input: counted, and written all the same (warn)
            assertEquals(
                    100,
                    value(
                            scrape,
                            "sluice_expectation_rows_total",
                            with(metered, "rule", "amount_small", "action", "warn", "outcome", "written")),
                    scrape);
            // rows written, as the sink reports them: what the dedupe let through, each once
            await(
                    "the rows written",
                    () -> {
                        long written = outputRows(kafka, topic + "-out");
                        double counted = value(
                                get(base + "/metrics").body(),
                                "sluice_output_records_total",
                                with(metered, "sink", "kafka"));
                        return written > 0 && counted == written ? "" : null;
                    },
                    run);
            assertEquals(1, value(scrape, "sluice_query_up", metered));
            // a batch's counters move one after another in the listener: a scrape between them is not the test's
            scrape = await(
                    "every batch counted",
                    () -> {
                        String text = get(base + "/metrics").body();
                        double batches = value(text, "sluice_batches_total", metered);
                        return batches >= 4 && batches == value(text, "sluice_batch_duration_seconds_count", metered)
                                ? text
                                : null;
                    },
                    run);
            for (String phase :
                    List.of("addBatch", "getBatch", "latestOffset", "queryPlanning", "walCommit", "commitOffsets")) {
                assertTrue(
                        value(scrape, "sluice_batch_phase_seconds_total", with(metered, "phase", phase)) >= 0, phase);
            }
            assertEquals(0, value(scrape, "sluice_source_partition_backlog_records", with(metered, "stat", "max")));
            assertEquals(
                    0,
                    value(
                            scrape,
                            "sluice_source_backlog_by_partition_records",
                            with(metered, "partition", topic + "-1")));
            // DISTINCT is an aggregation: its state is kept by the operator Spark names stateStoreSave
            Map<String, String> operator = with(metered, "operator", "stateStoreSave");
            assertTrue(value(scrape, "sluice_state_rows", operator) >= 0, scrape);
            assertTrue(value(scrape, "sluice_state_memory_bytes", operator) > 0, scrape);
            assertTrue(value(scrape, "sluice_state_rows_dropped_by_watermark_total", operator) >= 0, scrape);
            // 10:03:19 is the latest event time: the watermark ends a minute before it
            long watermark = java.time.Instant.parse("2026-11-25T10:02:19Z").getEpochSecond();
            await(
                    "the watermark at the last event time less a minute",
                    () -> value(get(base + "/metrics").body(), "sluice_watermark_timestamp_seconds", metered)
                                    == watermark
                            ? ""
                            : null,
                    run);
            assertTrue(value(scrape, "sluice_watermark_lag_seconds", metered) > 0);
            assertEquals(
                    1,
                    value(
                            scrape,
                            "sluice_pipeline_info",
                            with(metered, "source", "kafka", "sink", "kafka", "trigger", "every 300 milliseconds")),
                    scrape);
            assertTrue(value(scrape, "jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
            assertFalse(scrape.contains("hunter2"), "no secret in the metrics");
            assertEquals("", promtool(scrape, "check", "metrics"), "promtool lints the exposition");

            // health
            assertEquals(200, get(base + "/live").statusCode());
            HttpResponse<String> ready = get(base + "/ready");
            assertEquals("200 ready\n", ready.statusCode() + " " + ready.body());
            String statusBody = get(base + "/status").body();
            JsonNode status = JSON.readTree(statusBody);
            assertTrue(status.get("ready").asBoolean(), statusBody);
            JsonNode query = status.get("queries").get(0);
            assertEquals(
                    "metered active kafka kafka",
                    String.join(
                            " ",
                            query.get("pipeline").asText(),
                            query.get("state").asText(),
                            query.get("source").asText(),
                            query.get("sink").asText()));
            assertTrue(query.get("lastBatchId").asLong() >= 3, statusBody);
            assertEquals(
                    "{\"rule\":\"amount_small\",\"expect\":\"amount < 100\",\"action\":\"warn\",\"stage\":\"input\","
                            + "\"written\":100}",
                    query.get("expectations").get(0).toString(),
                    statusBody);
            assertFalse(statusBody.contains("hunter2"), "no secret in the status");

            // the pipeline's lag, as kafka-consumer-groups --describe shows it
            String described = await(
                    "the consumer group's offsets at the topic's end",
                    () -> {
                        String text = describeGroup(kafka.bootstrapServers(), group);
                        return lag(text, topic, 0).equals("0")
                                        && lag(text, topic, 1).equals("0")
                                ? text
                                : null;
                    },
                    run);
            assertTrue(described.contains(group), described);

            // a real Prometheus scrapes the endpoint and answers the dashboard's and the alerts' queries
            try (Prometheus prometheus = Prometheus.start(dir.resolve("prometheus"), port)) {
                await(
                        "Prometheus scraped the records' count",
                        () -> prometheus.query("sluice_input_records_total").contains("\"205\"") ? "" : null,
                        run);
                await(
                        "two scrapes for rates",
                        () -> prometheus
                                        .query("count_over_time(sluice_query_up[1m]) >= 3")
                                        .contains("metered")
                                ? ""
                                : null,
                        run);
                List<String> unanswered = new ArrayList<>();
                for (String expr : dashboardQueries()) {
                    String answer = prometheus.query(expr.replace("$pipeline", ".+"));
                    if (!answer.contains("\"status\":\"success\"") || answer.contains("\"result\":[]")) {
                        unanswered.add(expr + " -> " + answer);
                    }
                }
                assertEquals(List.of(), unanswered, "every panel of docs/grafana-dashboard.json shows data");
                for (String expr : alertQueries()) {
                    String answer = prometheus.query(expr);
                    assertTrue(answer.contains("\"status\":\"success\""), expr + " -> " + answer);
                }
            }
            assertEquals(
                    Set.of(),
                    missing(
                            scrape,
                            metricNames(String.join("\n", dashboardQueries()) + String.join("\n", alertQueries()))),
                    "every metric the dashboard and the alerts use is served");
        } finally {
            for (StreamingQuery active : spark.streams().active()) {
                if (active.name() != null && active.name().equals("metered")) {
                    active.stop();
                }
            }
        }
        Cli.Result result = run.get(2, TimeUnit.MINUTES);
        assertEquals(0, result.exit(), result.all());
        assertTrue(
                result.out().contains("metrics at " + base + "/metrics (health: /live, /ready, /status)"),
                result.out());
        assertFalse(result.all().contains("hunter2"));
        List<String> progress = Files.readAllLines(progressLog);
        assertTrue(progress.size() >= 4, "a line per batch: " + progress.size());
        long broken = 0;
        for (String line : progress) {
            assertTrue(JSON.readTree(line).has("batchId"), line);
            broken += JSON.readTree(line)
                    .path("sluice")
                    .path("counts")
                    .path("expect.amount_small")
                    .asLong();
        }
        assertEquals(100, broken, "each batch's line counts the rows that broke the rule in it: " + progress);
        assertFalse(String.join("\n", progress).contains("hunter2"));
    }

    @Test
    void eachSinkOfSeveralIsCountedByItsNameInTheMetricsAndTheStatus(EmbeddedKafka kafka) throws Exception {
        org.apache.spark.sql.SparkSession spark = SharedSluice.get().spark();
        String topic = kafka.newTopic("metered-sinks", 1);
        kafka.produceValues(
                topic,
                IntStream.range(0, 30)
                        .mapToObj(i -> "{\"id\":" + i + ",\"amount\":" + i + "}")
                        .toList());
        int port = EmbeddedKafka.freePort();
        Path file = Files.writeString(
                dir.resolve("sinks.yaml"), """
                metrics:
                  port: %d
                pipelines:
                  - name: fanned
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        maxOffsetsPerTrigger: 10
                        value.format: json
                        value.schema: id BIGINT, amount BIGINT
                    sinks:
                      - name: all
                        connector: parquet
                        options: {path: %s/all}
                      - name: big
                        connector: json
                        options: {path: %s/big}
                        where: amount >= 20
                        columns: [id]
                    checkpointLocation: %s/checkpoint
                    trigger: 300ms
                """.formatted(port, kafka.bootstrapServers(), topic, dir, dir, dir));
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", file.toString()));
        String base = "http://127.0.0.1:" + port;
        Map<String, String> fanned = Map.of("pipeline", "fanned", "query", "fanned");
        try {
            String scrape = await(
                    "every sink's rows counted",
                    () -> {
                        String text = get(base + "/metrics").body();
                        return value(text, "sluice_output_records_total", with(fanned, "sink", "all")) == 30
                                ? text
                                : null;
                    },
                    run);
            assertEquals(10, value(scrape, "sluice_output_records_total", with(fanned, "sink", "big")), scrape);
            assertEquals(
                    10,
                    value(scrape, "sluice_connector_count_total", with(fanned, "group", "sinks", "name", "big")),
                    scrape);
            assertEquals(
                    1,
                    value(scrape, "sluice_pipeline_info", with(fanned, "source", "kafka", "sink", "all, big")),
                    scrape);
            String statusBody = get(base + "/status").body();
            JsonNode query = JSON.readTree(statusBody).get("queries").get(0);
            assertEquals("sinks", query.get("sink").asText(), statusBody);
            assertEquals(
                    "[{\"name\":\"all\",\"connector\":\"parquet\",\"rowsWritten\":30},"
                            + "{\"name\":\"big\",\"connector\":\"json\",\"rowsWritten\":10}]",
                    query.get("sinks").toString(),
                    statusBody);
        } finally {
            for (StreamingQuery active : spark.streams().active()) {
                if (active.name() != null && active.name().equals("fanned")) {
                    active.stop();
                }
            }
        }
        Cli.Result result = run.get(2, TimeUnit.MINUTES);
        assertEquals(0, result.exit(), result.all());
    }

    @Test
    void theGraphOfPipelinesIsInTheStatusAndTheMetrics(EmbeddedKafka kafka) throws Exception {
        org.apache.spark.sql.SparkSession spark = SharedSluice.get().spark();
        String topic = kafka.newTopic("graphed", 1);
        String ids = kafka.newTopic("graphed-ids", 1);
        kafka.produceValues(
                topic,
                IntStream.range(0, 20).mapToObj(i -> "{\"id\":" + i + "}").toList());
        int port = EmbeddedKafka.freePort();
        Path file = Files.writeString(
                dir.resolve("graph.yaml"), """
                metrics:
                  port: %1$d
                pipelines:
                  - name: upper
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %2$s
                        subscribe: %3$s
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT
                    transforms:
                      - sql: SELECT CAST(id AS STRING) AS value FROM input
                    sink:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %2$s
                        topic: %4$s
                    checkpointLocation: %5$s/upper
                    trigger: 300ms
                  - name: lower
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %2$s
                        subscribe: %4$s
                        startingOffsets: earliest
                        value.format: string
                    sink:
                      connector: parquet
                      options: {path: %5$s/lower}
                    checkpointLocation: %5$s/lower-checkpoint
                    trigger: 300ms
                """.formatted(port, kafka.bootstrapServers(), topic, ids, dir));
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", file.toString()));
        String base = "http://127.0.0.1:" + port;
        try {
            String scrape = await(
                    "the downstream pipeline started and counted",
                    () -> {
                        String text = get(base + "/metrics").body();
                        return value(
                                                text,
                                                "sluice_input_records_total",
                                                Map.of("pipeline", "lower", "query", "lower", "source", "kafka"))
                                        == 20
                                ? text
                                : null;
                    },
                    run);
            assertEquals(
                    1,
                    value(
                            scrape,
                            "sluice_pipeline_upstream_info",
                            Map.of("pipeline", "lower", "query", "lower", "upstream", "upper")),
                    scrape);
            JsonNode queries = JSON.readTree(get(base + "/status").body()).get("queries");
            Map<String, String> neighbours = new java.util.TreeMap<>();
            queries.forEach(
                    q -> neighbours.put(q.get("pipeline").asText(), q.get("upstream") + " " + q.get("downstream")));
            assertEquals(Map.of("lower", "[\"upper\"] []", "upper", "[] [\"lower\"]"), neighbours);
        } finally {
            for (StreamingQuery active : spark.streams().active()) {
                if (active.name() != null
                        && (active.name().equals("upper") || active.name().equals("lower"))) {
                    active.stop();
                }
            }
        }
        Cli.Result result = run.get(2, TimeUnit.MINUTES);
        assertEquals(0, result.exit(), result.all());
        assertTrue(
                result.out()
                        .contains("started pipeline 'lower' (kafka -> parquet), after 'upper' wrote its first batch"),
                result.out());
    }

    @Test
    void theMetricTableOfTheDocsIsTheCodes() {
        assertEquals("", ReadmeTables.checkDocs("metrics", SluiceMetric.table()));
    }

    @Test
    void theAlertRulesPassPromtool() throws Exception {
        Process check = new ProcessBuilder(
                        promtoolPath(),
                        "check",
                        "rules",
                        DOCS.resolve("prometheus-alerts.yaml").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), output);
        assertTrue(output.contains("SUCCESS"), output);
    }

    // --- helpers

    private static long outputRows(EmbeddedKafka kafka, String topic) {
        return kafka.endOffsets(topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static Map<String, String> with(Map<String, String> labels, String... more) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one series of {@code name} whose labels include {@code labels}; NaN when none. */
    static double value(String scrape, String name, Map<String, String> labels) {
        for (String line : scrape.lines().toList()) {
            Matcher series = SERIES.matcher(line);
            if (line.startsWith("#") || !series.find() || !series.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            if (series.group(3) != null) {
                Matcher label = LABEL.matcher(series.group(3));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(series.group(4));
            }
        }
        return Double.NaN;
    }

    private static Set<String> metricNames(String queries) {
        Set<String> names = new TreeSet<>();
        Matcher name = Pattern.compile("\\b((?:sluice|jvm)_[a-z_]+)").matcher(queries);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static Set<String> missing(String scrape, Set<String> names) {
        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find()) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        JSON.readTree(DOCS.resolve("grafana-dashboard.json").toFile())
                .get("panels")
                .forEach(panel -> panel.get("targets")
                        .forEach(t -> queries.add(t.get("expr").asText())));
        return queries;
    }

    private static List<String> alertQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(DOCS.resolve("prometheus-alerts.yaml").toFile())
                .get("groups")
                .forEach(g ->
                        g.get("rules").forEach(r -> queries.add(r.get("expr").asText())));
        return queries;
    }

    /** The LAG column of one partition in {@code kafka-consumer-groups --describe}'s table. */
    private static String lag(String described, String topic, int partition) {
        for (String line : described.lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 6 && columns[1].equals(topic) && columns[2].equals(String.valueOf(partition))) {
                return columns[5];
            }
        }
        return "";
    }

    /** What {@code kafka-consumer-groups --describe --group G} prints, run in this JVM. */
    private static synchronized String describeGroup(String servers, String group) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        org.apache.kafka.common.utils.Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("kafka-consumer-groups exited " + status + ": " + message);
        });
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            ConsumerGroupCommand.main(new String[] {"--bootstrap-server", servers, "--describe", "--group", group});
        } finally {
            System.setOut(original);
            org.apache.kafka.common.utils.Exit.resetExitProcedure();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code check} until it gives a value, for up to 90 s, failing early when the run ended. */
    private static String await(String what, Check check, CompletableFuture<Cli.Result> run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                fail("the run ended before " + what + ": " + run.get().all());
            }
            try {
                String value = check.get();
                if (value != null) {
                    return value;
                }
            } catch (IOException e) {
                last = e; // the endpoint is not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    @FunctionalInterface
    private interface Check {
        String get() throws Exception;
    }

    static String promtoolPath() {
        return executable("promtool");
    }

    private static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not on the PATH: install Debian's prometheus package"
                + " (apt-get install -y prometheus; .ci/run does)");
    }

    /** Runs promtool with the text on its input; its output when it fails or complains, else empty. */
    private static String promtool(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtoolPath()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() == 0 ? output.strip() : "exit " + process.exitValue() + ": " + output;
    }

    /** A real Prometheus server on loopback, scraping the endpoint every second. */
    private record Prometheus(Process process, String api) implements AutoCloseable {
        static Prometheus start(Path dir, int target) throws Exception {
            Files.createDirectories(dir);
            int port = EmbeddedKafka.freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: sluice
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(target));
            Process process = new ProcessBuilder(
                            executable("prometheus"),
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            Prometheus prometheus = new Prometheus(process, "http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (get(prometheus.api + "/-/ready").statusCode() == 200) {
                        return prometheus;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
            String log = Files.readString(dir.resolve("prometheus.log"));
            prometheus.close();
            throw new AssertionError("Prometheus did not become ready: " + log);
        }

        String query(String expr) throws IOException, InterruptedException {
            return get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
                    .body();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
