package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.KafkaAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What only the cluster knows, asked once before start with a short timeout, so that a
 * mistake is a problem naming the option and the fix instead of a query that fails minutes
 * later with the client's exception: the brokers answer with these security settings; the
 * topics the source reads exist ("did you mean" when one is misspelt) and have the partitions
 * {@code assign} names; for a new query (no commit in its checkpoint), the offsets and
 * timestamps it starts from are inside what each partition holds, and name every partition
 * Spark needs named.
 */
final class KafkaPreflight {
    static final Duration TIMEOUT = KafkaAdmin.TIMEOUT;
    private static final String ALLOW = "describe the topics it reads: grant it Describe and Read on them";

    private final ConnectorOptions options;
    private final String servers;

    private KafkaPreflight(ConnectorOptions options) {
        this.options = options;
        this.servers = options.get(BOOTSTRAP_SERVERS);
    }

    /**
     * Every problem found, with one admin client: for a new query (nothing in {@code committed},
     * the offsets its checkpoint says it reads next) its starting point, for a restarted one the
     * records it has yet to read ({@link RetentionCheck}); with {@code realTimeCores}, whether
     * real-time mode has a core per partition ({@link RealTimeSlots}).
     */
    static List<String> check(
            ConnectorOptions options, Map<TopicPartition, Long> committed, java.util.OptionalInt realTimeCores) {
        return new KafkaPreflight(options).run(committed, realTimeCores);
    }

    private List<String> run(Map<TopicPartition, Long> committed, java.util.OptionalInt realTimeCores) {
        try (Admin admin = Admin.create(KafkaAdmin.config(options, TIMEOUT))) {
            Optional<String> unreachable = KafkaAdmin.reach(admin, servers, ALLOW);
            if (unreachable.isPresent()) {
                return List.of(unreachable.get());
            }
            List<String> problems = new ArrayList<>();
            Map<String, TopicDescription> topics = topics(admin, problems);
            if (!problems.isEmpty()) {
                return problems;
            }
            if (committed.isEmpty()) {
                problems.addAll(startingPoint(admin, topics));
            } else {
                RetentionCheck.check(committed, offsets(admin, committed.keySet(), p -> OffsetSpec.earliest()), options)
                        .ifPresent(problems::add);
                RetentionCheck.ahead(committed, offsets(admin, committed.keySet(), p -> OffsetSpec.latest()), options)
                        .ifPresent(problems::add);
            }
            if (options.isSet(COMMIT_OFFSETS_TO)) {
                groupInUse(admin).ifPresent(problems::add);
            }
            if (realTimeCores.isPresent()) {
                RealTimeSlots.check(KafkaOffsets.partitions(admin, options).size(), realTimeCores.getAsInt())
                        .ifPresent(problems::add);
            }
            return problems;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("the check of Kafka at " + servers + " was interrupted");
        } catch (Exception e) { // the admin client's futures throw checked exceptions
            return List.of(words(e));
        }
    }

    private String words(Exception e) {
        return KafkaAdmin.words(e, servers, ALLOW);
    }

    /**
     * Kafka refuses offsets written to a group while it has members: a group that consumers use
     * is not a place for the pipeline's offsets (they would fight over it).
     */
    private Optional<String> groupInUse(Admin admin) throws Exception {
        String group = options.get(COMMIT_OFFSETS_TO);
        var description = admin.describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (description.members().isEmpty()) {
            return Optional.empty();
        }
        List<String> members = description.members().stream()
                .map(m -> m.clientId() + " on " + m.host())
                .sorted()
                .limit(3)
                .toList();
        return Optional.of("option '" + COMMIT_OFFSETS_TO.name() + "': the consumer group '" + group + "' has "
                + description.members().size()
                + (description.members().size() == 1 ? " active member" : " active members")
                + " (" + String.join(", ", members) + (description.members().size() > 3 ? ", ..." : "")
                + "), and Kafka refuses offsets written to a group in use: name a group of the pipeline's own, which no"
                + " consumer uses");
    }

