package io.sluice.core;

import static java.util.Objects.requireNonNull;

/**
 * A batch sink's writer failed: which sink, which batch, and the writer's own exception as the
 * cause. Thrown by {@link BatchSink}'s wiring around a plugin's {@link BatchWriter}, so that the
 * failure a user reads names the sink whose code failed, as the framework's own failures name
 * theirs, rather than a plugin's bare exception.
 */
public final class BatchWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sink;
    private final long batchId;
    private final String reason;

    public BatchWriteException(String sink, long batchId, Throwable cause) {
        this(requireNonNull(sink, "sink is null"), batchId, words(requireNonNull(cause, "cause is null")), cause);
    }

    private BatchWriteException(String sink, long batchId, String reason, Throwable cause) {
        super("sink '" + sink + "' failed to write batch " + batchId + ": " + reason, cause);
        this.sink = sink;
        this.batchId = batchId;
        this.reason = reason;
    }

    /** The sink's name, as pipelines spell it. */
    public String sink() {
        return sink;
    }

    public long batchId() {
        return batchId;
    }

    /** What the writer's code said: its innermost exception's class and first line. */
    public String reason() {
        return reason;
    }

    /** The innermost exception's class and first line: what the writer's code said. */
    private static String words(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? ""
                : root.getMessage().lines().findFirst().orElse("").strip();
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
