package io.sluice.source.kafka;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the records that do not decode go: files ({@code deadLetter.path}) or a Kafka topic
 * ({@code deadLetter.topic}), the way Kafka Connect keeps its dead letters. Either way every
 * record keeps its raw key and value and says where it came from and why it failed.
 *
 * <p>Dead letters are written by the pipeline's own tasks, from the one read of Kafka that
 * also feeds the main sink (see {@link DeadLetterFunction}): each task that meets a bad
 * record opens a {@link Spool}, and commits it when the task succeeds — before Spark can
 * commit the batch — or discards it when the task fails.
 */
sealed interface DeadLetter extends Serializable permits DeadLetterFiles, DeadLetterTopic {
    /** The header names of a dead letter on a topic: where the record came from and why it was set aside. */
    List<String> HEADERS =
            List.of("sluice.topic", "sluice.partition", "sluice.offset", "sluice.timestamp", "sluice.error");

    /** Opens the spool of one task attempt; {@code first} names it, so a replay of the same records writes the same spool. */
    Spool open(DeadLetterRecord first, long taskAttemptId) throws IOException;

    /** Where the dead letter goes, for messages. */
    String description();

    /** The bad records one task writes: committed when the task succeeds, discarded when it fails. */
    interface Spool {
        void write(DeadLetterRecord record) throws IOException;

        void commit() throws IOException;

        /** Best effort: the task already failed, and its failure is what the user must see. */
        void discard();
    }

    static DeadLetter files(String path, String format, Configuration hadoop) {
        return new DeadLetterFiles(path, format, hadoop);
    }

    /** A topic on the source's cluster, written with the producer settings among the source's {@code kafka.*} options. */
    static DeadLetter topic(String topic, Map<String, String> kafkaOptions) {
        Map<String, String> producer = kafkaOptions.entrySet().stream()
                .filter(e -> e.getKey().startsWith("kafka."))
                .map(e -> Map.entry(e.getKey().substring("kafka.".length()), e.getValue()))
                .filter(e -> ProducerConfig.configNames().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new DeadLetterTopic(topic, producer);
    }
}
