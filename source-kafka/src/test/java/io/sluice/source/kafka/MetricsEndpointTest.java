package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.metrics.MetricsEndpoint;
import io.sluice.engine.metrics.MetricsSettings;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SharedSluice;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint from Java, through a pipeline's life: ready while it runs, 503 naming it once it
 * stopped, a restart from its checkpoint counted as one, and a failure in words — the dead
 * letter that cannot be written counted though its task failed.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(MetricsEndpoint endpoint, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(endpoint.url().replace("/metrics", path)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String answer(MetricsEndpoint endpoint, String path) throws Exception {
        HttpResponse<String> response = get(endpoint, path);
        return response.statusCode() + " " + response.body();
    }

    @Test
    void readyWhileItRunsNotOnceItStoppedARestartCountedAFailureInWords(EmbeddedKafka kafka) throws Exception {
        // a sink that restarts from a checkpoint (the collecting one is Spark's memory sink, which does not)
        Sluice sluice = Sluice.using(
                SharedSluice.get().spark(), SharedSluice.get().connectors().withSink(new KafkaSourceTest.IdSink()));
        String topic = kafka.newTopic("health", 1);
        kafka.produceValues(topic, List.of("{\"id\":1,\"amount\":1.0}", "not json", "{\"id\":2,\"amount\":2.0}"));
        Path deadLetter = dir.resolve("dead-letter");
        var options = OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "json", "value.schema", "id BIGINT, amount DOUBLE"),
                "badRecords",
                "dead_letter",
                "deadLetter.path",
                deadLetter.toString(),
                "kafka.ssl.truststore.password",
                "s3cret-truststore");
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(sluice.spark(), MetricsSettings.port(0))) {
            assertEquals("503 no pipeline has started yet\n", answer(endpoint, "/ready"));
            assertEquals("200 live\n", answer(endpoint, "/live"));

            PipelineHandle first = start(sluice, options);
            first.processAllAvailable();
            assertEquals("200 ready\n", answer(endpoint, "/ready"));
            first.stop();
            assertEquals("503 query 'health' of pipeline 'health' stopped\n", answer(endpoint, "/ready"));
            assertTrue(
                    answer(endpoint, "/metrics").contains("sluice_query_up{pipeline=\"health\",query=\"health\"} 0.0"));

            // started again from its checkpoint: a restart, and ready again
            PipelineHandle second = start(sluice, options);
            String restarted = answer(endpoint, "/metrics");
            assertTrue(
                    restarted.contains(
                            "sluice_query_restarts_total{pipeline=\"health\",query=\"health\",reason=\"resumed\"} 1.0"),
                    restarted);
            assertEquals("200 ready\n", answer(endpoint, "/ready"));

            // the dead letter's directory becomes a file: the next bad record fails the query
            try (Stream<Path> files = Files.walk(deadLetter)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            Files.writeString(deadLetter, "not a directory");
            kafka.produceValues(topic, List.of("also not json"));
            assertThrows(StreamingQueryException.class, () -> second.awaitTermination(Duration.ofMinutes(2)));

            String ready = answer(endpoint, "/ready");
            assertTrue(
                    ready.startsWith("503 query 'health' of pipeline 'health' failed: query 'health', batch "), ready);
            assertTrue(ready.contains("cannot write a bad record to the dead letter"), ready);
            String status = answer(endpoint, "/status");
            assertTrue(status.contains("\"state\" : \"failed\""), status);
            assertTrue(status.contains("\"failure\" : \"query 'health', batch "), status);
            String metrics = answer(endpoint, "/metrics");
            assertTrue(metrics.contains("sluice_query_failed{pipeline=\"health\",query=\"health\"} 1.0"), metrics);
            assertTrue(
                    metrics.contains(
                            "sluice_write_failures_total{pipeline=\"health\",query=\"health\",stage=\"kafka.deadLetter\"} 1.0"),
                    metrics);
            for (String body : List.of(ready, status, metrics)) {
                assertTrue(!body.contains("s3cret-truststore"), "no secret: " + body);
            }
            second.stop();
        }
    }

    @Test
    void aPortInUseIsSaidInWords() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> MetricsEndpoint.start(
                            SharedSluice.get().spark(), MetricsSettings.port(taken.getLocalPort())));
            assertEquals(
                    "the metrics endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use; choose another port (metrics.port, --metrics-port), or 0 for"
                            + " any free one",
                    refused.getMessage());
        }
    }

    private PipelineHandle start(Sluice sluice, java.util.Map<String, String> options) {
        return sluice.pipeline("health")
                .source("kafka", options)
                .sink("ids")
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200)))
                .build()
                .start();
    }
}
