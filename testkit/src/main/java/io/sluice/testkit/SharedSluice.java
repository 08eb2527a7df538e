package io.sluice.testkit;

import io.sluice.engine.Sluice;

/**
 * One embedded Sluice (and so one SparkSession) per test JVM. A cold session costs seconds,
 * a second one nothing but confusion (Spark allows one active context per JVM), so every
 * test class asks here. Never closed by tests: the JVM's exit stops it.
 */
public final class SharedSluice {
    private static Sluice sluice;

    private SharedSluice() {}

    public static synchronized Sluice get() {
        if (sluice == null) {
            sluice = Sluice.embedded();
        }
        return sluice;
    }

    /**
     * The shared session with the discovered connectors plus {@link CollectingSink}, for
     * tests of sources.
     */
    public static Sluice withCollectingSink() {
        Sluice shared = get();
        return Sluice.using(shared.spark(), shared.connectors().withSink(new CollectingSink()));
    }
}
