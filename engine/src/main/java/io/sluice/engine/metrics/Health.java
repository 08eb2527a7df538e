package io.sluice.engine.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code /ready} and {@code /status} answer, from the queries' states: ready when every
 * pipeline query followed runs <em>and</em> was heard of recently — a query that is up but stuck
 * (a broker gone, a batch that never ends) is not ready, which is what an orchestrator's probe
 * and a "stalled" alert need to know. The reasons are sentences, for the person reading the probe.
 */
final class Health {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Health() {}

    /** Empty when ready; otherwise one sentence per query that is not. */
    static List<String> notReady(Collection<QueryState> queries, Instant now) {
        if (queries.isEmpty()) {
            return List.of("no pipeline has started yet");
        }
        List<String> reasons = new ArrayList<>();
        for (QueryState query : sorted(queries)) {
            String subject = "query '" + query.query() + "' of pipeline '" + query.pipeline() + "'";
            switch (query.phase()) {
                case FAILED ->
                    reasons.add(subject + " failed: " + query.failure().orElse(""));
                case STOPPED -> reasons.add(subject + " stopped");
                case ACTIVE -> {
                    Duration silent = Duration.between(query.lastHeard(), now);
                    if (silent.compareTo(query.allowedSilence()) > 0) {
                        reasons.add(subject + " has reported no batch for " + silent.toSeconds() + " s (allowed: "
                                + query.allowedSilence().toSeconds()
                                + " s, twice its trigger interval or two idle reports)");
                    }
                }
            }
        }
        return reasons;
    }

    /**
     * The {@code /status} body: readiness, then each query's state, last batch, last progress,
     * failure, and its expectations with the rows that broke each in this run ({@code "dropped": 12}).
     */
    static String status(Collection<QueryState> queries, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        List<String> reasons = notReady(queries, now);
        root.put("ready", reasons.isEmpty());
        ArrayNode why = root.putArray("notReady");
        reasons.forEach(why::add);
        ArrayNode list = root.putArray("queries");
        for (QueryState query : sorted(queries)) {
            ObjectNode node = list.addObject();
            node.put("pipeline", query.pipeline());
            node.put("query", query.query());
            node.put("source", query.plan().definition().sourceName());
            io.sluice.engine.plan.PipelineDefinition definition = query.plan().definition();
            if (definition.fansOut()) {
                node.put("sink", io.sluice.engine.plan.FanOut.NAME);
                ArrayNode sinks = node.putArray("sinks");
                // each sink with the rows it wrote in this run (its counter, which the progress line shows per batch)
                java.util.Map<String, Long> written = new java.util.HashMap<>();
                io.sluice.engine.plan.FanOut.written(query.plan().counters())
                        .forEach(counter -> written.merge(counter.name(), counter.total(), Long::sum));
                definition
                        .sinks()
                        .forEach(sink -> sinks.addObject()
                                .put("name", sink.name())
                                .put("connector", sink.connector())
                                .put("rowsWritten", written.getOrDefault(sink.name(), 0L)));
            } else {
                node.put("sink", definition.sinkName());
            }
            ArrayNode upstream = node.putArray("upstream"); // its place in the run's graph of pipelines
            query.plan().neighbours().upstream().forEach(upstream::add);
            ArrayNode downstream = node.putArray("downstream");
            query.plan().neighbours().downstream().forEach(downstream::add);
            node.put("state", query.phase().name().toLowerCase(java.util.Locale.ROOT));
            node.put("id", query.id().toString());
            node.put("runId", query.runId().toString());
            if (query.lastBatch().isPresent()) {
                node.put("lastBatchId", query.lastBatch().getAsLong());
            } else {
                node.putNull("lastBatchId");
            }
            query.lastProgress()
                    .ifPresentOrElse(at -> node.put("lastProgress", at.toString()), () -> node.putNull("lastProgress"));
            node.put("lastHeard", query.lastHeard().toString());
            query.failure().ifPresentOrElse(f -> node.put("failure", f), () -> node.putNull("failure"));
            ArrayNode rules = node.putArray("expectations");
            query.plan()
                    .counters()
                    .forEach(counter -> io.sluice.engine.plan.Expectations.ruleOf(
                                    query.plan().definition(), counter)
                            .ifPresent(rule -> rules.addObject()
                                    .put("rule", rule.name())
                                    .put("expect", rule.condition())
                                    .put("action", rule.action().key())
                                    .put("stage", rule.stage().key())
                                    .put(io.sluice.engine.plan.Expectations.outcome(rule.action()), counter.total())));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
    }

    private static List<QueryState> sorted(Collection<QueryState> queries) {
        return queries.stream()
                .sorted(Comparator.comparing(QueryState::pipeline).thenComparing(QueryState::query))
                .toList();
    }
}
