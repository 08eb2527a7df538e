package io.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.option.OptionPrefix;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Values the Kafka client would refuse when the query starts, refused before, in the client's own words. */
class KafkaSettingsTest {
    private static final OptionPrefix CONSUMER = KafkaSettings.prefix("consumer settings", ConsumerConfig.configDef());

    @Test
    void valuesAreCheckedByTheClientsOwnDefinitions() {
        assertEquals(
                Optional.of("Invalid value PLAINTEXTT for configuration security.protocol: String must be one of"
                        + " (case insensitive): SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT"),
                CONSUMER.checkValue("kafka.security.protocol", "PLAINTEXTT"));
        assertEquals(
                Optional.of("Invalid value abc for configuration request.timeout.ms: Not a number of type INT"),
                CONSUMER.checkValue("kafka.request.timeout.ms", "abc"));
        assertEquals(Optional.empty(), CONSUMER.checkValue("kafka.security.protocol", "SASL_SSL"));
        assertEquals(Optional.empty(), CONSUMER.checkValue("kafka.request.timeout.ms", "30000"));
        assertEquals(
                Optional.of(
                        "must be host:port entries separated by commas (e.g. broker1:9092,broker2:9092); not host:port:"
                                + " localhost"),
                CONSUMER.checkValue("kafka.bootstrap.servers", "broker1:9092, localhost"));
        assertEquals(
                List.of(
                        "must be host:port entries separated by commas (e.g. broker1:9092,broker2:9092); not host:port: broker"),
                KafkaSettings.bootstrapServers().check("broker"));
        assertEquals(List.of(), KafkaSettings.bootstrapServers().check("broker-1.internal:9092,[::1]:9093"));
    }

    @Test
    void passwordsAndTheJaasConfigAreSecretAndTheirValuesNeverChecked() {
        OptionPrefix producer = KafkaSettings.prefix("producer settings", ProducerConfig.configDef());
        assertTrue(producer.isSecret("kafka.ssl.key.password"));
        assertTrue(producer.isSecret("kafka.sasl.jaas.config"));
        assertFalse(producer.isSecret("kafka.acks"));
        assertEquals(Optional.empty(), producer.checkValue("kafka.ssl.key.password", "anything at all"));
        assertTrue(producer.isKnown("kafka.linger.ms"));
        assertFalse(producer.isKnown("kafka.max.poll.records"), "a consumer setting is not a producer's");
    }

    @Test
    void aJaasConfigIsReadWithTheClientsParserAndAMalformedOneNeverRepeated() {
        String valid = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\""
                + " password=\"hunter2\";";
        assertEquals(Optional.empty(), CONSUMER.checkValue("kafka.sasl.jaas.config", valid));
        Optional<String> malformed = CONSUMER.checkValue("kafka.sasl.jaas.config", valid.replace(" required", ""));
        assertEquals(
                Optional.of("is not a JAAS configuration the Kafka client can read: one login module, as <LoginModule"
                        + " class> required <key>=\"<value>\" ...;  (ending with a semicolon)"),
                malformed);
        assertFalse(malformed.get().contains("hunter2"));
    }
}
