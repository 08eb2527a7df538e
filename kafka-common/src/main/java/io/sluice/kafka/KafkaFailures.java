package io.sluice.kafka;

import io.sluice.core.Messages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Kafka's failures mean, in words, for the Kafka source and sink alike
 * ({@code Connector.explainFailure}): records deleted before the pipeline read them, and brokers
 * that do not answer. Recognised by the Kafka client's exception classes and by the texts Spark's
 * Kafka integration and the client use for them, anywhere in the chain of causes.
 */
public final class KafkaFailures {
    private static final Pattern TOPIC_PARTITION =
            Pattern.compile("(?i)(?:topic-?partition|partition)[:\\s]+([A-Za-z0-9._-]+-\\d+)");

    private KafkaFailures() {}

    /** The failure in words, when it is one of Kafka's; empty otherwise. */
    public static Optional<String> explain(List<Throwable> causes, Optional<Duration> silentFor) {
        Optional<Throwable> lost = first(causes, KafkaFailures::dataLost);
        if (lost.isPresent()) {
            Matcher partition =
                    TOPIC_PARTITION.matcher(String.valueOf(lost.get().getMessage()));
            return Optional.of("records were deleted from Kafka before the pipeline read them"
                    + (partition.find() ? " (at " + partition.group(1) + ")" : "")
                    + " — by retention, or the topic was deleted and created again: they are gone; set failOnDataLoss false"
                    + " to go on from the earliest records left, or start with a new checkpoint");
        }
        if (first(causes, KafkaFailures::unreachable).isPresent()) {
            return Optional.of("Kafka did not answer"
                    + silentFor
                            .map(d -> " for " + Math.max(1, d.toSeconds()) + " s")
                            .orElse("")
                    + " (the brokers are down or cannot be reached from here): check the brokers and the network, "
                    + Messages.RESUMES);
        }
        return Optional.empty();
    }

    private static boolean dataLost(Throwable t) {
        return contains(t, "Some data may have been lost")
                || t.getClass().getName().endsWith("OffsetOutOfRangeException")
                || contains(t, "KAFKA_DATA_LOSS");
    }

    private static boolean unreachable(Throwable t) {
        String name = t.getClass().getName();
        return (name.startsWith("org.apache.kafka.")
                        && (name.endsWith("TimeoutException") || name.endsWith("DisconnectException")))
                || contains(t, "Timed out waiting for a node assignment")
                || contains(t, "Failed to update metadata");
    }

    private static Optional<Throwable> first(List<Throwable> causes, Predicate<Throwable> test) {
        return causes.stream().filter(test).findFirst();
    }

    private static boolean contains(Throwable t, String text) {
        return t.getMessage() != null && t.getMessage().contains(text);
    }
}
