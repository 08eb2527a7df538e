package io.sluice.testkit;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options written as {@code "key", "value", ...} pairs in tests, on top of a base set; later pairs win. */
public final class OptionPairs {
    private OptionPairs() {}

    public static Map<String, String> with(Map<String, String> base, String... pairs) {
        requireNonNull(base, "base is null");
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("options come in key, value pairs; got " + pairs.length + " strings");
        }
        Map<String, String> options = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(options);
    }
}
