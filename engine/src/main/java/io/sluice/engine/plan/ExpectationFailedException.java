package io.sluice.engine.plan;

/**
 * A {@code fail} expectation broken: the batch fails before it commits, with the rule, how
 * many rows of the task broke it and the first of them in its message, which is what the
 * pipeline's failure says.
 */
public final class ExpectationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * How the message begins. Spark reports a failure raised at a task's completion by its message
     * alone (a {@code TaskCompletionListenerException} keeps no cause), so the words are what is
     * recognised.
     */
    private static final java.util.regex.Pattern BEGINS =
            java.util.regex.Pattern.compile("expectation '[A-Za-z0-9_]+' \\(fail\\) is broken by .*");

    /** The words of a broken {@code fail} expectation among {@code causes}, if one failed the batch. */
    public static java.util.Optional<String> in(java.util.List<Throwable> causes) {
        for (Throwable cause : causes) {
            String message = cause.getMessage();
            if (message == null) {
                continue;
            }
            for (String line : message.lines().toList()) {
                java.util.regex.Matcher matcher = BEGINS.matcher(line.strip());
                if (matcher.matches()) {
                    return java.util.Optional.of(line.strip());
                }
            }
        }
        return java.util.Optional.empty();
    }

    ExpectationFailedException(String message) {
        super(message);
    }
}
