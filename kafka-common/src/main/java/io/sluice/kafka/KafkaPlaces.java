package io.sluice.kafka;

import io.sluice.core.Place;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kafka topics as {@link Place}s, spelled one way for the source and the sink so that the
 * framework can see a pipeline that writes into a topic it reads; and the names a Kafka sink
 * must know of the Kafka source's rows (the source's own {@code topic} column routes each
 * record back to where it came from).
 */
public final class KafkaPlaces {
    /** The Kafka source's connector name, as {@code QueryFacts.source()} reports it. */
    public static final String SOURCE_CONNECTOR = "kafka";
    /** The Kafka source's column holding each record's topic; the Kafka sink routes by a column of that name. */
    public static final String TOPIC_COLUMN = "topic";

    private static final String SYSTEM = "kafka topic";

    private KafkaPlaces() {}

    /** A topic on the cluster that {@code bootstrapServers} reaches. */
    public static Place topic(String bootstrapServers, String topic) {
        return Place.named(SYSTEM, servers(bootstrapServers), topic.trim());
    }

    /** The topics a {@code subscribePattern} matches on the cluster. */
    public static Place pattern(String bootstrapServers, String pattern) {
        return new Place(SYSTEM, servers(bootstrapServers), pattern, true);
    }

    private static Set<String> servers(String bootstrapServers) {
        return Arrays.stream(bootstrapServers.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
