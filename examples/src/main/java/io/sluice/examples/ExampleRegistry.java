package io.sluice.examples;

import io.sluice.kafka.registry.SchemaRegistryClient;
import io.sluice.testkit.SchemaRegistry;
import java.util.Optional;

/**
 * The schema registry the examples use: the one named by {@code SCHEMA_REGISTRY_URL} when it is
 * set (any registry with Confluent's API), otherwise a real one (Apicurio Registry, which the
 * build unpacks) started for the run and stopped at the end.
 */
public final class ExampleRegistry implements AutoCloseable {
    public static final String ENV = "SCHEMA_REGISTRY_URL";

    private final Optional<SchemaRegistry> embedded;
    private final String url;

    private ExampleRegistry(Optional<SchemaRegistry> embedded, String url) {
        this.embedded = embedded;
        this.url = url;
    }

    /** The registry from the environment, or a new one. */
    public static ExampleRegistry open() {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            return new ExampleRegistry(Optional.empty(), configured);
        }
        SchemaRegistry registry = SchemaRegistry.start();
        return new ExampleRegistry(Optional.of(registry), registry.url());
    }

    public String url() {
        return url;
    }

    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    /** Registers an Avro schema under {@code subject}; returns its id. */
    public int register(String subject, String avroSchema) {
        return new SchemaRegistryClient(url, Optional.empty(), Optional.empty(), java.time.Duration.ofSeconds(15))
                .register(subject, avroSchema);
    }

    @Override
    public void close() {
        embedded.ifPresent(SchemaRegistry::close);
    }
}
