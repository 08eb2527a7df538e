package io.sluice.core.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The outcome of looking a connector up by name: the connector, or the problem that explains
 * why there is none. A value, not an exception, because validation collects problems.
 */
public final class Lookup<T extends Connector> {
    private final T connector;
    private final String problem;

    private Lookup(T connector, String problem) {
        this.connector = connector;
        this.problem = problem;
    }

    static <T extends Connector> Lookup<T> found(T connector) {
        return new Lookup<>(requireNonNull(connector, "connector is null"), null);
    }

    static <T extends Connector> Lookup<T> missing(String problem) {
        return new Lookup<>(null, requireNonNull(problem, "problem is null"));
    }

    /** The connector, when exactly one has the name. */
    public Optional<T> connector() {
        return Optional.ofNullable(connector);
    }

    /** Why there is no connector: in words, with what was probably meant and what exists. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The connector, or a {@link NoSuchElementException} whose message is the problem. */
    public T orElseThrow() {
        if (connector == null) {
            throw new NoSuchElementException(problem);
        }
        return connector;
    }
}
