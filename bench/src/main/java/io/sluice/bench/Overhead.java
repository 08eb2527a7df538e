package io.sluice.bench;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.metrics.MetricsEndpoint;
import io.sluice.engine.metrics.MetricsSettings;
import io.sluice.engine.pipeline.PipelineHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * P1: Kafka → decode → parquet through Sluice with each bad-record policy, against the same
 * job written by hand (readStream kafka + from_json + writeStream parquet), all reading the
 * same topic in batches of {@value #BATCH} records.
 */
final class Overhead {
    static final int BATCH = 200_000;
    static final String HAND = "hand-written Spark";
    static final List<String> POLICIES = List.of("fail", "skip", "dead_letter");

    private Overhead() {}

    /**
     * The dead letter where it has work: a topic with 1 % malformed records, dead-lettered
     * against skipped — the same read, decode and count, plus writing the bad records.
     */
    static Figure withBadRecords(Workload workload, Settings settings, String topic) throws Exception {
        return pair(
                settings,
                "1 % bad records: Sluice badRecords=dead_letter",
                "Sluice badRecords=dead_letter",
                () -> viaSluice(workload, topic, "dead_letter", settings.profile()),
                "Sluice badRecords=skip",
                () -> viaSluice(workload, topic, "skip", settings.profile()),
                " 1pct bad");
    }

    /**
     * What the metrics endpoint costs: the same pipeline with the endpoint on and scraped every
     * second (as a Prometheus with a short interval would), against it off.
     */
    static Figure withMetrics(Workload workload, Settings settings, String topic) throws Exception {
        return pair(
                settings,
                "metrics endpoint on, scraped every second",
                "Sluice badRecords=skip, metrics scraped every second",
                () -> {
                    try (MetricsEndpoint endpoint =
                                    MetricsEndpoint.start(workload.sluice().spark(), MetricsSettings.port(0));
                            Scraper scraper = new Scraper(endpoint.url())) {
                        viaSluice(workload, topic, "skip", false);
                    }
                },
                "Sluice badRecords=skip",
                () -> viaSluice(workload, topic, "skip", false),
                " metrics");
    }

    /** P1's goal against the hand-written job: the same pipeline on fewer cores (issue 24), not parity. */
    static final double FASTER_BY = 1.5;

    /** Two jobs on the same topic in alternating rounds, as one figure: the first's rate over the second's. */
    private static Figure pair(
            Settings settings, String title, String measured, Job job, String baseline, Job base, String profileTag)
            throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put(baseline, base);
        jobs.put(measured, job);
        if (settings.profile()) {
            for (Map.Entry<String, Job> each : jobs.entrySet()) {
                Profiler.profile(each.getKey() + profileTag, each.getValue(), settings.out());
            }
        }
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return Rounds.rateFigure(
                "P1", title, settings.records(), timed.get(measured), baseline, timed.get(baseline), 0.98);
    }

    /** Scrapes an endpoint every second on a thread of its own, until closed. */
    private static final class Scraper implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        Scraper(String url) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .build();
            timer.scheduleAtFixedRate(
                    () -> {
                        try {
                            http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
                        } catch (java.io.IOException e) {
                            // the next scrape tries again
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    0,
                    1,
                    java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put(HAND, () -> byHand(workload, topic, settings.profile()));
        for (String policy : POLICIES) {
            jobs.put("Sluice badRecords=" + policy, () -> viaSluice(workload, topic, policy, settings.profile()));
        }
        if (settings.profile()) {
            for (Map.Entry<String, Job> job : jobs.entrySet()) {
                Profiler.profile(job.getKey(), job.getValue(), settings.out());
            }
        }
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        List<Figure> figures = new ArrayList<>();
        for (String policy : POLICIES) {
            figures.add(Rounds.rateFigure(
                    "P1",
                    "Kafka → JSON → parquet, Sluice badRecords=" + policy,
                    settings.records(),
                    timed.get("Sluice badRecords=" + policy),
                    HAND,
                    timed.get(HAND),
                    FASTER_BY));
        }
        return figures;
    }

    /** The job through Sluice: a pipeline as a user declares it; {@code phases} prints where its batches' time went. */
    static void viaSluice(Workload workload, String topic, String policy, boolean phases) throws Exception {
        Path out = workload.fresh("p1-sluice");
        Path deadLetter = workload.fresh("p1-dead-letter");
        List<String> pairs =
                new ArrayList<>(List.of("maxOffsetsPerTrigger", String.valueOf(BATCH), "badRecords", policy));
        if (policy.equals("dead_letter")) {
            pairs.addAll(List.of("deadLetter.path", deadLetter.toString()));
        }
        PipelineHandle handle = workload.sluice()
                .pipeline("p1_" + policy)
                .source("kafka", workload.source(topic, pairs.toArray(String[]::new)))
                .sql("SELECT id, customer, amount, ts FROM input")
                .sink("parquet", Map.of("path", out.resolve("data").toString()))
                .checkpointLocation(out.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        handle.awaitTermination();
        if (phases) {
            Phases.print("Sluice badRecords=" + policy, handle.query());
        }
        Workload.delete(out, deadLetter);
    }

    /** The same job written by hand in Spark. */
    static void byHand(Workload workload, String topic, boolean phases) throws Exception {
        Path out = workload.fresh("p1-hand");
        StreamingQuery query = Workload.toParquet(workload.decodedByHand(workload.byHand(), topic, BATCH), out);
        if (phases) {
            Phases.print(HAND, query);
        }
        Workload.delete(out);
    }
}
