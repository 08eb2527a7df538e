package io.sluice.core;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every source and sink has in common: a name users type, a one-line description,
 * and the options it accepts.
 *
 * <p>Everything beyond {@link #name()} and {@link #description()} has a default, so the
 * interface can grow without breaking connectors written against an older Sluice. The
 * declarations are data, not code: the framework validates a pipeline from them before any
 * Spark query exists, and renders the catalogue and documentation from them.
 */
public interface Connector {

    /** Short, lower-case, Spark-style ({@code kafka}, {@code parquet}); unique among connectors of its kind. */
    String name();

    /** One line for the catalogue: what the connector reads or writes. */
    String description();

    /** Whether this is a source or a sink; implied by the sub-interface. */
    ConnectorKind kind();

    /** The declared options; keys outside them and outside {@link #optionPrefixes()} are errors. */
    default List<OptionSpec<?>> options() {
        return List.of();
    }

    /** Pass-through families such as {@code kafka.*}. */
    default List<OptionPrefix> optionPrefixes() {
        return List.of();
    }

    /** Constraints between options, such as "exactly one of". */
    default List<OptionRule> rules() {
        return List.of();
    }

    /**
     * The options that decide which data a source reads or where a sink writes (a Kafka
     * source's topics, a file sink's path). A checkpoint records how far a pipeline got in
     * exactly that data, so restarting it with one of these changed is refused before any
     * query starts, naming the option, its old and new value and what to do.
     */
    default List<OptionSpec<?>> identityOptions() {
        return List.of();
    }

    /**
     * The values of {@link #identityOptions()} in {@code options}, in their declared order, an
     * absent one as {@code null}: what says where this connector reads or writes, in one shape
     * for every comparison of places (the checkpoint guard's record, two sinks of one pipeline
     * writing one place).
     */
    default java.util.Map<String, String> identity(java.util.Map<String, String> options) {
        java.util.Objects.requireNonNull(options, "options is null");
        java.util.Map<String, String> identity = new java.util.LinkedHashMap<>();
        for (OptionSpec<?> option : identityOptions()) {
            identity.put(option.name(), options.get(option.name()));
        }
        return java.util.Collections.unmodifiableMap(identity);
    }

    /**
     * Session settings the connector cannot work without, such as a SQL extension and a
     * catalog (Delta Lake needs both). They must be set when the session is built, so the
     * framework sets them in the sessions it builds ({@code Sluice.embedded()}, the
     * {@code sluice} command) and reports, before start, a session it adopts that lacks them —
     * instead of a failure deep inside Spark. {@code spark.sql.extensions} values are class
     * lists: a connector's entry is added to, and checked within, the session's list.
     */
    default Map<String, String> sessionSettings() {
        return Map.of();
    }

    /**
     * Options that look valid but this connector refuses, with the reason: Spark accepts some
     * options only for batch queries and ignores or rejects them late in streaming ones.
     */
    default Map<String, String> rejectedOptions() {
        return Map.of();
    }

    /**
     * Whether Spark's real-time mode can run this connector with these options, asked only of
     * a pipeline with a real-time trigger; a refusal is reported before start. Sources and
     * sinks answer with the same value; each kind has the default that fits Spark 4.2.
     */
    @Evolving
    RealTimeSupport realTime(ConnectorOptions options);

    /**
     * Why a pipeline with this connector failed at run time, in words an operator can act on
     * (what failed, where, what to do; end with {@link Messages#RESUMES} when fixing the cause
     * outside the pipeline is enough), when the cause is this connector's to know — a broker
     * that does not answer, records gone from a topic. The framework asks the pipeline's
     * connectors before its own explanations (a full disk, a path it cannot write), and falls
     * back to the innermost exception's first line. Empty when the connector does not
     * recognise the failure.
     *
     * @param causes the failure as Spark reported it and its causes, outermost first
     * @param silentFor how long the pipeline had gone without committing a batch, when known
     */
    @Evolving
    default Optional<String> explainFailure(List<Throwable> causes, Optional<Duration> silentFor) {
        return Optional.empty();
    }
}
