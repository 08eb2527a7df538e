package io.sluice.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kafka → SQL → Kafka on the embedded broker, in micro-batches and in real-time mode, with exact counts. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToKafkaTest {
    private static EmbeddedKafka kafka;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> orders(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"id\":" + i + ",\"customer\":\"c" + (i % 3) + "\",\"amount\":" + i + ".5}")
                .toList();
    }

    private Map<String, String> source(String topic, String... more) {
        return kafka.readFromStart(
                topic,
                OptionPairs.with(
                                Map.of(
                                        "value.format",
                                        "json",
                                        "value.schema",
                                        "id BIGINT, customer STRING, amount DOUBLE"),
                                more)
                        .entrySet()
                        .stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                        .toArray(String[]::new));
    }

    @Test
    void writesEachRowAsAJsonValueWithItsKeyInMicroBatches() throws Exception {
        String in = kafka.newTopic("k2k-in", 2);
        String out = kafka.newTopic("k2k-out", 2);
        kafka.produceValues(in, orders(200));
        Pipelines.runToEnd(sluice.pipeline("orders_to_kafka")
                .source("kafka", source(in, "maxOffsetsPerTrigger", "50"))
                .sql("SELECT id, customer, amount * 2 AS doubled FROM input WHERE amount < 100")
                .sink(
                        "kafka",
                        Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out, "key.column", "id"))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        assertEquals(
                100L,
                kafka.endOffsets(out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                "exactly the 100 rows under 100");
        Map<String, String> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.consume(out, 100, Duration.ofSeconds(30))) {
            byKey.put(text(record.key()), text(record.value()));
        }
        assertEquals(100, byKey.size());
        assertEquals("{\"customer\":\"c1\",\"doubled\":15.0}", byKey.get("7"));
    }

    @Test
    void anOutputTopicThatDoesNotExistIsRefusedBeforeStartWithTheOneMeant() {
        String in = kafka.newTopic("k2k-missing-in", 1);
        String out = kafka.newTopic("k2k-alerts", 1);
        String misspelt = out.replace("alerts", "alrets");
        kafka.produceValues(in, orders(3));
        var pipeline = sluice.pipeline("to_missing_topic")
                .source("kafka", source(in))
                .sink("kafka", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", misspelt))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build();
        ValidationException refused = assertThrows(ValidationException.class, pipeline::start);
        assertEquals(
                List.of("sink 'kafka': option 'topic' names topic '" + misspelt + "', which does not exist on "
                        + kafka.bootstrapServers() + " — did you mean '" + out + "'? (create it first, or correct"
                        + " 'topic')"),
                refused.problems().stream().map(Object::toString).toList());
        assertEquals(0, sluice.spark().streams().active().length, "nothing started");
        assertEquals(
                0L,
                kafka.endOffsets(out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    @Test
    void routesByATopicColumnAndCarriesHeadersAndStringValues() throws Exception {
        String in = kafka.newTopic("k2k-headers", 1);
        String even = kafka.newTopic("k2k-even", 1);
        String odd = kafka.newTopic("k2k-odd", 1);
        List<KafkaRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(KafkaRecord.of("k" + i, "v" + i).withHeaders(Map.of("trace", "t" + i)));
        }
        kafka.produce(in, records);
        Pipelines.runToEnd(sluice.pipeline("route")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                in, "value.format", "string", "key.format", "string", "includeHeaders", "true"))
                .sql("SELECT key, upper(value) AS value, headers, CASE WHEN CAST(substr(key, 2) AS INT) % 2 = 0 THEN '"
                        + even + "' ELSE '" + odd + "' END AS topic FROM input")
                .sink(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                kafka.bootstrapServers(),
                                "value.format",
                                "string",
                                "key.column",
                                "key",
                                "headers",
                                "headers"))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        List<ConsumerRecord<byte[], byte[]>> evens = kafka.consume(even, 5, Duration.ofSeconds(30));
        assertEquals(
                List.of("k0=V0", "k2=V2", "k4=V4", "k6=V6", "k8=V8"),
                evens.stream()
                        .map(r -> text(r.key()) + "=" + text(r.value()))
                        .sorted()
                        .toList());
        Header trace = evens.get(0).headers().lastHeader("trace");
        assertEquals("t" + text(evens.get(0).key()).substring(1), text(trace.value()));
        assertEquals(
                5L,
                kafka.endOffsets(odd).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    @Test
    void aPipelineThatWouldWriteIntoTheTopicItReadsIsRefusedBeforeStartAndWritesNothing() throws Exception {
        String in = kafka.newTopic("k2k-loop", 1);
        String out = kafka.newTopic("k2k-loop-out", 1);
        kafka.produceValues(in, orders(10));
        String servers = kafka.bootstrapServers();
        Map<String, String> sink = Map.of("kafka.bootstrap.servers", servers, "value.format", "string");
        // as a user wrote it from the README: every column of the source, and no topic option
        PipelineBuilder loop = sluice.pipeline("loop")
                .source("kafka", kafka.readFromStart(in, "value.format", "string"))
                .sql("SELECT * FROM input WHERE value IS NOT NULL")
                .sink("kafka", sink)
                .checkpointLocation(dir.resolve("loop").toString());
        ValidationException refused =
                assertThrows(ValidationException.class, () -> loop.build().start());
        assertEquals(
                "pipeline 'loop' is invalid: sink 'kafka': without option 'topic', each row goes to the topic in its column"
                        + " 'topic', and that column is the kafka source's own: every record would go back to the topic it was read from,"
                        + " and be read again, without end; set option 'topic' to the topic to write, or compute the column in the SQL"
                        + " (e.g. concat(topic, '-out') AS topic)",
                refused.getMessage());
        assertEquals(
                10L,
                kafka.endOffsets(in).values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                "nothing was written back");

        List<String> named = sluice
                .pipeline("named_loop")
                .source("kafka", kafka.readFromStart(in, "value.format", "string"))
                .sql("SELECT value FROM input")
                .sink("kafka", OptionPairs.with(sink, "topic", in))
                .checkpointLocation(dir.resolve("named").toString())
                .build()
                .validate()
                .problems()
                .stream()
                .map(Object::toString)
                .toList();
        assertEquals(
                List.of("sink 'kafka': it writes kafka topic '" + in + "' on " + servers
                        + ", which source 'kafka' reads:"
                        + " every record written would be read again and written again, without end; write somewhere the source does not"
                        + " read"),
                named);

        List<String> pattern = sluice
                .pipeline("pattern_loop")
                .source(
                        "kafka",
                        Map.of(
                                "kafka.bootstrap.servers",
                                servers,
                                "subscribePattern",
                                "k2k-loo.*",
                                "value.format",
                                "string"))
                .sql("SELECT value FROM input")
                .sink("kafka", OptionPairs.with(sink, "topic", in))
                .checkpointLocation(dir.resolve("pattern").toString())
                .build()
                .validate()
                .problems()
                .stream()
                .map(Object::toString)
                .toList();
        assertEquals(
                List.of("sink 'kafka': it writes kafka topic '" + in + "' on " + servers
                        + ", which source 'kafka' reads"
                        + " (kafka topics matching 'k2k-loo.*' on " + servers
                        + "): every record written would be read again and written"
                        + " again, without end; write somewhere the source does not read"),
                pattern);

        List<String> deadLetter = sluice
                .pipeline("dead_letter_loop")
                .source("kafka", source(in, "badRecords", "dead_letter", "deadLetter.topic", in))
                .sink("kafka", Map.of("kafka.bootstrap.servers", servers, "topic", out))
                .checkpointLocation(dir.resolve("dl").toString())
                .build()
                .validate()
                .problems()
                .stream()
                .map(Object::toString)
                .toList();
        assertEquals(
                List.of("source 'kafka': option 'deadLetter.topic' = '" + in
                        + "' is a topic this source reads: every bad"
                        + " record would be read again and dead-lettered again, without end; dead-letter to a topic the source does not"
                        + " read"),
                deadLetter);

        assertEquals(
                List.of(),
                sluice.pipeline("computed")
                        .source("kafka", kafka.readFromStart(in, "value.format", "string"))
                        .sql("SELECT value, concat(topic, '-out') AS topic FROM input")
                        .sink("kafka", sink)
                        .checkpointLocation(dir.resolve("computed").toString())
                        .build()
                        .validate()
                        .problems(),
                "a routing column the SQL computes");
        PipelineHandle moved = Pipelines.runToEnd(sluice.pipeline("to_another_topic")
                .source("kafka", kafka.readFromStart(in, "value.format", "string"))
                .sql("SELECT * FROM input WHERE value IS NOT NULL")
                .sink("kafka", OptionPairs.with(sink, "topic", out))
                .checkpointLocation(dir.resolve("moved").toString()));
        assertTrue(moved.exception().isEmpty());
        assertEquals(
                10L,
                kafka.endOffsets(out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        assertEquals(
                10L,
                kafka.endOffsets(in).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    @Test
    void withoutACheckpointEveryRestartWouldWriteTheInputAgainSoItIsRefused() {
        String in = kafka.newTopic("k2k-no-checkpoint", 1);
        ValidationException refused = assertThrows(
                ValidationException.class,
                () -> sluice.pipeline("forgetful")
                        .source("kafka", source(in))
                        .sink(
                                "kafka",
                                Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", "elsewhere"))
                        .build()
                        .start());
        assertEquals(
                "pipeline 'forgetful' is invalid: sink 'kafka': missing required option 'checkpointLocation' (set it on the sink"
                        + " or on the pipeline): it is where the pipeline keeps how far it got, so that a restart goes on from there instead"
                        + " of writing its input again",
                refused.getMessage());
    }

    @Test
    void theDeadLetterCanBeATopicWithTheCoordinatesAndErrorInHeaders() throws Exception {
        String in = kafka.newTopic("k2k-dl-in", 1);
        String out = kafka.newTopic("k2k-dl-out", 1);
        String deadLetter = kafka.newTopic("k2k-dl", 1);
        List<String> values = new ArrayList<>(orders(20));
        values.add(3, "not json");
        values.add(10, "{\"id\": oops}");
        kafka.produceValues(in, values);
        PipelineHandle handle = Pipelines.runToEnd(sluice.pipeline("with_dead_letter_topic")
                .source("kafka", source(in, "badRecords", "dead_letter", "deadLetter.topic", deadLetter))
                .sql("SELECT id, amount FROM input")
                .sink("kafka", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out))
                .checkpointLocation(dir.resolve("checkpoint").toString()));
        assertTrue(handle.exception().isEmpty());

        assertEquals(
                20L,
                kafka.endOffsets(out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consume(deadLetter, 2, Duration.ofSeconds(30));
        assertEquals(
                2L,
                kafka.endOffsets(deadLetter).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        ConsumerRecord<byte[], byte[]> first = dead.stream()
                .filter(r -> text(r.value()).equals("not json"))
                .findFirst()
                .orElseThrow();
        assertEquals(in, text(first.headers().lastHeader("sluice.topic").value()));
        assertEquals("0", text(first.headers().lastHeader("sluice.partition").value()));
        assertEquals("3", text(first.headers().lastHeader("sluice.offset").value()));
        assertEquals(
                "value is not JSON matching value.schema: not JSON: Unrecognized token 'not': was expecting (JSON"
                        + " String, Number, Array, Object or token 'null', 'true' or 'false') (column 1)",
                text(first.headers().lastHeader("sluice.error").value()));
    }

    @Test
    void realTimeModeMovesEveryRecordOnceAndChecksItsCoresAtStart() throws Exception {
        String in = kafka.newTopic("k2k-rt-in", 1);
        String out = kafka.newTopic("k2k-rt-out", 1);
        kafka.produceValues(in, orders(300));
        PipelineHandle handle = sluice.pipeline("real_time")
                .source("kafka", source(in))
                .sql("SELECT id, customer FROM input WHERE id % 2 = 0")
                .sink(
                        "kafka",
                        Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out, "key.column", "id"))
                .outputMode(OutputMode.UPDATE)
                .trigger(StreamTrigger.realTime(Duration.ofSeconds(5)))
                .checkpointLocation(dir.resolve("rt-checkpoint").toString())
                .build()
                .start();
        try {
            List<ConsumerRecord<byte[], byte[]>> written = kafka.consume(out, 150, Duration.ofMinutes(1));
            assertEquals(150, written.size());
            kafka.produceValues(in, List.of("{\"id\":1000,\"customer\":\"late\",\"amount\":1.0}"));
            kafka.consume(
                    out, 151, Duration.ofMinutes(1)); // a record produced while it runs arrives without a new batch
        } finally {
            handle.stop();
        }
        assertTrue(handle.exception().isEmpty(), () -> handle.exception().get().getMessage());
        assertEquals(
                151L,
                kafka.endOffsets(out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                "every even id once");

        String wide = kafka.newTopic("k2k-rt-wide", Runtime.getRuntime().availableProcessors() + 1);
        ValidationException tooFewCores = assertThrows(
                ValidationException.class,
                () -> sluice.pipeline("too_wide")
                        .source("kafka", source(wide))
                        .sink("kafka", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "topic", out))
                        .outputMode(OutputMode.UPDATE)
                        .trigger(StreamTrigger.realTime(Duration.ofSeconds(5)))
                        .checkpointLocation(dir.resolve("wide-checkpoint").toString())
                        .build()
                        .start());
        int cores = sluice.spark().sparkContext().defaultParallelism();
        assertEquals(
                "pipeline 'too_wide' is invalid: source 'kafka': real-time mode runs a task per Kafka"
                        + " partition at all times: the source reads "
                        + (Runtime.getRuntime().availableProcessors() + 1)
                        + " partitions and Spark has " + cores + " cores; give Spark at least "
                        + (Runtime.getRuntime().availableProcessors() + 1)
                        + " cores (spark.master local[" + (Runtime.getRuntime().availableProcessors() + 1)
                        + "], or more executor cores)"
                        + " or use a micro-batch trigger",
                tooFewCores.getMessage());
    }
}
