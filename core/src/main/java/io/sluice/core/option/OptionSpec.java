package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The declaration of one connector option: name, type, default or required, description,
 * whether it is secret, the deprecated names it still answers to, and checks on its value.
 *
 * <p>This single definition drives parsing, type conversion, defaults, validation, error
 * messages, the connector catalogue and the option tables in the README, so they cannot
 * drift apart. Declare options as {@code static final} constants on the connector:
 *
 * <pre>{@code
 * static final OptionSpec<Long> MAX_OFFSETS_PER_TRIGGER = OptionSpec.longOption("maxOffsetsPerTrigger")
 *         .description("Upper bound of offsets processed per trigger")
 *         .check(OptionCheck.positive())
 *         .build();
 * }</pre>
 *
 * @param <T> the type of the parsed value
 */
public final class OptionSpec<T> {
    private final String name;
    private final OptionType<T> type;
    private final T defaultValue;
    private final boolean required;
    private final String description;
    private final boolean secret;
    private final List<String> deprecatedAliases;
    private final List<Function<T, Optional<String>>> checks;
    private final List<String> valid;

    private OptionSpec(Builder<T> builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.required = builder.required;
        this.description = builder.description;
        this.secret = builder.secret;
        this.deprecatedAliases = List.copyOf(builder.deprecatedAliases);
        this.checks = List.copyOf(builder.checks);
        this.valid = List.copyOf(builder.valid);
    }

    public static Builder<String> stringOption(String name) {
        return new Builder<>(name, OptionType.STRING);
    }

    public static Builder<Integer> intOption(String name) {
        return new Builder<>(name, OptionType.INT);
    }

    public static Builder<Long> longOption(String name) {
        return new Builder<>(name, OptionType.LONG);
    }

    public static Builder<Boolean> booleanOption(String name) {
        return new Builder<>(name, OptionType.BOOLEAN);
    }

    public static Builder<Duration> durationOption(String name) {
        return new Builder<>(name, OptionType.DURATION);
    }

    public static Builder<List<String>> listOption(String name) {
        return new Builder<>(name, OptionType.LIST);
    }

    /** An option whose value is one of a few words, matched regardless of case. */
    public static Builder<String> oneOfOption(String name, String... values) {
        return new Builder<>(name, OptionType.oneOf(values));
    }

    public static <E extends Enum<E>> Builder<E> enumOption(String name, Class<E> type) {
        return new Builder<>(name, OptionType.enumOf(type));
    }

    public static <T> Builder<T> option(String name, OptionType<T> type) {
        return new Builder<>(name, type);
    }

    public String name() {
        return name;
    }

    public OptionType<T> type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as text, or {@code ""} when there is none; for catalogues and docs. */
    public String defaultText() {
        return defaultValue == null ? "" : type.format(defaultValue);
    }

    public boolean required() {
        return required;
    }

    public String description() {
        return description;
    }

    /** A secret's value never appears in a message, a log line or a {@code toString()}. */
    public boolean secret() {
        return secret;
    }

    /** Old names that still work, with a warning, so renaming an option breaks no pipeline. */
    public List<String> deprecatedAliases() {
        return deprecatedAliases;
    }

    /**
     * What a value must be, as the docs' "valid values" column says it: the words of a
     * one-of type, the named checks' descriptions ({@code positive}); empty when any value
     * of the type goes.
     */
    public String validValues() {
        List<String> parts = new ArrayList<>();
        if (!type.values().isEmpty()) {
            parts.add(String.join(", ", type.values()));
        }
        parts.addAll(valid);
        return String.join("; ", parts);
    }

    /**
     * Runs the value checks; each failure is the end of a sentence that starts with the
     * option and its value ({@code must be positive}).
     */
    public List<String> check(T value) {
        List<String> failures = new ArrayList<>();
        for (Function<T, Optional<String>> check : checks) {
            check.apply(value).ifPresent(failures::add);
        }
        return failures;
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }

    /** Builds an {@link OptionSpec}; every option needs a description, because users read it. */
    public static final class Builder<T> {
        private final String name;
        private final OptionType<T> type;
        private T defaultValue;
        private boolean required;
        private String description;
        private boolean secret;
        private final List<String> deprecatedAliases = new ArrayList<>();
        private final List<Function<T, Optional<String>>> checks = new ArrayList<>();
        private final List<String> valid = new ArrayList<>();

        private Builder(String name, OptionType<T> type) {
            this.name = requireNonNull(name, "name is null");
            this.type = requireNonNull(type, "type is null");
        }

        public Builder<T> description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        public Builder<T> required() {
            this.required = true;
            return this;
        }

        public Builder<T> defaultValue(T defaultValue) {
            this.defaultValue = requireNonNull(defaultValue, "defaultValue is null");
            return this;
        }

        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        public Builder<T> deprecatedAlias(String alias) {
            deprecatedAliases.add(requireNonNull(alias, "alias is null"));
            return this;
        }

        /** A named check ({@link OptionCheck#positive()}): its failure reads "option 'x' = 'v' must be positive". */
        public Builder<T> check(OptionCheck<? super T> check) {
            requireNonNull(check, "check is null");
            checks.add(value -> check.test(value) ? Optional.empty() : Optional.of(check.requirement()));
            valid.add(check.valid());
            return this;
        }

        /** A check that explains its own failure (e.g. where a JSON value is malformed). */
        public Builder<T> check(Function<T, Optional<String>> check) {
            checks.add(requireNonNull(check, "check is null"));
            return this;
        }

        public OptionSpec<T> build() {
            if (description == null || description.isBlank()) {
                throw new IllegalStateException("option '" + name + "' needs a description");
            }
            if (required && defaultValue != null) {
                throw new IllegalStateException("option '" + name + "' cannot be both required and defaulted");
            }
            return new OptionSpec<>(this);
        }
    }
}
