package io.sluice.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples' Kafka: an existing broker when KAFKA_BOOTSTRAP_SERVERS names one, else an embedded one. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ExampleKafkaTest {

    @Test
    void usesTheConfiguredBrokerWithoutStartingOne(EmbeddedKafka existing) {
        try (ExampleKafka kafka = ExampleKafka.open(existing.bootstrapServers())) {
            assertFalse(kafka.isEmbedded());
            assertEquals(existing.bootstrapServers(), kafka.bootstrapServers());
            String topic = kafka.createTopic("configured", 1);
            kafka.produce(topic, List.of(Map.entry("k", "v")));
            assertEquals(
                    "v",
                    new String(
                            existing.consume(topic, 1, Duration.ofSeconds(30))
                                    .get(0)
                                    .value(),
                            UTF_8));
        }
    }

    @Test
    void startsAnEmbeddedBrokerWhenNoneIsConfigured() {
        try (ExampleKafka kafka = ExampleKafka.open(" ")) {
            assertTrue(kafka.isEmbedded());
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
        }
    }
}
