package io.sluice.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.core.definition.Problem;
import io.sluice.core.definition.ValidationException;
import io.sluice.spi.Connector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery through ServiceLoader of the connectors registered in this module's test resources. */
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
                "no sink named 'tabel' — did you mean 'table'? (sinks: append-only, table, twin; could not load: io.sluice.core.testing.BrokenSink, io.sluice.core.testing.MissingSink)",
                registry.sink("tabel").problem().orElseThrow().toString());
        assertEquals(
                "no source named 'kafka' (sources: json-dir)",
                registry.source("kafka").problem().orElseThrow().toString());
    }

    @Test
    void aSourceNameUsedAsASinkSaysSo() {
        assertEquals(
                "'json-dir' is a source, not a sink (sinks: append-only, table, twin; could not load: io.sluice.core.testing.BrokenSink, io.sluice.core.testing.MissingSink)",
                registry.sink("json-dir").problem().orElseThrow().toString());
        assertEquals(
                "'table' is a sink, not a source (sources: json-dir)",
                registry.source("table").problem().orElseThrow().toString());
    }

    @Test
    void twoConnectorsWithOneNameFailNamingBoth() {
        assertEquals(
                "two sinks are named 'twin': io.sluice.core.testing.DuplicateSinkA, io.sluice.core.testing.DuplicateSinkB",
                registry.sink("twin").problem().orElseThrow().toString());
        ValidationException error = assertThrows(
                ValidationException.class, () -> registry.sink("twin").orElseThrow());
        assertEquals(
                "two sinks are named 'twin': io.sluice.core.testing.DuplicateSinkA, io.sluice.core.testing.DuplicateSinkB",
                error.getMessage());
    }

    @Test
    void providersThatFailToLoadAreNamedWithTheirCauseAndTheOthersStillLoad() {
        assertEquals(
                List.of(
                        "could not load sink io.sluice.core.testing.BrokenSink: IllegalStateException: driver class com.acme.Missing not found",
                        "could not load sink io.sluice.core.testing.MissingSink: Provider io.sluice.core.testing.MissingSink not found",
                        "two sinks are named 'twin': io.sluice.core.testing.DuplicateSinkA, io.sluice.core.testing.DuplicateSinkB"),
                registry.problems().stream().map(Problem::toString).toList());
    }
}
