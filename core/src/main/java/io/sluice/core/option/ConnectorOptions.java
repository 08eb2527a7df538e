package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A connector's options after validation: typed values of declared options (or their
 * defaults) and the raw text of every option, including pass-through keys.
 *
 * <p>Immutable. Connectors receive it only after every check passed, so {@link #get}
 * never meets a malformed value. {@link #toString()} masks secrets, so an instance may be
 * logged safely.
 */
public final class ConnectorOptions {
    private final Map<String, String> raw;
    private final Map<String, Object> parsed;
    private final Predicate<String> secret;

    /**
     * Options as the framework's validator builds them, once every check passed: {@code raw}
     * as the user wrote them, {@code parsed} the typed values of declared options and their
     * defaults, {@code secret} which keys to mask. Public for the validator and for tests; a
     * connector only receives instances.
     */
    public ConnectorOptions(Map<String, String> raw, Map<String, Object> parsed, Predicate<String> secret) {
        this.raw = Map.copyOf(requireNonNull(raw, "raw is null"));
        this.parsed = Map.copyOf(requireNonNull(parsed, "parsed is null"));
        this.secret = requireNonNull(secret, "secret is null");
    }

    /** The value of a declared option, or its default; fails if it has neither. */
    public <T> T get(OptionSpec<T> spec) {
        return find(spec)
                .orElseThrow(
                        () -> new IllegalStateException("option '" + spec.name() + "' is not set and has no default"));
    }

    /** The value the user set, or the default, or empty. */
    public <T> Optional<T> find(OptionSpec<T> spec) {
        requireNonNull(spec, "spec is null");
        @SuppressWarnings("unchecked")
        T value = (T) parsed.get(spec.name());
        return value != null ? Optional.of(value) : spec.defaultValue();
    }

    /** Whether the user set this option (a default does not count). */
    public boolean isSet(OptionSpec<?> spec) {
        return isSet(spec.name());
    }

    public boolean isSet(String name) {
        return raw.containsKey(name);
    }

    /** Every option the user set, by its current name, as text: what Spark's reader or writer takes. */
    public Map<String, String> asMap() {
        return MaskedMap.of(raw, secret);
    }

    /** The options under a prefix, with the prefix kept ({@code kafka.bootstrap.servers}). */
    public Map<String, String> withPrefix(String prefix) {
        return raw.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(prefix))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public boolean isSecret(String name) {
        return secret.test(name);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
