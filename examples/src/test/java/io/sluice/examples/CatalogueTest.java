package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.testkit.ConnectorConventions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every connector on an application's class path — Sluice's and a third party's — found by name. */
class CatalogueTest {
    private final ConnectorRegistry registry = ConnectorRegistry.load(getClass().getClassLoader());

    @Test
    void everyConnectorIsDiscoveredAndFollowsTheConventions() {
        assertEquals(
                List.of("kafka"),
                registry.sources().stream().map(Connector::name).toList());
        assertEquals(
                List.of("console", "csv", "json", "memory", "orc", "parquet", "text"),
                registry.sinks().stream().map(Connector::name).toList());
        assertEquals(List.of(), registry.problems());
        Stream.concat(registry.sources().stream(), registry.sinks().stream())
                .forEach(connector ->
                        assertEquals(List.of(), ConnectorConventions.violations(connector), connector.name()));
    }

    @Test
    void aMisspeltSinkNameSaysWhatWasMeant() {
        assertEquals(
                "no sink named 'parqet' — did you mean 'parquet'? (sinks: console, csv, json, memory, orc, parquet, text)",
                registry.sink("parqet").problem().orElseThrow().toString());
        assertEquals(
                "'kafka' is a source, not a sink (sinks: console, csv, json, memory, orc, parquet, text)",
                registry.sink("kafka").problem().orElseThrow().toString());
    }
}
