package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A dead letter kept on a Kafka topic: the raw key and value, with where the record came from
 * and why it failed in the headers {@link DeadLetter#HEADERS}. A task's records are sent as
 * it meets them and acknowledged before the task succeeds (at least once, as Kafka sinks are).
 */
record DeadLetterTopic(String topic, Map<String, String> producer) implements DeadLetter {
    private static final long serialVersionUID = 1L;

    DeadLetterTopic {
        requireNonNull(topic, "topic is null");
        producer = Map.copyOf(requireNonNull(producer, "producer is null"));
    }

    @Override
    public String description() {
        return "Kafka topic '" + topic + "'";
    }

    @Override
    public Spool open(DeadLetterRecord first, long taskAttemptId) {
        Map<String, Object> config = new HashMap<>(producer);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(config);
        List<Future<RecordMetadata>> sent = new java.util.ArrayList<>();
        return new Spool() {
            @Override
            public void write(DeadLetterRecord record) {
                sent.add(kafka.send(
                        new ProducerRecord<>(topic, null, null, record.key(), record.value(), headers(record))));
            }

            @Override
            public void commit() throws IOException {
                try {
                    kafka.flush();
                    for (Future<RecordMetadata> each : sent) {
                        each.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while sending to " + description(), e);
                } catch (ExecutionException e) {
                    throw new IOException(
                            "cannot send to " + description() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                } finally {
                    kafka.close();
                }
            }

            @Override
            public void discard() {
                kafka.close(java.time.Duration.ZERO);
            }
        };
    }

    private static List<Header> headers(DeadLetterRecord record) {
        List<Object> values = java.util.Arrays.asList(
                record.topic(), record.partition(), record.offset(), record.timestamp(), record.error());
        List<Header> headers = new java.util.ArrayList<>();
        for (int i = 0; i < HEADERS.size(); i++) {
            Object value = values.get(i);
            headers.add(new RecordHeader(
                    HEADERS.get(i), value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return headers;
    }
}
