package io.sluice.core.definition;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Sluice;
import java.util.ArrayList;
import java.util.List;

/**
 * One mistake found while validating a pipeline, in words a user can act on.
 *
 * <p>Validation never stops at the first mistake: it collects every {@code Problem} so the
 * user fixes a pipeline in one round trip instead of one error per run. The {@code subject}
 * says where the mistake is ({@code source 'kafka'}, {@code sink 'parquet'},
 * {@code pipeline 'orders'}); it is empty for problems that belong to no connector, such as
 * an unknown connector name. The text is part of Sluice's interface: tests pin it.
 *
 * <p>The {@code path} says which part of the pipeline's definition the problem is about,
 * such as {@code [source, options, kafka.bootstrap.servers]} or {@code [transforms, 2]}, so
 * that a front end (the pipeline file) can point at the line that holds it. It is empty when
 * no single part is to blame; it is not part of the message.
 */
public record Problem(String subject, String message, List<String> path) implements Comparable<Problem> {

    public Problem {
        requireNonNull(subject, "subject is null");
        requireNonNull(message, "message is null");
        path = List.copyOf(requireNonNull(path, "path is null"));
    }

    public Problem(String subject, String message) {
        this(subject, message, List.of());
    }

    /** A problem that belongs to no connector or pipeline. */
    public static Problem of(String message) {
        return new Problem("", message);
    }

    /** The same problem about a part further down: {@code at("options", key)} on a problem of the source. */
    public Problem at(String... parts) {
        List<String> longer = new ArrayList<>(path);
        longer.addAll(List.of(parts));
        return new Problem(subject, message, longer);
    }

    /** The same problem inside a larger part: {@code within("source", "options")} on an option's problem. */
    public Problem within(String... parts) {
        List<String> longer = new ArrayList<>(List.of(parts));
        longer.addAll(path);
        return new Problem(subject, message, longer);
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
