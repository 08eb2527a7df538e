package io.sluice.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.testing.JsonDirSource;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.junit.jupiter.api.Test;

/** Session settings a connector declares: merged for sessions Sluice builds, reported for sessions it adopts. */
class SessionSettingsTest {
    /** Needs an extension and a catalog, the way Delta Lake does. */
    static final class NeedySink implements StreamSink {
        @Override
        public String name() {
            return "needy";
        }

        @Override
        public String description() {
            return "Needs a SQL extension and a catalog (test sink)";
        }

        @Override
        public Map<String, String> sessionSettings() {
            return Map.of(
                    "spark.sql.extensions",
                    "com.example.NeedyExtension",
                    "spark.sluice.test.catalog",
                    "com.example.Catalog");
        }

        @Override
        public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
            return data.writeStream().format("memory");
        }
    }

    @Test
    void extensionListsAreJoinedAndOtherSettingsKept() {
        ConnectorRegistry registry = ConnectorRegistry.of(List.of(new JsonDirSource()), List.of(new NeedySink()));
        assertEquals(
                Map.of(
                        "spark.sql.extensions",
                        "com.example.NeedyExtension",
                        "spark.sluice.test.catalog",
                        "com.example.Catalog"),
                SessionSettings.required(registry));
        assertEquals(
                Map.of("spark.sql.extensions", "a.First,com.example.NeedyExtension", "spark.master", "local[2]"),
                SessionSettings.overlay(
                        Map.of("spark.sql.extensions", "a.First", "spark.master", "local[2]"),
                        Map.of("spark.sql.extensions", "com.example.NeedyExtension")));
    }

    @Test
    void anAdoptedSessionThatLacksThemIsReportedBeforeStartWithWhatToSet(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path in) {
        Sluice adopted = Sluice.using(
                Sluice.embedded().spark(),
                ConnectorRegistry.of(List.of(new JsonDirSource()), List.of(new NeedySink())));
        List<String> problems = adopted
                .pipeline("needs")
                .source("json-dir", Map.of("path", in.toString(), "schema", "id INT"))
                .sink("needy")
                .build()
                .validate()
                .problems()
                .stream()
                .map(Problem::toString)
                .toList();
        assertEquals(
                List.of("sink 'needy': the session lacks the settings spark.sluice.test.catalog=com.example.Catalog,"
                        + " spark.sql.extensions=com.example.NeedyExtension, which this connector needs: set them where the session is built"
                        + " (spark-submit --conf key=value, or SparkSession.builder().config(key, value)); Sluice.embedded() and the sluice"
                        + " command set them"),
                problems);
    }
}
