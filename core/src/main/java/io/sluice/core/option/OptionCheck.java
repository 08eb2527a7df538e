package io.sluice.core.option;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.function.Predicate;

/**
 * A named check on an option's value, worded once: its {@link #requirement} ends the message
 * a bad value gets ({@code option 'numRows' = '0' must be positive}), and its {@link #valid}
 * fills the "valid values" column of the generated option tables ({@code positive}).
 *
 * <pre>{@code
 * OptionSpec.intOption("numRows").description("Rows printed per batch").check(OptionCheck.positive()).build();
 * }</pre>
 *
 * @param <T> the type of the value checked
 */
public final class OptionCheck<T> {
    private final Predicate<T> test;
    private final String requirement;
    private final String valid;

    private OptionCheck(Predicate<T> test, String requirement, String valid) {
        this.test = requireNonNull(test, "test is null");
        this.requirement = requireNonNull(requirement, "requirement is null");
        this.valid = requireNonNull(valid, "valid is null");
    }

    /**
     * A check of one's own.
     *
     * @param requirement how the message ends: {@code must be a power of two}
     * @param valid what the docs list as valid: {@code a power of two}
     */
    public static <T> OptionCheck<T> of(Predicate<T> test, String requirement, String valid) {
        return new OptionCheck<>(test, requirement, valid);
    }

    /** Greater than zero: a number, or a duration. */
    public static <T> OptionCheck<T> positive() {
        return new OptionCheck<>(v -> sign(v) > 0, "must be positive", "positive");
    }

    /** Zero or more: a number, or a duration. */
    public static <T> OptionCheck<T> notNegative() {
        return new OptionCheck<>(v -> sign(v) >= 0, "must not be negative", "0 or more");
    }

    private static int sign(Object value) {
        if (value instanceof java.time.Duration duration) {
            return duration.isNegative() ? -1 : duration.isZero() ? 0 : 1;
        }
        return (int) Math.signum(((Number) value).doubleValue());
    }

    /** {@code minimum} or more. */
    public static <N extends Number> OptionCheck<N> atLeast(long minimum) {
        return new OptionCheck<>(n -> n.doubleValue() >= minimum, "must be at least " + minimum, minimum + " or more");
    }

    /** A list or a text with something in it. */
    public static <T> OptionCheck<T> nonEmpty() {
        return new OptionCheck<>(
                v -> !(v instanceof Collection<?> c && c.isEmpty()) && !(v instanceof CharSequence t && t.isEmpty()),
                "must not be empty",
                "not empty");
    }

    boolean test(T value) {
        return test.test(value);
    }

    /** How the message for a value that fails ends: {@code must be positive}. */
    public String requirement() {
        return requirement;
    }

    /** What the docs list as valid: {@code positive}. */
    public String valid() {
        return valid;
    }

    @Override
    public String toString() {
        return valid;
    }
}
