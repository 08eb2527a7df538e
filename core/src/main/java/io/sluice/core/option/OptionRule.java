package io.sluice.core.option;

import java.util.List;
import java.util.Optional;

/**
 * A constraint between options (exactly one of, requires, only when), checked after every
 * option parsed. Each failure is a message without the connector prefix; the validator adds
 * it. Most connectors need only the factories in {@link OptionRules}, which also describe
 * themselves in the generated docs.
 */
@FunctionalInterface
public interface OptionRule {
    List<String> check(ConnectorOptions options);

    /** The rule in one line of Markdown for the connector's docs page; empty for a rule that does not say. */
    default Optional<String> describe() {
        return Optional.empty();
    }
}
