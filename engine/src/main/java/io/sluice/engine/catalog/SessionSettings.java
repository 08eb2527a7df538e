package io.sluice.engine.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The session settings connectors declare with {@link Connector#sessionSettings()}: merged for
 * a session being built, and checked in a session being adopted.
 */
public final class SessionSettings {
    /** A setting whose value is a comma-separated list of classes, to which each connector adds its own. */
    static final String EXTENSIONS = "spark.sql.extensions";

    private SessionSettings() {}

    /** What every connector of the registry needs, merged: extension lists joined, other keys as declared. */
    public static Map<String, String> required(ConnectorRegistry registry) {
        requireNonNull(registry, "registry is null");
        Map<String, String> merged = new LinkedHashMap<>();
        Stream.concat(registry.sources().stream(), registry.sinks().stream())
                .forEach(connector -> new TreeMap<>(connector.sessionSettings())
                        .forEach((key, value) ->
                                merged.merge(key, value, (a, b) -> key.equals(EXTENSIONS) ? join(a, b) : a)));
        return merged;
    }

    /**
     * What a session built for these connectors starts with: {@link #required} and Spark's
     * {@code spark.redaction.regex} extended by every option the connectors declare secret, so
     * that Spark masks them in its environment, UI and event log too (a static setting: only
     * a session being built can have it).
     */
    public static Map<String, String> forNewSession(ConnectorRegistry registry) {
        Map<String, String> settings = new LinkedHashMap<>(required(registry));
        Redaction.declared(registry)
                .ifPresent(declared -> settings.put(Redaction.CORE_REGEX, Redaction.CORE_DEFAULT + "|" + declared));
        return settings;
    }

    /** {@code base} with {@code added} on top; extension lists are joined rather than replaced. */
    public static Map<String, String> overlay(Map<String, String> base, Map<String, String> added) {
        Map<String, String> result = new LinkedHashMap<>(base);
        added.forEach((key, value) -> result.merge(key, value, (a, b) -> key.equals(EXTENSIONS) ? join(a, b) : b));
        return result;
    }

    /** The settings the connector needs that the session lacks, as {@code key=value} sorted by key; empty when it has them all. */
    public static List<String> missing(SparkSession spark, Connector connector) {
        requireNonNull(spark, "spark is null");
        requireNonNull(connector, "connector is null");
        List<String> missing = new ArrayList<>();
        new TreeMap<>(connector.sessionSettings()).forEach((key, value) -> {
            String actual = spark.conf().getOption(key).getOrElse(() -> null);
            boolean present = key.equals(EXTENSIONS)
                    ? actual != null && classes(actual).containsAll(classes(value))
                    : value.equals(actual);
            if (!present) {
                missing.add(key + "=" + value);
            }
        });
        return missing;
    }

    private static String join(String first, String second) {
        Set<String> classes = new LinkedHashSet<>(classes(first));
        classes.addAll(classes(second));
        return String.join(",", classes);
    }

    private static List<String> classes(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(c -> !c.isEmpty())
                .collect(Collectors.toList());
    }
}
