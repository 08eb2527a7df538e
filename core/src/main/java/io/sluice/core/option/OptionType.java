package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of an option's value: how text from a pipeline becomes a typed value, and how a
 * failure reads ("is not a long"). One instance per type, shared by every option of it.
 *
 * @param <T> the Java type of parsed values
 */
public final class OptionType<T> {
    private static final Pattern DURATION_TEXT =
            Pattern.compile("(\\d+)\\s*(ms|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)");

    public static final OptionType<String> STRING =
            new OptionType<>("string", "a string", value -> value, String::valueOf);
    public static final OptionType<Integer> INT =
            new OptionType<>("int", "an int", text -> Integer.parseInt(text.trim()), String::valueOf);
    public static final OptionType<Long> LONG =
            new OptionType<>("long", "a long", text -> Long.parseLong(text.trim()), String::valueOf);
    public static final OptionType<Boolean> BOOLEAN =
            new OptionType<>("boolean", "a boolean (true or false)", OptionType::parseBoolean, String::valueOf);
    public static final OptionType<Duration> DURATION = new OptionType<>(
            "duration",
            "a duration (e.g. '10 seconds', '500ms', '2m')",
            OptionType::parseDuration,
            OptionType::formatDuration);
    public static final OptionType<List<String>> LIST =
            new OptionType<>("list", "a comma-separated list", OptionType::parseList, list -> String.join(",", list));

    private final String name;
    private final String expectation;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final List<String> values;

    private OptionType(String name, String expectation, Function<String, T> parser, Function<T, String> formatter) {
        this(name, expectation, parser, formatter, List.of());
    }

    private OptionType(
            String name,
            String expectation,
            Function<String, T> parser,
            Function<T, String> formatter,
            List<String> values) {
        this.name = requireNonNull(name, "name is null");
        this.expectation = requireNonNull(expectation, "expectation is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.formatter = requireNonNull(formatter, "formatter is null");
        this.values = List.copyOf(values);
    }

    /**
     * One of a fixed set of words, matched without regard to case and returned as written in
     * {@code values}, so connectors compare against their own constants.
     */
    public static OptionType<String> oneOf(String... values) {
        List<String> allowed = Arrays.stream(values).sorted().toList();
        String listing = "one of: " + String.join(", ", allowed);
        return new OptionType<>(
                "enum",
                listing,
                text -> {
                    for (String value : allowed) {
                        if (value.equalsIgnoreCase(text.trim())) {
                            return value;
                        }
                    }
                    throw new IllegalArgumentException(Suggestions.didYouMean(text, allowed));
                },
                value -> value,
                allowed);
    }

    /** An enum's constants, spelled in lower case in pipelines ({@code append}, {@code update}). */
    public static <E extends Enum<E>> OptionType<E> enumOf(Class<E> type) {
        requireNonNull(type, "type is null");
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .sorted()
                .toList();
        return new OptionType<>(
                "enum",
                "one of: " + String.join(", ", names),
                text -> {
                    for (E constant : type.getEnumConstants()) {
                        if (constant.name().equalsIgnoreCase(text.trim())) {
                            return constant;
                        }
                    }
                    throw new IllegalArgumentException(Suggestions.didYouMean(text, names));
                },
                constant -> constant.name().toLowerCase(Locale.ROOT),
                names);
    }

    /** A short name for catalogues: string, int, long, boolean, duration, list, enum. */
    public String name() {
        return name;
    }

    /** The words an enum option takes, sorted (for catalogues and the file's JSON Schema); empty for other types. */
    public List<String> values() {
        return values;
    }

    /** What a valid value is, as the end of "is not …": {@code a long}, {@code one of: a, b}. */
    public String expectation() {
        return expectation;
    }

    /**
     * Parses text into a value.
     *
     * @throws IllegalArgumentException when the text is not of this type; its message, if
     *     not empty, is a hint appended to the standard message (e.g. a "did you mean").
     */
    public T parse(String text) {
        requireNonNull(text, "text is null");
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("", e);
        }
    }

    /** The text form of a value, for defaults in catalogues and documentation. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static Boolean parseBoolean(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("");
    }

    private static Duration parseDuration(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("");
            }
        }
        Matcher matcher = DURATION_TEXT.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return Duration.ofMillis(amount);
        }
        return switch (unit.charAt(0)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Spark's interval spelling ({@code 10 seconds}), which is also what we accept. */
    public static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"days", "hours", "minutes", "seconds"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis != 0 && millis % sizes[i] == 0) {
                return (millis / sizes[i]) + " " + units[i];
            }
        }
        return millis + " milliseconds";
    }

    private static List<String> parseList(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(" (it has an empty item)");
            }
            items.add(trimmed);
        }
        return List.copyOf(items);
    }

    static String joinSorted(List<String> values) {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }
}