    /**
     * The topics the source reads, described; a problem for each that does not exist, and for a
     * dead letter's topic that does not exist (its producer would fail the first batch with a bad
     * record a minute later, after the batch's good rows were written).
     */
    private Map<String, TopicDescription> topics(Admin admin, List<String> problems) throws Exception {
        Set<String> existing = KafkaAdmin.topics(admin);
        Map<String, String> named = new java.util.HashMap<>();
        Collection<String> wanted = List.of();
        if (options.isSet(SUBSCRIBE)) {
            wanted = KafkaJson.topicList(options.get(SUBSCRIBE));
            wanted.forEach(topic -> named.put(topic, SUBSCRIBE.name()));
        } else if (options.isSet(ASSIGN)) {
            wanted = KafkaJson.topics(options.get(ASSIGN));
            wanted.forEach(topic -> named.put(topic, ASSIGN.name()));
        } // a pattern may match topics created later
        problems.addAll(KafkaAdmin.missingTopics(named, existing, servers));
        if (options.isSet(DEAD_LETTER_TOPIC)) {
            problems.addAll(KafkaAdmin.missingWrittenTopics(
                    admin, Map.of(options.get(DEAD_LETTER_TOPIC), DEAD_LETTER_TOPIC.name()), existing, servers));
        }
        List<String> present =
                new TreeSet<>(wanted).stream().filter(existing::contains).toList();
        Map<String, TopicDescription> described = present.isEmpty()
                ? Map.of()
                : admin.describeTopics(present).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (options.isSet(ASSIGN)) {
            for (TopicPartition partition : KafkaJson.assignment(options.get(ASSIGN))) {
                TopicDescription topic = described.get(partition.topic());
                if (topic != null && partition.partition() >= topic.partitions().size()) {
                    problems.add("option 'assign' names partition " + partition.partition() + " of topic '"
                            + partition.topic() + "', which has " + partitions(topic));
                }
            }
        }
        return described;
    }

    /** Where a new query starts: offsets and timestamps that each partition has. */
    private List<String> startingPoint(Admin admin, Map<String, TopicDescription> topics) throws Exception {
        List<TopicPartition> read = options.isSet(ASSIGN)
                ? KafkaJson.assignment(options.get(ASSIGN))
                : topics.values().stream()
                        .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                        .toList();
        if (read.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        String starting = options.find(STARTING_OFFSETS).orElse("latest").trim();
        if (options.isSet(STARTING_OFFSETS) && starting.startsWith("{")) {
            Map<TopicPartition, Long> asked = KafkaJson.partitionOffsets(starting);
            Set<TopicPartition> missing = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
            missing.addAll(read);
            missing.removeAll(asked.keySet());
            if (!missing.isEmpty()) {
                problems.add("option 'startingOffsets' leaves out " + names(missing) + ", which the source reads: Spark"
                        + " needs an offset for every partition — add them (-2 for earliest, -1 for latest)");
            }
            // only partitions that exist and are read: the client waits out its timeout on any other
            List<TopicPartition> readable =
                    asked.keySet().stream().filter(read::contains).toList();
            Map<TopicPartition, Long> earliest = offsets(admin, readable, p -> OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, readable, p -> OffsetSpec.latest());
            new TreeMap<>(asked.entrySet().stream()
                            .collect(Collectors.toMap(e -> e.getKey().toString(), e -> e)))
                    .values()
                    .forEach(entry -> {
                        TopicPartition partition = entry.getKey();
                        long offset = entry.getValue();
                        if (!read.contains(partition)) {
                            problems.add("option 'startingOffsets' names " + partition + ", which the source does not"
                                    + " read"
                                    + (topics.containsKey(partition.topic())
                                            ? " (topic '" + partition.topic() + "' has "
                                                    + partitions(topics.get(partition.topic())) + ")"
                                            : ""));
                        } else if (offset >= 0 && offset > latest.get(partition)) {
                            problems.add("option 'startingOffsets' asks for offset " + offset + " of " + partition
                                    + ", beyond its end (the next offset written is " + latest.get(partition)
                                    + "): give an offset up to " + latest.get(partition) + ", or -1 for latest");
                        } else if (offset >= 0 && offset < earliest.get(partition)) {
                            problems.add("option 'startingOffsets' asks for offset " + offset + " of " + partition
                                    + ", which is no longer kept (the earliest is " + earliest.get(partition)
                                    + "): give an offset from " + earliest.get(partition) + ", or -2 for earliest");
                        }
                    });
        }
        if (options.isSet(STARTING_TIMESTAMP)
                && options.get(STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY).equals("error")) {
            long timestamp = options.get(STARTING_TIMESTAMP);
            Map<TopicPartition, Long> at = offsets(admin, read, p -> OffsetSpec.forTimestamp(timestamp));
            List<TopicPartition> none =
                    read.stream().filter(p -> at.getOrDefault(p, -1L) < 0).toList();
            if (!none.isEmpty()) {
                problems.add("option 'startingTimestamp' = '" + timestamp + "' (" + Instant.ofEpochMilli(timestamp)
                        + ") is after every record of " + names(none) + ": Spark fails at start with"
                        + " startingOffsetsByTimestampStrategy error — choose an earlier time, or set"
                        + " startingOffsetsByTimestampStrategy latest to start those partitions at their end");
            }
        }
        return problems;
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin, Collection<TopicPartition> partitions, Function<TopicPartition, OffsetSpec> spec)
            throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(p -> p, spec)))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static String partitions(TopicDescription topic) {
        int count = topic.partitions().size();
        return count == 1 ? "partition 0 only" : count + " partitions (0 to " + (count - 1) + ")";
    }

    private static String names(Collection<TopicPartition> partitions) {
        List<String> names =
                partitions.stream().map(TopicPartition::toString).sorted().toList();
        return (names.size() == 1 ? "partition " : "partitions ") + String.join(", ", names);
    }
}
