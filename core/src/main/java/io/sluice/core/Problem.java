package io.sluice.core;

import static java.util.Objects.requireNonNull;

/**
 * One mistake found while validating a pipeline, in words a user can act on.
 *
 * <p>Validation never stops at the first mistake: it collects every {@code Problem} so the
 * user fixes a pipeline in one round trip instead of one error per run. The {@code subject}
 * says where the mistake is ({@code source 'kafka'}, {@code sink 'parquet'},
 * {@code pipeline 'orders'}); it is empty for problems that belong to no connector, such as
 * an unknown connector name. The text is part of Sluice's interface: tests pin it.
 */
public record Problem(String subject, String message) implements Comparable<Problem> {

    public Problem {
        requireNonNull(subject, "subject is null");
        requireNonNull(message, "message is null");
    }

    /** A problem that belongs to no connector or pipeline. */
    public static Problem of(String message) {
        return new Problem("", message);
    }

    @Override
    public int compareTo(Problem other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return subject.isEmpty() ? message : subject + ": " + message;
    }
}
