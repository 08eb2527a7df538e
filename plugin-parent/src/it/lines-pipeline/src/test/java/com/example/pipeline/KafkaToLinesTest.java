package com.example.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.Sluice;
import io.sluice.core.StreamSink;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's jar on the class path is all it takes: the sink is found by name and runs in a pipeline. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToLinesTest {
    @TempDir
    Path dir;

    @Test
    void thePluginIsFoundInItsJarAndWritesEveryRecord(EmbeddedKafka kafka) throws Exception {
        Sluice sluice = SharedSluice.get();
        StreamSink lines = sluice.connectors().sink("lines").connector().orElseThrow();
        String jar = lines.getClass().getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(jar.endsWith("lines-sink-1.0.jar"), "loaded from the plugin's jar: " + jar);

        String topic = kafka.newTopic("orders", 2);
        kafka.produceValues(topic, IntStream.range(0, 50).mapToObj(i -> "{\"id\":" + i + "}").toList());
        Pipelines.runToEnd(sluice.pipeline("orders_to_lines")
                .source("kafka", kafka.readFromStart(topic, "value.format", "json", "value.schema", "id BIGINT"))
                .sql("SELECT id FROM input")
                .sink("lines", Map.of("path", dir.resolve("out").toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        List<Long> ids = sluice.spark().read().schema("id BIGINT").json(dir.resolve("out/*/*/*.jsonl").toString())
                .orderBy("id").as(Encoders.LONG()).collectAsList();
        assertEquals(IntStream.range(0, 50).mapToObj(i -> (long) i).toList(), ids);
    }
}
