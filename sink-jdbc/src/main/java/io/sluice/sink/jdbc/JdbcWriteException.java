package io.sluice.sink.jdbc;

import java.util.List;
import java.util.Optional;

/**
 * A write the database refused or could not take, in words ({@code table 'orders' refused the
 * row with id=42: ...}), and whether trying again may succeed (a lost connection, a deadlock).
 * Thrown in a task, it reaches the driver inside Spark's job failure, where the sink retries
 * the batch or explains the failure with its message.
 */
final class JdbcWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    JdbcWriteException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    boolean retriable() {
        return retriable;
    }

    /** The first of {@code causes} that is one, outermost first. */
    static Optional<JdbcWriteException> in(List<Throwable> causes) {
        return causes.stream()
                .filter(JdbcWriteException.class::isInstance)
                .map(JdbcWriteException.class::cast)
                .findFirst();
    }

    /** {@code failure} and its causes, outermost first. */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
