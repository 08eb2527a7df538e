package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An unmodifiable map of option values whose {@code toString()} hides the values of the keys
 * it is told are secret: option maps end up in log lines and exception messages by way of
 * string concatenation, and a JAAS configuration or a key must not go with them. Equal to
 * any map with the same entries.
 */
public final class MaskedMap extends AbstractMap<String, String> {
    /** What a hidden value prints as. */
    public static final String HIDDEN = "*****";

    private final Map<String, String> values;
    private final Predicate<String> secret;

    private MaskedMap(Map<String, String> values, Predicate<String> secret) {
        this.values = Map.copyOf(requireNonNull(values, "values is null"));
        this.secret = requireNonNull(secret, "secret is null");
    }

    /** {@code values}, printing {@link #HIDDEN} for each key {@code secret} accepts. */
    public static Map<String, String> of(Map<String, String> values, Predicate<String> secret) {
        return new MaskedMap(values, secret);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return values.entrySet();
    }

    @Override
    public String get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public int size() {
        return values.size();
    }

    /** {@code {subscribe=orders, kafka.sasl.jaas.config=*****}}, sorted by key. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, secret.test(key) ? HIDDEN : value));
        return shown.toString();
    }
}
