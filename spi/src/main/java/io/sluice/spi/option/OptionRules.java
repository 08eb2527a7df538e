package io.sluice.spi.option;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The common {@link OptionRule}s, with messages in one style. */
public final class OptionRules {
    private OptionRules() {}

    /** {@code set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: assign, subscribe)}. */
    public static OptionRule exactlyOneOf(OptionSpec<?>... specs) {
        List<String> names = names(specs);
        return options -> {
            List<String> found = names.stream().filter(options::isSet).toList();
            if (found.size() == 1) {
                return List.of();
            }
            return List.of("set exactly one of " + quoted(names) + " (found: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
        };
    }

    /** {@code set at most one of 'a', 'b' (found: a, b)}. */
    public static OptionRule atMostOneOf(OptionSpec<?>... specs) {
        List<String> names = names(specs);
        return options -> {
            List<String> found = names.stream().filter(options::isSet).toList();
            if (found.size() <= 1) {
                return List.of();
            }
            return List.of("set at most one of " + quoted(names) + " (found: " + String.join(", ", found) + ")");
        };
    }

    /** {@code option 'a' needs option 'b'}: {@code needed} must be set whenever {@code when} is. */
    public static OptionRule requires(OptionSpec<?> when, OptionSpec<?> needed) {
        requireNonNull(when, "when is null");
        requireNonNull(needed, "needed is null");
        return options -> options.isSet(when.name()) && !options.isSet(needed.name())
                ? List.of("option '" + when.name() + "' needs option '" + needed.name() + "'")
                : List.of();
    }

    private static List<String> names(OptionSpec<?>... specs) {
        return Arrays.stream(specs).map(OptionSpec::name).sorted().toList();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }
}
