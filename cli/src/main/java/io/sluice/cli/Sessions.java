package io.sluice.cli;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.catalog.SessionSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Where the command's SparkSession comes from. Under {@code spark-submit} (which passes its
 * settings as system properties, {@code spark.master} among them) the command adopts the
 * cluster's session, as {@code Sluice.using} does; elsewhere it is the embedded default,
 * local Spark on every core with {@link Sluice#embeddedSettings()}.
 */
final class Sessions {
    private Sessions() {}

    static boolean underSparkSubmit() {
        return System.getProperty("spark.master") != null;
    }

    /** A session to run pipelines in; {@code settings} come from the files, then {@code --conf}, then {@code --master}. */
    static Sluice forRunning(Map<String, String> settings) {
        if (underSparkSubmit() && !settings.containsKey("spark.master")) {
            // what the connectors need (Delta's extension and catalog), unless spark-submit's --conf says otherwise
            Map<String, String> needed = new LinkedHashMap<>(SessionSettings.forNewSession(
                    ConnectorRegistry.load(Thread.currentThread().getContextClassLoader())));
            needed.keySet().removeIf(key -> System.getProperty(key) != null);
            SparkSession.Builder builder = SparkSession.builder();
            SessionSettings.overlay(needed, settings).forEach(builder::config);
            return Sluice.using(builder.getOrCreate());
        }
        return Sluice.embedded(settings);
    }

    /**
     * A local session to validate or explain in, whatever master the files name: validation
     * builds plans and starts nothing, so it needs no cluster.
     */
    static Sluice forChecking(Map<String, String> settings) {
        Map<String, String> local = new LinkedHashMap<>(settings);
        local.put("spark.master", "local[*]");
        return Sluice.embedded(local);
    }
}
