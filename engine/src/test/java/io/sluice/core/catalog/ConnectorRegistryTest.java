package io.sluice.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.core.Connector;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery through ServiceLoader of the connectors registered in the engine's test resources (the
 * catalogue is core's; its test connectors need a SparkSession-free engine test class path).
 */
class ConnectorRegistryTest {
    private final ConnectorRegistry registry = ConnectorRegistry.load(getClass().getClassLoader());

    @Test
    void findsRegisteredConnectorsByName() {
        assertEquals(
                List.of("json-dir"),
                registry.sources().stream().map(Connector::name).toList());
        assertEquals(
                List.of("append-only", "table"),
                registry.sinks().stream().map(Connector::name).toList());
        assertEquals("table", registry.sink("table").orElseThrow().name());
    }

    @Test
    void unknownNameSuggestsAndListsWhatExists() {
        assertEquals(
                "no sink named 'tabel' — did you mean 'table'? (sinks: append-only, table, twin; could not load: io.sluice.engine.testing.BrokenSink, io.sluice.engine.testing.MissingSink)",
                registry.sink("tabel").problem().orElseThrow().toString());
        assertEquals(
                "no source named 'kafka': it comes with the module sluice-source-kafka (io.sluice:sluice-source-kafka),"
                        + " which is not on the class path — add it as a dependency, or its jar to the plugins"
                        + " directory (sources: json-dir)",
                registry.source("kafka").problem().orElseThrow().toString());
        assertEquals(
                "no sink named 'delta': it comes with the module sluice-sink-delta (io.sluice:sluice-sink-delta), which"
                        + " is not on the class path — add it as a dependency, or its jar to the plugins directory"
                        + " (sinks: append-only, table, twin; could not load: io.sluice.engine.testing.BrokenSink,"
                        + " io.sluice.engine.testing.MissingSink)",
                registry.sink("delta").problem().orElseThrow().toString());
    }

    @Test
    void aSourceNameUsedAsASinkSaysSo() {
        assertEquals(
                "'json-dir' is a source, not a sink (sinks: append-only, table, twin; could not load: io.sluice.engine.testing.BrokenSink, io.sluice.engine.testing.MissingSink)",
                registry.sink("json-dir").problem().orElseThrow().toString());
        assertEquals(
                "'table' is a sink, not a source (sources: json-dir)",
                registry.source("table").problem().orElseThrow().toString());
    }

    @Test
    void twoConnectorsWithOneNameFailNamingBoth() {
        assertEquals(
                "two sinks are named 'twin': io.sluice.engine.testing.DuplicateSinkA, io.sluice.engine.testing.DuplicateSinkB",
                registry.sink("twin").problem().orElseThrow().toString());
        NoSuchElementException error = assertThrows(
                NoSuchElementException.class, () -> registry.sink("twin").orElseThrow());
        assertEquals(
                "two sinks are named 'twin': io.sluice.engine.testing.DuplicateSinkA, io.sluice.engine.testing.DuplicateSinkB",
                error.getMessage());
    }

    @Test
    void providersThatFailToLoadAreNamedWithTheirCauseAndTheOthersStillLoad() {
        assertEquals(
                List.of(
                        "could not load sink io.sluice.engine.testing.BrokenSink: IllegalStateException: driver class com.acme.Missing not found",
                        "could not load sink io.sluice.engine.testing.MissingSink: Provider io.sluice.engine.testing.MissingSink not found",
                        "two sinks are named 'twin': io.sluice.engine.testing.DuplicateSinkA, io.sluice.engine.testing.DuplicateSinkB"),
                registry.problems());
    }

    @Test
    void aJarRegisteringUnderSluiceSpisServiceNamesIsNamedWithTheFix(@TempDir Path plugin) throws IOException {
        Path services = Files.createDirectories(plugin.resolve("META-INF/services"));
        Files.writeString(services.resolve("io.sluice.spi.StreamSink"), "# an old plugin\ncom.acme.LinesSink\n");
        Files.writeString(services.resolve("io.sluice.spi.StreamSource"), "com.acme.TailSource  # the other\n");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {plugin.toUri().toURL()}, getClass().getClassLoader())) {
            ConnectorRegistry old = ConnectorRegistry.load(loader);
            String where = plugin.toUri().getPath();
            assertEquals(
                    List.of(
                            "could not load source com.acme.TailSource: its jar (" + where
                                    + ") registers it as io.sluice.spi.StreamSource, the service name of sluice-spi;"
                                    + " rebuild the plugin against sluice-core, where the interface is"
                                    + " io.sluice.core.StreamSource (docs/plugins.md, 'Moving from sluice-spi')",
                            "could not load sink com.acme.LinesSink: its jar (" + where
                                    + ") registers it as io.sluice.spi.StreamSink, the service name of sluice-spi;"
                                    + " rebuild the plugin against sluice-core, where the interface is"
                                    + " io.sluice.core.StreamSink (docs/plugins.md, 'Moving from sluice-spi')"),
                    old.problems().stream()
                            .filter(p -> p.contains("io.sluice.spi"))
                            .toList());
            assertEquals(
                    "no sink named 'lines' (sinks: append-only, table, twin; could not load:"
                            + " io.sluice.engine.testing.BrokenSink, io.sluice.engine.testing.MissingSink,"
                            + " com.acme.LinesSink)",
                    old.sink("lines").problem().orElseThrow());
        }
    }
}
