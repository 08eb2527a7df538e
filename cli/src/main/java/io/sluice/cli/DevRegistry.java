package io.sluice.cli;

import io.sluice.kafka.registry.RegistryStandIn;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * What {@code sluice dev registry} runs: the in-memory schema registry that {@code sluice test}
 * serves its tests from (Confluent's REST API and error codes, no compatibility checks), on a
 * port of the loopback interface, for a quick try of Avro, Protobuf or JSON Schema values
 * without installing a registry.
 */
final class DevRegistry {
    private DevRegistry() {}

    static int run(int port, PrintWriter out, PrintWriter err) throws InterruptedException {
        RegistryStandIn registry;
        try {
            registry = RegistryStandIn.start(port);
        } catch (UncheckedIOException e) {
            err.println("sluice dev registry: " + e.getMessage() + " (is the port in use? --port 0 takes a free one)");
            err.flush();
            return 1;
        }
        try {
            out.println("Schema registry at " + registry.url()
                    + " (Confluent's API, in memory, no compatibility checks); Ctrl-C stops it");
            out.println("  e.g. sluice dev produce orders orders.jsonl --value-format avro --value-schema orders.avsc"
                    + " --schema-registry " + registry.url());
            out.flush();
            Foreground.awaitStop();
        } finally {
            registry.close();
        }
        out.println("stopped; its schemas are gone");
        out.flush();
        return 0;
    }
}
