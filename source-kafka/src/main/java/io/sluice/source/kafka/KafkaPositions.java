package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SourcePositions;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.Suggestions;
import io.sluice.kafka.KafkaAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka cluster's offsets for the partitions the source reads, asked through one admin client
 * made from the source's {@code kafka.*} options: the latest, those of a time (Kafka's own index
 * of record timestamps), and the earliest and latest a given offset must lie between. Offsets
 * are written as Spark's Kafka source writes them in a checkpoint: topics, then partitions in
 * order.
 */
final class KafkaPositions implements SourcePositions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = KafkaAdmin.TIMEOUT;
    private static final String ALLOW = "describe the source's topics and list their offsets";

    private final Admin admin;
    private final String servers;
    private final List<TopicPartition> partitions;

    KafkaPositions(ConnectorOptions options) {
        requireNonNull(options, "options is null");
        this.servers = options.get(KafkaSourceOptions.BOOTSTRAP_SERVERS);
        this.admin = Admin.create(KafkaAdmin.config(options, TIMEOUT));
        try {
            this.partitions = KafkaOffsets.partitions(admin, options).stream()
                    .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                    .toList();
        } catch (Exception e) {
            admin.close(Duration.ZERO);
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                throw new IllegalStateException(
                        "Kafka at " + servers + " does not have the topics the source reads ("
                                + e.getCause().getMessage() + "): was the topic deleted?",
                        e);
            }
            throw new IllegalStateException(KafkaAdmin.words(e, servers, ALLOW), e);
        }
    }

    @Override
    public String latest() {
        return json(ask(OffsetSpec.latest()));
    }

    @Override
    public String at(Instant time) {
        requireNonNull(time, "time is null");
        Map<TopicPartition, Long> found = ask(OffsetSpec.forTimestamp(time.toEpochMilli()));
        Map<TopicPartition, Long> latest = ask(OffsetSpec.latest());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        // Kafka answers -1 for a partition without a record that recent: it starts at its latest
        partitions.forEach(p -> offsets.put(p, found.getOrDefault(p, -1L) < 0 ? latest.get(p) : found.get(p)));
        return json(offsets);
    }

    @Override
    public String checked(String offsets) {
        requireNonNull(offsets, "offsets is null");
        Map<TopicPartition, Long> given = parse(offsets);
        List<String> problems = new ArrayList<>();
        List<String> known = partitions.stream().map(TopicPartition::toString).toList();
        given.keySet().stream()
                .filter(p -> !partitions.contains(p))
                .sorted(Comparator.comparing(TopicPartition::toString))
                .forEach(p -> problems.add("the source reads no partition " + p.partition() + " of topic '"
                        + p.topic() + "'" + Suggestions.didYouMean(p.toString(), known) + " (it reads "
                        + String.join(", ", known) + ")"));
        List<String> missing = partitions.stream()
                .filter(p -> !given.containsKey(p))
                .map(TopicPartition::toString)
                .toList();
        if (!missing.isEmpty()) {
            problems.add("give an offset for every partition the source reads: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing (-2 for its earliest, -1 for its latest)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<TopicPartition, Long> earliest = ask(OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = ask(OffsetSpec.latest());
        Map<TopicPartition, Long> resolved = new HashMap<>();
        for (TopicPartition p : partitions) {
            long offset = given.get(p);
            long first = earliest.get(p);
            long last = latest.get(p);
            if (offset == -2) {
                offset = first;
            } else if (offset == -1) {
                offset = last;
            } else if (offset < -2) {
                problems.add(p + " offset " + offset + " is not an offset (an offset is 0 or more; -2 is the earliest,"
                        + " -1 the latest)");
            } else if (offset < first) {
                problems.add(p + " offset " + offset + " is gone: the earliest the cluster still has is " + first
                        + " (retention deleted the records before it)");
            } else if (offset > last) {
                problems.add(p + " offset " + offset + " is past the latest, " + last
                        + " (the next record the partition will get)");
            }
            resolved.put(p, offset);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return json(resolved);
    }

    @Override
    public Map<String, Long> behind(String offsets) {
        Map<TopicPartition, Long> committed = KafkaJson.partitionOffsets(offsets);
        Map<TopicPartition, Long> latest = ask(OffsetSpec.latest());
        Map<String, Long> behind = new TreeMap<>();
        committed.forEach((p, offset) -> {
            Long last = latest.get(p);
            if (last != null) {
                behind.put(p.toString(), last - offset);
            }
        });
        return behind;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private Map<TopicPartition, Long> ask(OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> question = new HashMap<>();
        partitions.forEach(p -> question.put(p, spec));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                    admin.listOffsets(question).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            answer.forEach((p, info) -> offsets.put(p, info.offset()));
            return offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + servers + " for offsets", e);
        } catch (Exception e) {
            throw new IllegalStateException(KafkaAdmin.words(e, servers, ALLOW), e);
        }
    }

    /** Offsets written as Spark's Kafka source writes them: {@code {"t":{"0":5,"1":7}}}. */
    private Map<TopicPartition, Long> parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("'" + text + "' is not JSON: write offsets as"
                    + " {\"topic\":{\"0\":120,\"1\":98}} (-2 for a partition's earliest, -1 for its latest)");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("'" + text + "' is not a JSON object of topics: write offsets as"
                    + " {\"topic\":{\"0\":120,\"1\":98}}");
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = topics.next();
            if (!topic.getValue().isObject()) {
                throw new IllegalArgumentException("topic '" + topic.getKey() + "' must map partitions to offsets"
                        + " ({\"0\":120}), not " + topic.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
                Map.Entry<String, JsonNode> part = parts.next();
                int partition;
                try {
                    partition = Integer.parseInt(part.getKey());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("topic '" + topic.getKey() + "' has partition '" + part.getKey()
                            + "', not a partition number (0, 1, ...)");
                }
                if (!part.getValue().canConvertToLong() || !part.getValue().isIntegralNumber()) {
                    throw new IllegalArgumentException("partition " + partition + " of topic '" + topic.getKey()
                            + "' has offset " + part.getValue() + ", not a whole number");
                }
                offsets.put(
                        new TopicPartition(topic.getKey(), partition),
                        part.getValue().asLong());
            }
        }
        return offsets;
    }

    /** Spark's JSON of partition offsets: topics in order, partitions in order within each. */
    private static String json(Map<TopicPartition, Long> offsets) {
        ObjectNode root = JSON.createObjectNode();
        offsets.keySet().stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                .forEach(p -> {
                    JsonNode topic = root.get(p.topic());
                    ObjectNode partitions = topic == null ? root.putObject(p.topic()) : (ObjectNode) topic;
                    partitions.put(String.valueOf(p.partition()), offsets.get(p));
                });
        return root.toString();
    }
}
