package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whether Spark's real-time mode can run a connector with given options, and if not why and
 * what to do: the same value for sources and sinks ({@link Connector#realTime}).
 *
 * <p>Real-time mode (Spark 4.1+) runs long batches whose tasks stream records as they come;
 * it takes only the sources and sinks on Spark's allowlist, and each of them may still need
 * options that fit it (a Kafka source's dead letter on a topic, not in files). A refusal is
 * reported before start as {@code real-time mode cannot read this source: <why>; <fix>}.
 */
public final class RealTimeSupport {
    private static final RealTimeSupport SUPPORTED = new RealTimeSupport(null, null);

    private final String why;
    private final String fix;

    private RealTimeSupport(String why, String fix) {
        this.why = why;
        this.fix = fix;
    }

    /** Real-time mode runs the connector with these options. */
    public static RealTimeSupport supported() {
        return SUPPORTED;
    }

    /**
     * Real-time mode cannot run the connector with these options.
     *
     * @param why the reason, in words ({@code it writes micro-batches, which real-time mode does not have})
     * @param fix what the user can do ({@code use the kafka or console sink, or a micro-batch trigger})
     */
    public static RealTimeSupport refused(String why, String fix) {
        return new RealTimeSupport(requireNonNull(why, "why is null"), requireNonNull(fix, "fix is null"));
    }

    public boolean isSupported() {
        return why == null;
    }

    /** The reason and the fix as one text, or empty when supported. */
    public Optional<String> refusal() {
        return isSupported() ? Optional.empty() : Optional.of(why + "; " + fix);
    }

    @Override
    public String toString() {
        return isSupported() ? "supported" : "refused: " + why;
    }
}
