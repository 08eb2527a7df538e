package io.sluice.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
