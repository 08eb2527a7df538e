package io.sluice.engine.catalog;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Makes Spark hide every option a connector declares secret wherever Spark prints options —
 * {@code explain}, the query plan in logs and the UI, the event log. Spark's own patterns
 * catch names with "secret", "password", "token" or "url", but not, say,
 * {@code kafka.sasl.jaas.config} or {@code kafka.ssl.keystore.key} (a PEM private key), which
 * a plan would otherwise show through every SQL transform. The declared names are added to the
 * session's {@code spark.sql.redaction.options.regex}, a runtime setting, so an adopted
 * session gets them too; a session Sluice builds also gets them in the static
 * {@code spark.redaction.regex} ({@link SessionSettings#forNewSession}).
 */
public final class Redaction {
    static final String OPTIONS_REGEX = "spark.sql.redaction.options.regex";
    static final String CORE_REGEX = "spark.redaction.regex";
    /** Spark's default of {@link #CORE_REGEX}. */
    static final String CORE_DEFAULT = "(?i)secret|password|token|access[.]?key";

    private static final String SPARK_DEFAULT = "(?i)url";

    private Redaction() {}

    public static void apply(SparkSession spark, ConnectorRegistry registry) {
        declared(registry).ifPresent(declared -> {
            String current = spark.conf().getOption(OPTIONS_REGEX).getOrElse(() -> SPARK_DEFAULT);
            if (!current.contains(declared)) {
                spark.conf().set(OPTIONS_REGEX, current + "|" + declared);
            }
        });
    }

    /** Every option the connectors declare secret, as a regex of exact names; empty when none is. */
    static java.util.Optional<String> declared(ConnectorRegistry registry) {
        TreeSet<String> secret = new TreeSet<>();
        Stream.concat(registry.sources().stream(), registry.sinks().stream()).forEach(connector -> {
            connector.options().stream()
                    .filter(OptionSpec::secret)
                    .map(OptionSpec::name)
                    .forEach(secret::add);
            for (OptionPrefix prefix : connector.optionPrefixes()) {
                prefix.knownKeys()
                        .ifPresent(keys -> keys.stream()
                                .map(key -> prefix.prefix() + key)
                                .filter(prefix::isSecret)
                                .forEach(secret::add));
            }
        });
        if (secret.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                secret.stream().map(name -> "^" + Pattern.quote(name) + "$").collect(Collectors.joining("|")));
    }
}
