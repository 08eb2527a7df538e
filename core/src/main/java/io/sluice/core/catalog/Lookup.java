package io.sluice.core.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.definition.Problem;
import io.sluice.core.definition.ValidationException;
import io.sluice.spi.Connector;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of looking a connector up by name: the connector, or the problem that explains
 * why there is none. A value, not an exception, because validation collects problems.
 */
public final class Lookup<T extends Connector> {
    private final T connector;
    private final Problem problem;

    private Lookup(T connector, Problem problem) {
        this.connector = connector;
        this.problem = problem;
    }

    static <T extends Connector> Lookup<T> found(T connector) {
        return new Lookup<>(requireNonNull(connector, "connector is null"), null);
    }

    static <T extends Connector> Lookup<T> missing(Problem problem) {
        return new Lookup<>(null, requireNonNull(problem, "problem is null"));
    }

    public Optional<T> connector() {
        return Optional.ofNullable(connector);
    }

    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** The connector, or a {@link ValidationException} with the problem. */
    public T orElseThrow() {
        if (connector == null) {
            throw new ValidationException(List.of(problem));
        }
        return connector;
    }
}
