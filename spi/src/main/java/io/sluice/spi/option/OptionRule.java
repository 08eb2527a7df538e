package io.sluice.spi.option;

import java.util.List;

/**
 * A constraint between options (exactly one of, requires, excludes), checked after every
 * option parsed. Each failure is a message without the connector prefix; the validator adds
 * it. Most connectors need only the factories in {@link OptionRules}.
 */
@FunctionalInterface
public interface OptionRule {
    List<String> check(ConnectorOptions options);
}
