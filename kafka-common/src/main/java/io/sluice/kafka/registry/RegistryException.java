package io.sluice.kafka.registry;

/**
 * A registry that did not give what was asked, in words that name the registry (never its
 * credentials), what was asked and what to do: the message is meant to reach the user as it is.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The registry's own error code (40401 subject not found, 40403 schema not found, ...), or 0. */
    private final int errorCode;

    RegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry answered that the subject, version or schema does not exist. */
    public boolean notFound() {
        return errorCode / 100 == 404;
    }
}
