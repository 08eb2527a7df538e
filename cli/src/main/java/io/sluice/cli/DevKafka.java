package io.sluice.cli;

import io.sluice.testkit.EmbeddedKafka;
import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code sluice dev kafka} runs: a class of its own so that only running it loads the
 * testkit's broker — the spark-submit jar, which leaves the broker out, still loads every
 * command's class.
 */
final class DevKafka {
    private DevKafka() {}

    static int run(int port, List<String> topics, int partitions, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(port);
        } catch (RuntimeException e) {
            err.println("sluice dev kafka: cannot start a broker on port " + port + ": " + e.getMessage()
                    + " (is the port in use? --port 0 takes a free one)");
            err.flush();
            return 1;
        }
        try {
            topics.forEach(topic -> kafka.createTopic(topic, partitions));
            out.println("Kafka at " + kafka.bootstrapServers()
                    + (topics.isEmpty() ? "" : " with topics " + String.join(", ", topics)) + "; Ctrl-C stops it");
            out.println("  e.g. sluice run examples/pipelines/orders.yaml --set KAFKA_BOOTSTRAP_SERVERS="
                    + kafka.bootstrapServers());
            out.flush();
            Foreground.awaitStop();
        } finally {
            kafka.close();
        }
        out.println("stopped; its data is deleted");
        out.flush();
        return 0;
    }
}
