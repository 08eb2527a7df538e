package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A family of pass-through options that share a prefix, such as {@code kafka.*}, handed on
 * to a library that has far more settings than a connector should redeclare.
 *
 * <p>When the library publishes its setting names ({@code knownKeys}, without the prefix),
 * unknown keys are errors with a "did you mean" — this is what catches
 * {@code kafka.bootsrap.servers}. Keys for which {@code secretKey} is true are masked
 * everywhere, like secret options.
 */
public final class OptionPrefix {
    private final String prefix;
    private final String description;
    private final Optional<Set<String>> knownKeys;
    private final Predicate<String> secretKey;
    private final BiFunction<String, String, Optional<String>> valueCheck;

    private OptionPrefix(
            String prefix,
            String description,
            Optional<Set<String>> knownKeys,
            Predicate<String> secretKey,
            BiFunction<String, String, Optional<String>> valueCheck) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.description = requireNonNull(description, "description is null");
        this.knownKeys = requireNonNull(knownKeys, "knownKeys is null").map(Set::copyOf);
        this.secretKey = requireNonNull(secretKey, "secretKey is null");
        this.valueCheck = requireNonNull(valueCheck, "valueCheck is null");
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("prefix must end with '.': " + prefix);
        }
    }

    /** Any key under the prefix passes; nothing is secret. */
    public static OptionPrefix open(String prefix, String description) {
        return new OptionPrefix(prefix, description, Optional.empty(), key -> false, (key, value) -> Optional.empty());
    }

    /** Only the library's own keys pass; {@code secretKey} tells which of them are secret. */
    public static OptionPrefix checked(
            String prefix, String description, Set<String> knownKeys, Predicate<String> secretKey) {
        return new OptionPrefix(
                prefix, description, Optional.of(knownKeys), secretKey, (key, value) -> Optional.empty());
    }

    /**
     * The same prefix, with the library's own check of each value: {@code check} gets the key
     * (without the prefix) and the value, and returns why the library would refuse it — so a
     * value the library would reject when the query starts is reported before, with the rest.
     * It is called for secret keys too: it must never repeat the value it refuses.
     */
    public OptionPrefix withValueCheck(BiFunction<String, String, Optional<String>> check) {
        return new OptionPrefix(prefix, description, knownKeys, secretKey, requireNonNull(check, "check is null"));
    }

    /**
     * Why the library would refuse this value, or empty. Secret keys are checked too (a
     * malformed JAAS configuration is better refused here than in the client's exception, which
     * quotes it), so a value check must never repeat the value it refuses.
     */
    public Optional<String> checkValue(String optionName, String value) {
        return valueCheck.apply(optionName.substring(prefix.length()), value);
    }

    public String prefix() {
        return prefix;
    }

    public String description() {
        return description;
    }

    /** The keys the library knows, without the prefix; empty when any key is accepted. */
    public Optional<Set<String>> knownKeys() {
        return knownKeys;
    }

    public boolean matches(String optionName) {
        return optionName.startsWith(prefix) && optionName.length() > prefix.length();
    }

    public boolean isKnown(String optionName) {
        return knownKeys
                .map(keys -> keys.contains(optionName.substring(prefix.length())))
                .orElse(true);
    }

    public boolean isSecret(String optionName) {
        return secretKey.test(optionName.substring(prefix.length()));
    }
}
