package io.sluice.engine.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.Suggestions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The names of the settings Spark knows, to catch a misspelt one in a pipeline file's
 * {@code spark:} map — Spark ignores a setting it does not know, silently, so
 * {@code spark.sql.shufle.partitions: 8} would run with 200 partitions. A name is refused only
 * when it is unknown <em>and</em> close to a known one: settings Spark reads by prefix
 * ({@code spark.hadoop.*}, a catalog's options) and those of libraries it does not register are
 * left alone.
 *
 * <p>The one adapter to Spark's registries: the SQL settings through {@link SQLConf}'s public
 * list, the core ones through {@code ConfigEntry.knownConfigs} ({@code private[spark]} in Scala,
 * public in the bytecode); {@code SparkSettingNamesTest} fails when either changes.
 */
public final class SparkSettingNames {
    /** Settings Spark, Hadoop or a library reads by prefix: anything under them is someone's. */
    private static final List<String> FREE_PREFIXES = List.of(
            "spark.hadoop.",
            "spark.sql.catalog.",
            "spark.executorEnv.",
            "spark.kubernetes.",
            "spark.yarn.",
            "spark.mesos.",
            "spark.driver.resource.",
            "spark.executor.resource.",
            "spark.metrics.conf.",
            "spark.databricks.",
            "spark.delta.",
            "spark.sql.streaming.stateStore.rocksdb.");

    private static volatile Set<String> known;

    private SparkSettingNames() {}

    /** Every setting name Spark registers (SQL and core), loaded once. */
    public static Set<String> known() {
        Set<String> names = known;
        if (names == null) {
            names = load();
            known = names;
        }
        return names;
    }

    /**
     * Reads Spark's registries. Not through {@code SQLConf.getAllDefinedConfs}, which loads
     * {@code HiveUtils} to register Hive's settings and, on a Spark without the Hive jars (most
     * clusters' spark-submit), logs a warning with a 49-line trace for it on every run: Hive's
     * settings are registered here when its classes are there, silently, and the entries read as
     * they stand.
     */
    static Set<String> load() {
        TreeSet<String> all = new TreeSet<>();
        try {
            Class.forName("org.apache.spark.sql.hive.HiveUtils$", true, SQLConf.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // no Hive on this Spark: its settings are nobody's to check
        }
        SQLConf.get(); // the SQL settings register when SQLConf's companion initialises
        org.apache.spark.sql.internal.SQLConf$.MODULE$.getConfigEntries().forEach(entry -> all.add(entry.key()));
        try {
            // initialising the core settings' holder registers them ("package" is no Java name)
            Class.forName("org.apache.spark.internal.config.package$", true, SQLConf.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Spark's core settings are not where Sluice looks for them", e);
        }
        all.addAll(org.apache.spark.internal.config.ConfigEntry$.MODULE$
                .knownConfigs()
                .keySet());
        return Set.copyOf(all);
    }

    /**
     * Why {@code value} is not a value of the Spark setting {@code name} — {@code Spark setting
     * 'spark.sql.shuffle.partitions' = 'four' is not valid: it should be a/an 'int' value} — checked
     * by the setting's own converter, as Spark checks it when a session starts (where a mistake is
     * a failure with Spark's trace); empty for a valid value or a setting Spark does not register.
     */
    public static Optional<String> invalidValue(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        if (!known().contains(name)) {
            return Optional.empty();
        }
        org.apache.spark.internal.config.ConfigEntry<?> entry =
                org.apache.spark.sql.internal.SQLConf$.MODULE$.getConfigEntry(name);
        if (entry == null) {
            entry = org.apache.spark.internal.config.ConfigEntry$.MODULE$.findEntry(name);
        }
        if (entry == null) {
            return Optional.empty();
        }
        try {
            entry.valueConverter().apply(value);
            return Optional.empty();
        } catch (RuntimeException e) { // Spark's IllegalArgumentException, in its error framework or not
            String why = String.valueOf(e.getMessage());
            int should = why.indexOf("It should be");
            String reason = should >= 0
                    ? "it s"
                            + why.substring(should + 4)
                                    .replaceFirst("\\s*SQLSTATE.*$", "")
                                    .replaceFirst("\\.$", "")
                    : why.lines().findFirst().orElse("").strip();
            return Optional.of("Spark setting '" + name + "' = '" + value + "' is not valid: " + reason);
        }
    }

    /**
     * Why {@code name} looks like a misspelt Spark setting — {@code unknown Spark setting
     * 'spark.sql.shufle.partitions' — did you mean 'spark.sql.shuffle.partitions'? ...} — or empty
     * when it is known, free-form, or close to nothing Spark knows.
     */
    public static Optional<String> misspelt(String name) {
        requireNonNull(name, "name is null");
        if (!name.startsWith("spark.") || FREE_PREFIXES.stream().anyMatch(name::startsWith)) {
            return Optional.empty();
        }
        Set<String> names = known();
        if (names.contains(name)) {
            return Optional.empty();
        }
        return Suggestions.closest(name, names)
                .filter(meant -> !name.startsWith(meant + "."))
                .map(meant -> "unknown Spark setting '" + name + "' — did you mean '" + meant + "'? (Spark ignores a"
                        + " setting it does not know, silently)");
    }
}
