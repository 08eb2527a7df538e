package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.SourceContext;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.testkit.SharedSluice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Sluice's measured Kafka read settings reach Spark's reader when a pipeline sets none, and a
 * pipeline's own value wins: what {@code explain} shows as a default is what the consumers get.
 */
class ReadDefaultsTest {
    private static Map<String, String> readerOptions(Map<String, String> given) {
        SparkSession spark = SharedSluice.get().spark();
        Map<String, String> raw = new HashMap<>(
                Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "subscribe", "orders", "value.format", "string"));
        raw.putAll(given);
        OptionsValidator.Result validated = OptionsValidator.validate(new KafkaSource(), List.of(), raw);
        assertTrue(validated.valid(), validated.problems().toString());
        Map<String, String> captured = new HashMap<>();
        SourceContext context = new SourceContext() {
            @Override
            public SparkSession spark() {
                return spark;
            }

            @Override
            public String pipelineName() {
                return "read_defaults";
            }

            @Override
            public Dataset<Row> stream(String format, Map<String, String> options) {
                captured.putAll(options);
                // Spark's Kafka columns, no rows: the decoding is built on them, nothing runs
                return spark.sql("SELECT CAST(NULL AS BINARY) AS key, CAST(NULL AS BINARY) AS value, 't' AS topic,"
                                + " 0 AS partition, 0L AS offset, current_timestamp() AS timestamp, 0 AS timestampType")
                        .limit(0);
            }
        };
        new KafkaSource().read(context, validated.options());
        return captured;
    }

    @Test
    void theMeasuredSettingsReachSparksReader() {
        Map<String, String> options = readerOptions(Map.of());
        assertEquals("10000", options.get("kafka.max.poll.records"));
        assertEquals("8388608", options.get("kafka.max.partition.fetch.bytes"));
        assertEquals("1048576", options.get("kafka.receive.buffer.bytes"));
    }

    @Test
    void aPipelinesOwnValueWins() {
        Map<String, String> options =
                readerOptions(Map.of("kafka.max.poll.records", "500", "kafka.receive.buffer.bytes", "-1"));
        assertEquals("500", options.get("kafka.max.poll.records"));
        assertEquals("-1", options.get("kafka.receive.buffer.bytes"));
        assertEquals("8388608", options.get("kafka.max.partition.fetch.bytes"));
    }

    @Test
    void aBadValueIsAProblemBeforeStart() {
        OptionsValidator.Result validated = OptionsValidator.validate(
                new KafkaSource(),
                List.of(),
                Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:9",
                        "subscribe", "orders",
                        "kafka.max.poll.records", "0"));
        assertEquals(
                "[source 'kafka': option 'kafka.max.poll.records' = '0' must be positive]",
                validated.problems().stream().map(Object::toString).toList().toString());
    }
}
