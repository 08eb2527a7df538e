package io.sluice.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The adapter to Spark's registries of settings: fails when Spark moves them. */
class SparkSettingNamesTest {
    @Test
    void knowsSparksSqlAndCoreSettings() {
        assertTrue(SparkSettingNames.known().contains("spark.sql.shuffle.partitions"));
        assertTrue(SparkSettingNames.known().contains("spark.executor.memory"));
        assertTrue(SparkSettingNames.known().contains("spark.sql.streaming.checkpointLocation"));
        assertTrue(SparkSettingNames.known().size() > 500, "Spark registers hundreds");
    }

    /**
     * Reading the names logs nothing of Spark's own — on a Spark without the Hive jars (this test's,
     * and most clusters'), Spark's way of listing them warns with a 49-line trace.
     */
    @Test
    void readingTheNamesPrintsNothingOfSparksOwn() {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        var context =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        var appender =
                new org.apache.logging.log4j.core.appender.AbstractAppender(
                        "capture", null, null, true, org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
                    @Override
                    public void append(org.apache.logging.log4j.core.LogEvent event) {
                        logged.add(event.getLevel() + " " + event.getLoggerName() + ": "
                                + event.getMessage().getFormattedMessage());
                    }
                };
        appender.start();
        var root = context.getRootLogger();
        String sqlConf = "org.apache.spark.sql.internal.SQLConf";
        var level = context.getLogger(sqlConf).getLevel();
        // what a cluster's default logging shows
        org.apache.logging.log4j.core.config.Configurator.setLevel(sqlConf, org.apache.logging.log4j.Level.INFO);
        root.addAppender(appender);
        List<String> spark;
        try {
            new org.apache.spark.sql.internal.SQLConf().getAllDefinedConfs(); // Spark's own way, on a fresh conf
            spark = List.copyOf(logged);
            logged.clear();
            assertTrue(SparkSettingNames.load().contains("spark.sql.shuffle.partitions"));
        } finally {
            root.removeAppender(appender);
            org.apache.logging.log4j.core.config.Configurator.setLevel(sqlConf, level);
            appender.stop();
        }
        assertTrue(
                spark.stream().anyMatch(line -> line.startsWith("WARN") && line.contains("Hive module is not loaded")),
                "Spark's way warns without Hive (when it stops, this adapter can use it again): " + spark);
        assertEquals(
                List.of(),
                logged.stream().filter(line -> !line.startsWith("DEBUG")).toList());
    }

    @Test
    void aValueSparkWouldRefuseAtStartIsSaidBeforeIt() {
        assertEquals(
                Optional.of(
                        "Spark setting 'spark.sql.shuffle.partitions' = 'four' is not valid: it should be a/an 'int'"
                                + " value"),
                SparkSettingNames.invalidValue("spark.sql.shuffle.partitions", "four"));
        assertEquals(Optional.empty(), SparkSettingNames.invalidValue("spark.sql.shuffle.partitions", "8"));
        assertEquals(Optional.empty(), SparkSettingNames.invalidValue("spark.some.library.setting", "x"));
    }

    @Test
    void aMisspeltSettingIsNamedWithTheOneMeantAndOthersPass() {
        assertEquals(
                Optional.of("unknown Spark setting 'spark.sql.shufle.partitions' — did you mean"
                        + " 'spark.sql.shuffle.partitions'? (Spark ignores a setting it does not know, silently)"),
                SparkSettingNames.misspelt("spark.sql.shufle.partitions"));
        assertEquals(Optional.empty(), SparkSettingNames.misspelt("spark.sql.shuffle.partitions"));
        assertEquals(Optional.empty(), SparkSettingNames.misspelt("spark.hadoop.fs.s3a.endpoint"));
        assertEquals(Optional.empty(), SparkSettingNames.misspelt("spark.sql.catalog.lake.uri"));
        assertEquals(Optional.empty(), SparkSettingNames.misspelt("spark.some.library.setting"));
        assertEquals(Optional.empty(), SparkSettingNames.misspelt("not.spark"));
    }
}
