package io.sluice.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.Suggestions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The questions the Kafka source and sink ask a cluster before start, asked one way for both:
 * an admin client built from a connector's {@code kafka.*} options (security, addresses) with
 * short timeouts, whether the cluster answers, and whether the topics a pipeline reads or
 * writes exist. A topic that does not exist is the commonest Kafka mistake, and the client's own
 * answer to it comes late and says little: a consumer waits, a producer fails a batch after
 * {@code max.block.ms} ("Topic … not present in metadata after 60000 ms") — after the batch's
 * other writes were made.
 */
public final class KafkaAdmin {
    /** How long the cluster has to answer each question; a whole check stays within a few of these. */
    public static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("sluice.preflight.timeoutSeconds", 10));

    private KafkaAdmin() {}

    /** An admin client's settings from {@code kafka.*} options, each request bounded by {@code timeout}. */
    public static Map<String, Object> config(ConnectorOptions options, Duration timeout) {
        requireNonNull(options, "options is null");
        requireNonNull(timeout, "timeout is null");
        Map<String, Object> config = new HashMap<>();
        options.withPrefix("kafka.").forEach((key, value) -> config.put(key.substring("kafka.".length()), value));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }

    /** Empty when the cluster answers within {@link #TIMEOUT}; otherwise why not, in words (see {@link #words}). */
    public static Optional<String> reach(Admin admin, String servers, String allow) throws InterruptedException {
        try {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of(words(e, servers, allow));
        }
    }

    /**
     * One line for what went wrong talking to the cluster at {@code servers}, the client's exception
     * left to the log; {@code allow} is what the cluster must allow and how, for a refusal
     * ({@code "describe the topics it reads: grant it Describe and Read on them"}).
     */
    public static String words(Exception e, String servers, String allow) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AuthenticationException) {
            return "Kafka at " + servers
                    + " refused the credentials: check kafka.sasl.jaas.config and kafka.sasl.mechanism"
                    + " (and kafka.security.protocol)";
        }
        if (cause instanceof AuthorizationException) {
            return "Kafka at " + servers + " does not allow this client to " + allow
                    + ", or check the kafka.sasl.* settings name the right user";
        }
        return "Kafka did not answer at " + servers + " within " + TIMEOUT.toSeconds() + " s: check"
                + " kafka.bootstrap.servers, that the brokers are up and reachable from here, and"
                + " kafka.security.protocol";
    }

    /** The cluster's topics, internal ones included (a pipeline may name them). */
    public static Set<String> topics(Admin admin) throws Exception {
        return admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                .names()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A problem for each topic named by an option that is not in {@code existing}: the option, the
     * topic, the cluster, what was probably meant, and the fix. {@code named} maps each topic to the
     * option that names it; the problems come sorted by topic.
     */
    public static List<String> missingTopics(Map<String, String> named, Set<String> existing, String servers) {
        Set<String> visible = existing.stream().filter(t -> !t.startsWith("__")).collect(Collectors.toSet());
        return new TreeMap<>(named)
                .entrySet().stream()
                        .filter(e -> !existing.contains(e.getKey()))
                        .map(e -> missingTopic(e.getValue(), e.getKey(), visible, servers))
                        .toList();
    }

    /**
     * {@link #missingTopics} for topics a pipeline writes: none is missing where the brokers create
     * topics on first write ({@code auto.create.topics.enable}, Kafka's default), as a producer's
     * first record then creates it.
     */
    public static List<String> missingWrittenTopics(
            Admin admin, Map<String, String> named, Set<String> existing, String servers) throws Exception {
        List<String> missing = missingTopics(named, existing, servers);
        return missing.isEmpty() || createsTopicsOnWrite(admin) ? List.of() : missing;
    }

    /** Whether a broker of the cluster has {@code auto.create.topics.enable} on. */
    static boolean createsTopicsOnWrite(Admin admin) throws Exception {
        var node = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                .findFirst();
        if (node.isEmpty()) {
            return false;
        }
        var broker = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.BROKER,
                node.get().idString());
        var entry = admin.describeConfigs(List.of(broker))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(broker)
                .get("auto.create.topics.enable");
        return entry != null && Boolean.parseBoolean(entry.value());
    }

    private static String missingTopic(String option, String topic, Set<String> visible, String servers) {
        return "option '" + option + "' names topic '" + topic + "', which does not exist on " + servers
                + Suggestions.didYouMean(topic, visible) + " (create it first, or correct '" + option + "')";
    }
}
