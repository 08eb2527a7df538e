package io.sluice.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the JSON that Spark's Kafka options take ({@code assign}, per-partition
 * {@code startingOffsets}, {@code startingOffsetsByTimestamp}) so that a malformed value is
 * reported at validation with what is wrong, instead of as a parse error when the query
 * starts.
 */
final class KafkaJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaJson() {}

    /** {@code {"topicA":[0,1],"topicB":[2]}}. */
    static Optional<String> checkAssign(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            return Optional.of("is not JSON like {\"topicA\":[0,1]}");
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            return Optional.of("must be a JSON object of topics to partition lists, like {\"topicA\":[0,1]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = it.next();
            if (!topic.getValue().isArray() || topic.getValue().isEmpty()) {
                return Optional.of(
                        "must list partitions of topic '" + topic.getKey() + "' as a non-empty array, like [0,1]");
            }
            for (JsonNode partition : topic.getValue()) {
                if (!partition.isInt() || partition.asInt() < 0) {
                    return Optional.of("has partition " + partition + " of topic '" + topic.getKey()
                            + "', which is not a partition number");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code earliest}, {@code latest}, or {@code {"topicA":{"0":23,"1":-2}}} where -2 means
     * earliest and -1 latest.
     */
    static Optional<String> checkStartingOffsets(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("earliest") || trimmed.equalsIgnoreCase("latest")) {
            return Optional.empty();
        }
        return checkPartitionMap(
                trimmed,
                -2,
                "an offset (-2 = earliest, -1 = latest)",
                "must be 'earliest', 'latest' or JSON like {\"topicA\":{\"0\":23,\"1\":-2}}");
    }

    /** {@code {"topicA":{"0":1700000000000}}}: per-partition timestamps in epoch milliseconds. */
    static Optional<String> checkOffsetsByTimestamp(String text) {
        return checkPartitionMap(
                text.trim(),
                0,
                "a timestamp in epoch milliseconds",
                "must be JSON like {\"topicA\":{\"0\":1700000000000}}");
    }

    private static Optional<String> checkPartitionMap(String text, long min, String expected, String shape) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            return Optional.of(shape);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            return Optional.of(shape);
        }
        for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = topics.next();
            if (!topic.getValue().isObject() || topic.getValue().isEmpty()) {
                return Optional.of(shape);
            }
            for (Iterator<Map.Entry<String, JsonNode>> partitions =
                            topic.getValue().fields();
                    partitions.hasNext(); ) {
                Map.Entry<String, JsonNode> partition = partitions.next();
                if (!partition.getKey().matches("\\d+")) {
                    return Optional.of("has partition '" + partition.getKey() + "' of topic '" + topic.getKey()
                            + "', which is not a partition number");
                }
                JsonNode value = partition.getValue();
                if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < min) {
                    return Optional.of("has " + value + " for partition " + partition.getKey() + " of topic '"
                            + topic.getKey() + "', which is not " + expected);
                }
            }
        }
        return Optional.empty();
    }

    /** The topics named in a per-topic JSON object; empty for earliest/latest. */
    static Set<String> topics(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            Set<String> topics = new TreeSet<>();
            if (root != null && root.isObject()) {
                root.fieldNames().forEachRemaining(topics::add);
            }
            return topics;
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** The partitions of a valid {@code assign} value. */
    static List<org.apache.kafka.common.TopicPartition> assignment(String text) throws java.io.IOException {
        List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
        JSON.readTree(text)
                .fields()
                .forEachRemaining(topic -> topic.getValue()
                        .forEach(p ->
                                partitions.add(new org.apache.kafka.common.TopicPartition(topic.getKey(), p.asInt()))));
        return partitions;
    }

    static List<String> topicList(String subscribe) {
        List<String> topics = new ArrayList<>();
        for (String topic : subscribe.split(",")) {
            if (!topic.isBlank()) {
                topics.add(topic.trim());
            }
        }
        return topics;
    }

    /**
     * Records between a batch's end offsets and the latest ones, per partition ({@code t-0}),
     * in partition order (both are Spark's per-topic, per-partition JSON); empty when either is
     * missing or not that shape.
     */
    static Map<String, Long> behind(String endOffsets, String latestOffsets) {
        if (endOffsets == null || latestOffsets == null) {
            return Map.of();
        }
        Map<org.apache.kafka.common.TopicPartition, Long> end = partitionOffsets(endOffsets);
        Map<org.apache.kafka.common.TopicPartition, Long> latest = partitionOffsets(latestOffsets);
        Map<String, Long> behind = new java.util.TreeMap<>();
        for (Map.Entry<org.apache.kafka.common.TopicPartition, Long> partition : latest.entrySet()) {
            Long done = end.get(partition.getKey());
            if (done != null) {
                behind.put(partition.getKey().toString(), Math.max(0, partition.getValue() - done));
            }
        }
        return behind;
    }

    /** A per-topic, per-partition JSON object of numbers ({@code {"t":{"0":23}}}), as partitions to numbers. */
    static Map<org.apache.kafka.common.TopicPartition, Long> partitionOffsets(String json) {
        Map<org.apache.kafka.common.TopicPartition, Long> offsets = new java.util.HashMap<>();
        try {
            JsonNode root = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = topics.next();
                for (Iterator<Map.Entry<String, JsonNode>> parts =
                                topic.getValue().fields();
                        parts.hasNext(); ) {
                    Map.Entry<String, JsonNode> part = parts.next();
                    offsets.put(
                            new org.apache.kafka.common.TopicPartition(topic.getKey(), Integer.parseInt(part.getKey())),
                            part.getValue().asLong());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of(); // validated before; nothing to add
        }
        return offsets;
    }
}
