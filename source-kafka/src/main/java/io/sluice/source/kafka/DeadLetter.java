package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.sluice.core.SideOutput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Where the records that do not decode go: files ({@code deadLetter.path}) or a Kafka topic
 * ({@code deadLetter.topic}), the way Kafka Connect keeps its dead letters. Either way every
 * record keeps its raw key and value and says where it came from and why it failed.
 */
sealed interface DeadLetter {
    /** The header names of a dead letter on a topic: where the record came from and why it was set aside. */
    List<String> HEADERS = List.of("sluice.topic", "sluice.partition", "sluice.offset", "sluice.timestamp", "sluice.error");

    /**
     * The side output that writes {@code bad}: records with columns topic, partition, offset,
     * timestamp, key, value (raw) and error.
     */
    SideOutput output(String name, Dataset<Row> bad);

    static DeadLetter files(String path, String format) {
        return new Files(path, format);
    }

    /** A topic on the source's cluster, written with the producer settings among the source's {@code kafka.*} options. */
    static DeadLetter topic(String topic, Map<String, String> kafkaOptions) {
        Map<String, String> producer = kafkaOptions.entrySet().stream()
                .filter(e -> ProducerConfig.configNames().contains(e.getKey().substring("kafka.".length())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new Topic(topic, producer);
    }

    record Files(String path, String format) implements DeadLetter {
        @Override
        public SideOutput output(String name, Dataset<Row> bad) {
            return new SideOutput(name, bad, writer -> writer.format(format).option("path", path), format + " files at " + path);
        }
    }

    record Topic(String topic, Map<String, String> producer) implements DeadLetter {
        @Override
        public SideOutput output(String name, Dataset<Row> bad) {
            Dataset<Row> records = bad.select(col("key"), col("value"), array(
                    header(HEADERS.get(0), col("topic")), header(HEADERS.get(1), col("partition")), header(HEADERS.get(2), col("offset")),
                    header(HEADERS.get(3), col("timestamp")), header(HEADERS.get(4), col("error"))).as("headers"));
            return new SideOutput(name, records, writer -> writer.format("kafka").option("topic", topic).options(producer),
                    "Kafka topic '" + topic + "'", Optional.empty());
        }

        private static Column header(String key, Column value) {
            return struct(lit(key).as("key"), value.cast(DataTypes.StringType).cast(DataTypes.BinaryType).as("value"));
        }
    }
}
