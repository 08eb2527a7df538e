package io.sluice.engine.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks the values of options declared secret in any text shown to a person or a tool — a
 * failure's message, a status body, a printed plan — whether the value was written in a file or
 * came from a variable. Values shorter than 3 characters are left alone (masking "a" would
 * mangle every text); the longest first, so a secret containing another is masked whole.
 */
public final class SecretMask {
    public static final String MASK = "*****";
    private final List<String> values;

    private SecretMask(List<String> values) {
        this.values = values;
    }

    public static SecretMask of(Collection<String> secretValues) {
        return new SecretMask(requireNonNull(secretValues, "secretValues is null").stream()
                .filter(v -> v != null && v.length() >= 3)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList());
    }

    public String mask(String text) {
        String masked = requireNonNull(text, "text is null");
        for (String value : values) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }
}
