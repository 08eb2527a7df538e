package io.sluice.examples.tutorial;

import io.sluice.engine.Sluice;
import io.sluice.examples.ExampleKafka;
import io.sluice.examples.Orders;
import java.util.Map;

/**
 * What every tutorial example needs around its few lines of Sluice: a Kafka broker (real or
 * embedded), a topic of sample orders, a session, and a clean stop of all three.
 */
final class TutorialRun {
    /** The body of an example. */
    @FunctionalInterface
    interface Body {
        void run(Sluice sluice, Map<String, String> kafkaOptions) throws Exception;
    }

    private TutorialRun() {}

    /** Runs {@code body} against a fresh topic of {@code records} orders (one malformed in every 50). */
    static void run(int records, Body body) throws Exception {
        try (ExampleKafka kafka = ExampleKafka.open()) {
            String topic = kafka.createTopic("tutorial-orders", 2);
            kafka.produce(topic, Orders.generate(records, 50));
            Sluice sluice = Sluice.embedded();
            try {
                body.run(
                        sluice,
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "subscribe",
                                topic,
                                "startingOffsets",
                                "earliest"));
            } finally {
                sluice.close();
            }
        }
    }

    /** The seed's options plus JSON decoding that skips malformed orders. */
    static Map<String, String> decoded(Map<String, String> kafkaOptions) {
        Map<String, String> options = new java.util.HashMap<>(kafkaOptions);
        options.put("value.format", "json");
        options.put("value.schema", Orders.SCHEMA);
        options.put("badRecords", "skip");
        return options;
    }
}
