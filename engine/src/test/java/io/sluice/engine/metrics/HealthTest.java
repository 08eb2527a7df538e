package io.sluice.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelinePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What /ready and /status answer, query state by query state, in the words an operator reads. */
class HealthTest {
    private static QueryState state(String name, StreamTrigger trigger) {
        PipelinePlan plan = Sluice.embedded()
                .pipeline(name)
                .source("json-dir", Map.of("path", "/nowhere", "schema", "id INT"))
                .sink("table")
                .trigger(trigger)
                .build()
                .validate();
        return new QueryState(plan, UUID.randomUUID(), UUID.randomUUID(), "app", "4.2.0", Duration.ofSeconds(10));
    }

    @Test
    void aQueryThatGoesQuietForLongerThanTwiceItsTriggerIsNotReady() {
        QueryState orders = state("orders", StreamTrigger.processingTime(Duration.ofSeconds(30)));
        Instant now = Instant.now();
        orders.progressed(7, now.minusSeconds(59));
        assertEquals(List.of(), Health.notReady(List.of(orders), now));
        assertEquals(
                List.of("query 'orders' of pipeline 'orders' has reported no batch for 61 s (allowed: 60 s, twice its"
                        + " trigger interval or two idle reports)"),
                Health.notReady(List.of(orders), now.plusSeconds(2)));
    }

    @Test
    void batchesBackToBackMayGoQuietForTwoIdleReports() {
        QueryState fast = state("fast", StreamTrigger.processingTime(Duration.ZERO));
        assertEquals(Duration.ofSeconds(20), fast.allowedSilence());
        Instant now = Instant.now();
        fast.heard(now.minusSeconds(19));
        assertEquals(List.of(), Health.notReady(List.of(fast), now));
    }

    @Test
    void statusSaysEachQuerysStateLastBatchAndFailure() throws Exception {
        QueryState orders = state("orders", StreamTrigger.processingTime(Duration.ofSeconds(1)));
        QueryState refunds = state("refunds", StreamTrigger.processingTime(Duration.ofSeconds(1)));
        Instant now = Instant.now();
        orders.progressed(41, now);
        refunds.terminated(Optional.of("query 'refunds', batch 3: the disk is full at /data"));
        assertEquals(
                List.of(
                        "query 'refunds' of pipeline 'refunds' failed: query 'refunds', batch 3: the disk is full at /data"),
                Health.notReady(List.of(refunds, orders), now));
        var status = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Health.status(List.of(refunds, orders), now));
        assertEquals(false, status.get("ready").asBoolean());
        assertEquals("orders", status.get("queries").get(0).get("pipeline").asText());
        assertEquals("active", status.get("queries").get(0).get("state").asText());
        assertEquals(41, status.get("queries").get(0).get("lastBatchId").asLong());
        assertEquals(
                now.toString(), status.get("queries").get(0).get("lastProgress").asText());
        assertEquals("failed", status.get("queries").get(1).get("state").asText());
        assertTrue(status.get("queries").get(1).get("lastBatchId").isNull());
        assertEquals(
                "query 'refunds', batch 3: the disk is full at /data",
                status.get("queries").get(1).get("failure").asText());
        assertEquals(List.of("no pipeline has started yet"), Health.notReady(List.of(), now));
    }

    @Test
    void theMetricNamesFollowPrometheusConventions() {
        for (SluiceMetric metric : SluiceMetric.values()) {
            String name = metric.exposedName();
            assertTrue(name.startsWith("sluice_"), name);
            assertEquals(metric.type() == SluiceMetric.Type.COUNTER, name.endsWith("_total"), name);
            assertEquals(metric.type() == SluiceMetric.Type.INFO, name.endsWith("_info"), name);
            assertTrue(metric.labels().contains("pipeline") && metric.labels().contains("query"), name);
            assertTrue(!name.contains("app") && !name.contains("run_id"), name);
        }
    }
}
