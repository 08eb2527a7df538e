package io.sluice.examples;

import io.sluice.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka every example talks to: the broker named by {@code KAFKA_BOOTSTRAP_SERVERS} when
 * it is set, otherwise an embedded broker started for the run and stopped at the end.
 */
public final class ExampleKafka implements AutoCloseable {
    public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private final Optional<EmbeddedKafka> embedded;
    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;

    private ExampleKafka(Optional<EmbeddedKafka> embedded, String bootstrapServers) {
        this.embedded = embedded;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        this.producer = new KafkaProducer<>(
                EmbeddedKafka.producerSettings(bootstrapServers), new StringSerializer(), new StringSerializer());
    }

    /** The real broker from the environment, or a new embedded one. */
    public static ExampleKafka open() {
        return open(System.getenv(ENV));
    }

    /** The broker at {@code configured}, or a new embedded one when it is null or blank. */
    static ExampleKafka open(String configured) {
        if (configured != null && !configured.isBlank()) {
            return new ExampleKafka(Optional.empty(), configured);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        return new ExampleKafka(Optional.of(kafka), kafka.bootstrapServers());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    /** Creates the topic unless it exists; a unique name per run keeps repeated runs apart. */
    public String createTopic(String prefix, int partitions) {
        String topic = prefix + "-" + System.currentTimeMillis();
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers, e);
        }
        return topic;
    }

    /** Produces key/value pairs, in order, and waits for every acknowledgement. */
    public void produce(String topic, List<Map.Entry<String, String>> records) {
        List<Future<?>> sent = records.stream()
                .<Future<?>>map(r -> producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())))
                .toList();
        producer.flush();
        for (Future<?> future : sent) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot produce to " + topic, e);
            }
        }
    }

    /** Produces key/value pairs with binary values (Avro in Confluent's framing), in order, acknowledged. */
    public void produceBytes(String topic, List<Map.Entry<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> bytes = new KafkaProducer<>(
                EmbeddedKafka.producerSettings(bootstrapServers),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<Future<?>> sent = records.stream()
                    .<Future<?>>map(r -> bytes.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())))
                    .toList();
            bytes.flush();
            for (Future<?> future : sent) {
                try {
                    future.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot produce to " + topic, e);
                }
            }
        }
    }

    /** Produces records with explicit timestamps (event time), for the windowed example. */
    public void produceAt(String topic, List<Map.Entry<Long, String>> timedValues) {
        timedValues.forEach(r -> producer.send(new ProducerRecord<>(topic, null, r.getKey(), null, r.getValue())));
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        embedded.ifPresent(EmbeddedKafka::close);
    }
}
