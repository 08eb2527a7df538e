package io.sluice.engine.definition;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One mistake found while validating a pipeline, in words a user can act on.
 *
 * <p>Validation never stops at the first mistake: it collects every {@code Problem} so the
 * user fixes a pipeline in one round trip instead of one error per run. The {@code subject}
 * says where the mistake is ({@code source 'kafka'}, {@code sink 'parquet'},
 * {@code pipeline 'orders'}); it is empty for problems that belong to no connector, such as
 * an unknown connector name. The text is part of Sluice's interface: tests pin it.
 *
 * <p>The {@code parts} and {@code item} say which part of the pipeline's definition the
 * problem is about — {@code [SOURCE, OPTIONS]} and {@code kafka.bootstrap.servers}, or
 * {@code [TRANSFORMS]} and {@code 2} — so that a front end (the pipeline file) can point at
 * the line that holds it. Both are empty when no single part is to blame; they are not part
 * of the message. The {@code scope} places them in one entry of a list the definition has:
 * {@code [sinks, 2]} before {@code [OPTIONS]} and {@code path} points at the second sink's
 * {@code path} ({@link #under}).
 */
public record Problem(String subject, String message, List<Part> parts, Optional<String> item, List<String> scope)
        implements Comparable<Problem> {

    public Problem {
        requireNonNull(subject, "subject is null");
        requireNonNull(message, "message is null");
        parts = List.copyOf(requireNonNull(parts, "parts is null"));
        requireNonNull(item, "item is null");
        scope = List.copyOf(requireNonNull(scope, "scope is null"));
    }

    /** A problem about a part of the definition, or one item of it. */
    public Problem(String subject, String message, List<Part> parts, Optional<String> item) {
        this(subject, message, parts, item, List.of());
    }

    /** A problem about a part of the definition: {@code new Problem(subject, text, Part.SINK, Part.OPTIONS)}. */
    public Problem(String subject, String message, Part... parts) {
        this(subject, message, List.of(parts), Optional.empty());
    }

    /** A problem that belongs to no connector or pipeline. */
    public static Problem of(String message) {
        return new Problem("", message);
    }

    /** The same problem about one item of its part: an option's key, a transform's number (from 1). */
    public Problem item(String item) {
        return new Problem(subject, message, parts, Optional.of(requireNonNull(item, "item is null")), scope);
    }

    /**
     * The same problem about one entry of a list the definition has: {@code under(SINKS, "2")} on
     * a sink's option problem points at {@code sinks, 2, options, path}.
     */
    public Problem under(Part list, String entry) {
        List<String> longer = new ArrayList<>(List.of(list.key(), requireNonNull(entry, "entry is null")));
        longer.addAll(scope);
        return new Problem(subject, message, parts, item, longer);
    }

    /** The same problem inside a larger part: {@code within(SOURCE, OPTIONS)} on an option's problem. */
    public Problem within(Part... outer) {
        List<Part> longer = new ArrayList<>(List.of(outer));
        longer.addAll(parts);
        return new Problem(subject, message, longer, item, scope);
    }

    /** Where the problem is, as the pipeline file spells it: {@code [source, options, subscribe]}. */
    public List<String> path() {
        List<String> path = new ArrayList<>(scope);
        path.addAll(Part.keys(parts));
        item.ifPresent(path::add);
        return path;
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
