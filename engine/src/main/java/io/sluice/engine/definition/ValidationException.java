package io.sluice.engine.definition;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Thrown when a pipeline is started although validation found problems.
 *
 * <p>It carries every problem, not just the first, and its message lists them one per line,
 * so the log of a failed start is a complete to-do list. No stack trace is needed to
 * understand a user's mistake; the exception exists so that code can still catch it.
 */
public final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    public ValidationException(String what, List<Problem> problems) {
        super(render(requireNonNull(what, "what is null"), requireNonNull(problems, "problems is null")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** For problems that belong to nothing larger, such as a connector that cannot be looked up. */
    public ValidationException(List<Problem> problems) {
        this("", problems);
    }

    private static String render(String what, List<Problem> problems) {
        if (what.isEmpty()) {
            return String.join("\n", problems.stream().map(Problem::toString).toList());
        }
        if (problems.size() == 1) {
            return what + " is invalid: " + problems.get(0);
        }
        StringBuilder text = new StringBuilder(what)
                .append(" is invalid (")
                .append(problems.size())
                .append(" problems):");
        for (Problem problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
