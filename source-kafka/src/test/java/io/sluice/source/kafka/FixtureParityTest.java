package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.SampleRecord;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.text.RowTable;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.pipeline.Expectation;
import io.sluice.testkit.pipeline.PipelineTest;
import io.sluice.testkit.pipeline.PipelineTester;
import io.sluice.testkit.pipeline.TestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code sluice test} runs is what Kafka runs: the same records, produced to a real broker
 * and read by the pipeline, or given to the source's fixture and run by the tester, come out as
 * the same rows — every column, for each value format, with keys, headers, two partitions and a
 * record that does not decode.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FixtureParityTest {
    private static final long TIME = 1_764_064_800_000L; // 2025-11-25T10:00:00Z

    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.withCollectingSink();
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(
                        "json", List.of("value.schema", "id BIGINT, name STRING, at TIMESTAMP", "badRecords", "skip")),
                Arguments.of("string", List.of()),
                Arguments.of("binary", List.of()));
    }

    private static final List<KafkaRecord> RECORDS = List.of(
            KafkaRecord.of("k1", "{\"id\":1,\"name\":\"ada\",\"at\":\"2026-11-25T10:00:00Z\"}")
                    .withHeaders(Map.of("trace", "t-1"))
                    .withTimestamp(TIME)
                    .toPartition(0),
            KafkaRecord.of("k2", "{\"id\":2,\"name\":\"b\\u00f6b\"}")
                    .withTimestamp(TIME + 1)
                    .toPartition(1),
            KafkaRecord.of(null, "not json at all").withTimestamp(TIME + 2).toPartition(1),
            KafkaRecord.of("k1", "{\"id\":3}").withTimestamp(TIME + 3).toPartition(0));

    @ParameterizedTest(name = "value.format {0}")
    @MethodSource("formats")
    void theFixtureAndTheBrokerGiveTheSameRows(String format, List<String> more) throws Exception {
        String topic = kafka.newTopic("parity-" + format, 2);
        List<String> pairs = new ArrayList<>(List.of(
                "subscribe", topic,
                "startingOffsets", "earliest",
                "includeHeaders", "true",
                "key.format", "string",
                "value.format", format));
        pairs.addAll(more);
        Map<String, String> options = kafka.sourceOptions(pairs.toArray(String[]::new));

        kafka.produce(topic, RECORDS);
        String table = "parity_" + format;
        runToEnd(pipeline(table, options));
        List<Row> fromKafka = sluice.spark().table(table).collectAsList();

        List<SampleRecord> given = RECORDS.stream()
                .map(r -> new SampleRecord(
                        Optional.ofNullable(r.key()).map(k -> k.getBytes(StandardCharsets.UTF_8)),
                        r.value().getBytes(StandardCharsets.UTF_8),
                        r.headers().entrySet().stream()
                                .map(h -> new SampleRecord.Header(
                                        h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)))
                                .toList(),
                        OptionalInt.of(r.partition().orElseThrow()),
                        Optional.of(Instant.ofEpochMilli(r.timestamp().orElseThrow()))))
                .toList();
        TestOutcome outcome = new PipelineTester(sluice)
                .run(
                        pipeline("parity_fixture_" + format, options).build().definition(),
                        new PipelineTest(
                                format,
                                List.of(new PipelineTest.Batch(given, Expectation.none())),
                                Expectation.none(),
                                false));
        outcome.assertPassed();
        List<Row> fromFixture = outcome.all().orElseThrow().rows();

        assertEquals(format.equals("json") ? 3 : 4, fromKafka.size(), fromKafka.toString());
        assertEquals(text(fromKafka), text(fromFixture));
        assertEquals(
                sluice.spark().table(table).schema(),
                outcome.all().orElseThrow().schema(),
                "the same columns, of the same types");
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> options) {
        return sluice.pipeline(table).source("kafka", options).sink("collect");
    }

    /** Every cell as a person reads it (bytes as text or hex), the rows in partition and offset order. */
    static List<String> text(List<Row> rows) {
        return rows.stream()
                .sorted(Comparator.comparing((Row r) -> r.<Integer>getAs("partition"))
                        .thenComparing(r -> r.<Long>getAs("offset")))
                .map(row -> {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < row.length(); i++) {
                        cells.add(row.schema().fieldNames()[i] + "=" + RowTable.value(row.get(i)));
                    }
                    return String.join(", ", cells);
                })
                .toList();
    }
}
