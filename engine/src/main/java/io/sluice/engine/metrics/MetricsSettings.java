package io.sluice.engine.metrics;

import static java.util.Objects.requireNonNull;

/**
 * Where the metrics endpoint listens and how much it tells: the host defaults to loopback,
 * because metrics and status name pipelines, topics and failures, and a driver's port open to
 * every network is a choice to make on purpose ({@code 0.0.0.0} in a container whose port is
 * mapped). Port 0 takes any free port ({@link MetricsEndpoint#port()} says which).
 * {@code perPartition} adds one backlog series per source partition — what finds the one stuck
 * partition, at one series each, so off by default.
 */
public record MetricsSettings(String host, int port, boolean perPartition) {
    public static final String LOOPBACK = "127.0.0.1";

    public MetricsSettings {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("metrics host is empty: give a host name or address, e.g. " + LOOPBACK);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(
                    "metrics port " + port + " is not a port: give 1 to 65535 (or 0 for any free port)");
        }
    }

    /** On loopback at {@code port}, without per-partition series. */
    public static MetricsSettings port(int port) {
        return new MetricsSettings(LOOPBACK, port, false);
    }

    public MetricsSettings withHost(String host) {
        return new MetricsSettings(host, port, perPartition);
    }

    public MetricsSettings withPort(int port) {
        return new MetricsSettings(host, port, perPartition);
    }

    public MetricsSettings withPerPartition(boolean perPartition) {
        return new MetricsSettings(host, port, perPartition);
    }
}
