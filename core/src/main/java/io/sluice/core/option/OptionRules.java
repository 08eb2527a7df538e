package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The common {@link OptionRule}s, as data: each checks the options and also describes itself
 * for the generated docs, in messages of one style. A rule a connector writes as a lambda
 * still works; it is only left out of the docs.
 */
public final class OptionRules {
    private OptionRules() {}

    /** A rule that says what it requires in the docs. */
    private record Described(String description, Function<ConnectorOptions, List<String>> check) implements OptionRule {
        @Override
        public List<String> check(ConnectorOptions options) {
            return check.apply(options);
        }

        @Override
        public java.util.Optional<String> describe() {
            return java.util.Optional.of(description);
        }
    }

    /** {@code set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: assign, subscribe)}. */
    public static OptionRule exactlyOneOf(OptionSpec<?>... specs) {
        List<String> names = names(specs);
        return new Described("exactly one of " + code(names), options -> {
            List<String> found = names.stream().filter(options::isSet).toList();
            if (found.size() == 1) {
                return List.of();
            }
            return List.of("set exactly one of " + quoted(names) + " (found: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
        });
    }

    /** {@code set at most one of 'a', 'b' (found: a, b)}. */
    public static OptionRule atMostOneOf(OptionSpec<?>... specs) {
        List<String> names = names(specs);
        return new Described("at most one of " + code(names), options -> {
            List<String> found = names.stream().filter(options::isSet).toList();
            if (found.size() <= 1) {
                return List.of();
            }
            return List.of("set at most one of " + quoted(names) + " (found: " + String.join(", ", found) + ")");
        });
    }

    /** {@code option 'a' needs option 'b'}: {@code needed} must be set whenever {@code when} is. */
    public static OptionRule requires(OptionSpec<?> when, OptionSpec<?> needed) {
        return requires(when, needed, "");
    }

    /** {@code option 'maxTriggerDelay' needs option 'minOffsetsPerTrigger' (it bounds the wait for it)}. */
    public static OptionRule requires(OptionSpec<?> when, OptionSpec<?> needed, String why) {
        requireNonNull(when, "when is null");
        requireNonNull(needed, "needed is null");
        String reason = requireNonNull(why, "why is null").isEmpty() ? "" : " (" + why + ")";
        return new Described(
                "`" + when.name() + "` needs `" + needed.name() + "`" + reason,
                options -> options.isSet(when.name()) && !options.isSet(needed.name())
                        ? List.of("option '" + when.name() + "' needs option '" + needed.name() + "'" + reason)
                        : List.of());
    }

    /**
     * {@code option 'startingOffsetsByTimestampStrategy' needs one of 'startingOffsetsByTimestamp',
     * 'startingTimestamp' (why)}: an option that means nothing without one of others, which would
     * otherwise be ignored without a word.
     */
    public static OptionRule requiresOneOf(OptionSpec<?> when, String why, OptionSpec<?>... needed) {
        requireNonNull(when, "when is null");
        List<String> names = names(needed);
        String reason = requireNonNull(why, "why is null").isEmpty() ? "" : " (" + why + ")";
        return new Described(
                "`" + when.name() + "` needs one of " + code(names) + reason,
                options -> options.isSet(when.name()) && names.stream().noneMatch(options::isSet)
                        ? List.of("option '" + when.name() + "' needs one of " + quoted(names) + reason)
                        : List.of());
    }

    /**
     * {@code option 'value.format' = 'json' needs option 'value.schema' (a Spark DDL schema of the value)}:
     * {@code needed} must be set when {@code when} has {@code value} (its default counts).
     */
    public static <T> OptionRule requiredWhen(OptionSpec<?> needed, OptionSpec<T> when, T value, String what) {
        return requiredWhen(needed, when, List.of(requireNonNull(value, "value is null")), what);
    }

    /** As {@link #requiredWhen(OptionSpec, OptionSpec, Object, String)}, when {@code when} has any of {@code values}. */
    public static <T> OptionRule requiredWhen(OptionSpec<?> needed, OptionSpec<T> when, List<T> values, String what) {
        requireNonNull(needed, "needed is null");
        requireNonNull(when, "when is null");
        String texts = either(when, values);
        String reason = requireNonNull(what, "what is null").isEmpty() ? "" : " (" + what + ")";
        return new Described("`" + needed.name() + "` is required when `" + when.name() + "` is " + texts, options -> {
            T actual = options.find(when).orElse(null);
            return actual != null && values.contains(actual) && !options.isSet(needed.name())
                    ? List.of("option '" + when.name() + "' = '" + when.type().format(actual) + "' needs option '"
                            + needed.name() + "'" + reason)
                    : List.of();
        });
    }

    /** {@code json}, or {@code avro, json-schema or protobuf}. */
    private static <T> String either(OptionSpec<T> when, List<T> values) {
        List<String> texts = requireNonNull(values, "values is null").stream()
                .map(value -> when.type().format(requireNonNull(value, "a value is null")))
                .toList();
        return texts.size() == 1
                ? texts.get(0)
                : String.join(", ", texts.subList(0, texts.size() - 1)) + " or " + texts.get(texts.size() - 1);
    }

    /**
     * {@code option 'value.schema' is only used when 'value.format' is json (it is avro)}: {@code option}
     * may be set only when {@code when} has {@code value} (its default counts).
     */
    public static <T> OptionRule onlyWhen(OptionSpec<?> option, OptionSpec<T> when, T value) {
        return onlyWhen(option, when, List.of(requireNonNull(value, "value is null")));
    }

    /** As {@link #onlyWhen(OptionSpec, OptionSpec, Object)}, when {@code when} has any of {@code values}. */
    public static <T> OptionRule onlyWhen(OptionSpec<?> option, OptionSpec<T> when, List<T> values) {
        requireNonNull(option, "option is null");
        requireNonNull(when, "when is null");
        String text = either(when, values);
        return new Described("`" + option.name() + "` only when `" + when.name() + "` is " + text, options -> {
            T actual = options.find(when).orElse(null);
            return options.isSet(option.name()) && (actual == null || !values.contains(actual))
                    ? List.of("option '" + option.name() + "' is only used when '" + when.name() + "' is " + text
                            + " (it is "
                            + (actual == null ? "not set" : when.type().format(actual)) + ")")
                    : List.of();
        });
    }

    private static List<String> names(OptionSpec<?>... specs) {
        return Arrays.stream(specs).map(OptionSpec::name).sorted().toList();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }

    private static String code(List<String> names) {
        return names.stream().map(name -> "`" + name + "`").collect(Collectors.joining(", "));
    }
}
