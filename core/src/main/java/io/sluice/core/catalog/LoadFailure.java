package io.sluice.core.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.ConnectorKind;

/**
 * A registered provider that could not be loaded: its class name (as registered) and why.
 * Kept, not thrown, so one broken plugin jar does not hide every other connector.
 */
public record LoadFailure(ConnectorKind kind, String provider, String cause) {
    public LoadFailure {
        requireNonNull(kind, "kind is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(cause, "cause is null");
    }

    @Override
    public String toString() {
        return "could not load " + kind.singular() + " " + provider + ": " + cause;
    }
}
