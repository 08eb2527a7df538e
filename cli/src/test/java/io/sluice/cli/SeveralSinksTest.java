package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.SinkContext;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.SinkSpec;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One read, several outputs: a pipeline writing parquet, Delta and memory sinks from each batch,
 * each with its own rows and columns, read back; a sink that fails after another wrote, and the
 * restart that writes neither twice; every mistake in a file's {@code sinks:} at its line.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SeveralSinksTest {
    private static EmbeddedKafka kafka;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static void orders(String topic, int from, int count) {
        kafka.produceValues(
                topic,
                IntStream.range(from, from + count)
                        .mapToObj(i -> "{\"id\":" + i + ",\"amount\":" + (i * 10) + "}")
                        .toList());
    }

    private static Map<String, String> source(String topic) {
        return kafka.readFromStart(topic, "value.format", "json", "value.schema", "id BIGINT, amount BIGINT");
    }

    @Test
    void eachBatchIsReadOnceAndWrittenToEverySinkWithItsOwnRowsAndColumns() throws Exception {
        String topic = kafka.newTopic("fan-out", 2);
        orders(topic, 0, 20);
        Path all = dir.resolve("all");
        Path big = dir.resolve("big");
        Path checkpoint = dir.resolve("checkpoint");
        try (PipelineHandle handle = sluice.pipeline("fan_out")
                .source("kafka", source(topic))
                .sql("SELECT id, amount FROM input")
                .sink(SinkSpec.named("all", "parquet", Map.of("path", all.toString())))
                .sink(SinkSpec.named("big", "delta", Map.of("path", big.toString()))
                        .where("amount >= 100")
                        .columns("id", "amount * 2 AS doubled"))
                .sink(SinkSpec.named("small_ids", "memory", Map.of())
                        .where("id < 5")
                        .columns("id"))
                .checkpointLocation(checkpoint.toString())
                .build()
                .start()) {
            handle.processAllAvailable();
            orders(topic, 20, 10);
            handle.processAllAvailable();
            assertFalse(handle.failure().isPresent(), () -> handle.failure().toString());
            assertEquals(
                    Map.of("sinks.all", 30L, "sinks.big", 20L, "sinks.small_ids", 5L),
                    subMap(handle.countTotals(), "sinks."));
        }
        var spark = sluice.spark();
        assertEquals(30, spark.read().parquet(all.toString()).distinct().count());
        assertEquals(30, spark.read().parquet(all.toString()).count());
        var delta = spark.read().format("delta").load(big.toString());
        assertEquals(List.of("id", "doubled"), List.of(delta.columns()));
        assertEquals(20, delta.count());
        assertEquals(
                List.of(200L, 580L),
                delta.selectExpr("min(doubled)", "max(doubled)").collectAsList().stream()
                        .flatMap(r -> List.of(r.getLong(0), r.getLong(1)).stream())
                        .toList());
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L),
                spark.sql("SELECT id FROM small_ids ORDER BY id").collectAsList().stream()
                        .map(r -> r.getLong(0))
                        .toList());
        assertTrue(Files.isDirectory(checkpoint.resolve("sinks").resolve("big")), "each sink's record of batches");
    }

    @Test
    void theExampleRunsWithEachSinksRowsOnTheProgressLineAndExplainSaysEachSinksDelivery() throws Exception {
        String topic = kafka.newTopic("fan-out-file", 1);
        kafka.produceValues(
                topic,
                List.of(
                        "{\"id\":1,\"customer\":\"ada\",\"amount\":12.5}",
                        "{\"id\":2,\"customer\":\"bob\",\"amount\":1500}",
                        "{\"id\":3,\"amount\":7}"));
        Path root = io.sluice.testkit.ReadmeTables.projectReadme().getParent();
        Path file = Files.writeString(
                dir.resolve("sinks.yaml"),
                Files.readString(root.resolve("examples/pipelines/orders-to-several-sinks.yaml"))
                        .replace("subscribe: orders", "subscribe: " + topic)
                        .replace("    checkpointLocation:", "    trigger: availableNow\n    checkpointLocation:"));
        List<String> settings =
                List.of("--set", "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(), "--set", "WORK=" + dir);

        Cli.Result run = Cli.run(concat(List.of("run", file.toString()), settings));
        assertEquals(0, run.exit(), run.all());
        assertTrue(
                run.out()
                        .lines()
                        .anyMatch(line -> line.startsWith("[order_outputs] batch 0: 3 records in")
                                && line.endsWith("sinks: all_orders=3 large_orders=1 unknown_customers=1")),
                run.out());
        assertTrue(
                run.out()
                        .contains("started pipeline 'order_outputs' (kafka -> all_orders, large_orders,"
                                + " unknown_customers)"),
                run.out());
        var spark = sluice.spark();
        assertEquals(
                3,
                spark.read()
                        .format("delta")
                        .load(dir.resolve("orders").toString())
                        .count());
        assertEquals(
                List.of("2,bob,150000"),
                spark.read().parquet(dir.resolve("large-orders").toString()).collectAsList().stream()
                        .map(r -> r.get(0) + "," + r.get(1) + "," + r.get(2))
                        .toList());
        assertEquals(
                List.of("{\"id\":3}"),
                Files.readAllLines(Files.list(dir.resolve("unknown-customers"))
                        .filter(p -> p.getFileName().toString().endsWith(".json"))
                        .findFirst()
                        .orElseThrow()));

        Cli.Result explain = Cli.run(concat(List.of("explain", file.toString()), settings));
        assertEquals(0, explain.exit(), explain.all());
        assertTrue(
                explain.out()
                        .contains(String.join(
                                "\n",
                                "  sinks (each batch read once, written to each):",
                                "    all_orders: delta",
                                "      mergeSchema: false  (default)",
                                "      path: " + dir.resolve("orders"),
                                "      delivery: exactly once (a batch given again is skipped)",
                                "    large_orders: parquet",
                                "      path: " + dir.resolve("large-orders"),
                                "      where: amount >= 1000",
                                "      columns: id, customer, CAST(amount * 100 AS BIGINT) AS cents",
                                "      delivery: exactly once (a batch given again is skipped)",
                                "    unknown_customers: json",
                                "      dateFormat: yyyy-MM-dd  (default)",
                                "      encoding: UTF-8  (default)",
                                "      ignoreNullFields: true  (default)",
                                "      lineSep: \\n  (default)",
                                "      path: " + dir.resolve("unknown-customers"),
                                "      timestampFormat: yyyy-MM-dd'T'HH:mm:ss.SSSXXX  (default)",
                                "      where: customer IS NULL",
                                "      columns: id",
                                "      delivery: exactly once (a batch given again is skipped)\n")),
                explain.out());
    }

    @Test
    void aSinkAddedOnACheckpointIsRefusedUnlessAcceptedAndAMovedSinkIsRefused() throws Exception {
        String topic = kafka.newTopic("fan-out-guard", 1);
        orders(topic, 0, 4);
        Path checkpoint = dir.resolve("checkpoint");
        java.util.function.Function<List<SinkSpec>, PipelineBuilder> pipeline = sinks -> {
            PipelineBuilder builder = sluice.pipeline("fan_out_guard")
                    .source("kafka", source(topic))
                    .sql("SELECT id, amount FROM input")
                    .checkpointLocation(checkpoint.toString());
            sinks.forEach(builder::sink);
            return builder;
        };
        SinkSpec all = SinkSpec.named(
                "all", "parquet", Map.of("path", dir.resolve("all").toString()));
        SinkSpec ids = SinkSpec.named(
                        "ids", "json", Map.of("path", dir.resolve("ids").toString()))
                .columns("id");
        try (PipelineHandle handle = pipeline.apply(List.of(all, ids)).build().start()) {
            handle.processAllAvailable();
        }
        SinkSpec big = SinkSpec.named(
                        "big", "parquet", Map.of("path", dir.resolve("big").toString()))
                .where("amount >= 20");
        var added = org.junit.jupiter.api.Assertions.assertThrows(
                io.sluice.engine.definition.ValidationException.class,
                () -> pipeline.apply(List.of(all, ids, big)).build().start());
        assertEquals(
                "pipeline 'fan_out_guard': the checkpoint at " + checkpoint + " belongs to a pipeline without sink"
                        + " 'big' (parquet (path: " + dir.resolve("big")
                        + ")), which would get the batches from the next"
                        + " on: accept it with acceptChanges: [sinks], or give the changed pipeline a new"
                        + " checkpointLocation (it then starts from its startingOffsets), or undo the change",
                added.problems().get(0).toString());
        SinkSpec moved =
                SinkSpec.named("ids", "json", Map.of("path", dir.resolve("ids2").toString()));
        var refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.sluice.engine.definition.ValidationException.class,
                () -> pipeline.apply(List.of(all, moved)).build().start());
        assertTrue(
                refused.problems()
                        .get(0)
                        .toString()
                        .contains("whose sink 'ids' wrote to json (path: " + dir.resolve("ids")
                                + "), now json (path: " + dir.resolve("ids2")
                                + "): the new place would lack everything written"
                                + " before"),
                refused.problems().toString());

        orders(topic, 4, 2);
        try (PipelineHandle handle = pipeline.apply(List.of(all, ids, big))
                .acceptChanges(io.sluice.engine.plan.CheckpointChange.SINKS)
                .build()
                .start()) {
            handle.processAllAvailable();
            assertFalse(handle.failure().isPresent(), () -> handle.failure().toString());
        }
        var spark = sluice.spark();
        assertEquals(6, spark.read().parquet(dir.resolve("all").toString()).count());
        assertEquals(
                List.of(4L, 5L),
                spark.read().parquet(dir.resolve("big").toString()).orderBy("id").collectAsList().stream()
                        .map(r -> r.getLong(0))
                        .toList(),
                "the added sink gets the batches from its start on");
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    private static Map<String, Long> subMap(Map<String, Long> counts, String prefix) {
        Map<String, Long> found = new java.util.TreeMap<>();
        counts.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                found.put(key, value);
            }
        });
        return found;
    }

    /** Rows each test sink received, by its 'key' option, each delivery kept (a duplicate shows). */
    private static final Map<String, List<Long>> RECEIVED = new ConcurrentHashMap<>();

    /** Fails the first batch it is given when its 'failFirst' option says, as a database gone for a moment. */
    private static final class RecordingSink implements BatchSink {
        static final OptionSpec<String> KEY = OptionSpec.stringOption("key")
                .required()
                .description("names the list of rows kept")
                .build();
        static final OptionSpec<Boolean> FAIL_FIRST = OptionSpec.booleanOption("failFirst")
                .defaultValue(false)
                .description("fails the first batch")
                .build();
        private static final Map<String, Boolean> FAILED = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "keeps every row it is given, for the test";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(KEY, FAIL_FIRST);
        }

        @Override
        public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
            String key = options.get(KEY);
            boolean failFirst = options.get(FAIL_FIRST);
            return (batch, rows) -> {
                if (failFirst && FAILED.putIfAbsent(key, true) == null) {
                    throw new IllegalStateException("the database went away");
                }
                List<Long> ids =
                        rows.collectAsList().stream().map(r -> r.getLong(0)).toList();
                RECEIVED.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                        .addAll(ids);
            };
        }
    }

    @Test
    void aSinkThatFailsAfterAnotherWroteIsRetriedWithoutWritingTheOtherAgain() throws Exception {
        String topic = kafka.newTopic("fan-out-fail", 1);
        orders(topic, 0, 8);
        Path checkpoint = dir.resolve("checkpoint");
        Path parquet = dir.resolve("parquet");
        var registry = sluice.connectors().withSink(new RecordingSink());
        java.util.function.Supplier<PipelineBuilder> pipeline = () -> new PipelineBuilder(
                        sluice.spark(), registry, "fan_out_fail")
                .source("kafka", source(topic))
                .sql("SELECT id FROM input")
                .sink(SinkSpec.named("first", "recording", Map.of("key", "first-" + topic)))
                .sink(SinkSpec.named("second", "recording", Map.of("key", "second-" + topic, "failFirst", "true")))
                .sink(SinkSpec.named("files", "parquet", Map.of("path", parquet.toString())))
                .checkpointLocation(checkpoint.toString());
        try (PipelineHandle handle = pipeline.get().build().start()) {
            org.junit.jupiter.api.Assertions.assertThrows(Exception.class, handle::processAllAvailable);
            assertEquals(
                    "pipeline 'fan_out_fail' failed: query 'fan_out_fail', batch 0: sink 'second' failed:"
                            + " IllegalStateException: the database went away",
                    handle.failure().orElseThrow().getMessage());
        }
        assertEquals(8, RECEIVED.get("first-" + topic).size(), "the first sink wrote before the second failed");
        assertTrue(Files.exists(checkpoint.resolve("sinks/first/0")));
        assertFalse(Files.exists(checkpoint.resolve("sinks/second/0")));

        try (PipelineHandle handle = pipeline.get().build().start()) {
            handle.processAllAvailable();
            assertFalse(handle.failure().isPresent(), () -> handle.failure().toString());
            assertEquals(
                    Map.of("sinks.files", 8L, "sinks.first", 0L, "sinks.second", 8L),
                    subMap(handle.countTotals(), "sinks."));
        }
        List<Long> ids = LongStream.range(0, 8).boxed().toList();
        assertEquals(ids, sorted(RECEIVED.get("first-" + topic)), "the first sink was not given batch 0 again");
        assertEquals(ids, sorted(RECEIVED.get("second-" + topic)));
        assertEquals(8, sluice.spark().read().parquet(parquet.toString()).count());
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }

    @Test
    void mistakesInAFilesSinksAreSaidAtTheirLines() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: localhost:9092
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                    sinks:
                      - name: all
                        connector: parquet
                        options:
                          path: /tmp/orders
                          checkpointLocation: /tmp/elsewhere
                      - name: big
                        connector: deltaa
                        where: amount > 100
                      - name: ids
                        connector: parquet
                        options:
                          path: /tmp/orders
                      - name: all
                        connector: console
                        optons: {}
                      - name: 2nd
                        connector: console
                    checkpointLocation: /tmp/checkpoint
                """);
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        String f = file.toString();
        assertEquals(
                String.join(
                        "\n",
                        f + ":15:11: sink 'all' (parquet): option 'checkpointLocation' is not supported: the checkpoint"
                                + " is the pipeline's when it writes several sinks (one read, one checkpoint): set"
                                + " checkpointLocation on the pipeline",
                        f + ":17:9: no sink named 'deltaa' — did you mean 'delta'? (sinks: console, csv, delta, jdbc,"
                                + " json, kafka, memory, orc, parquet, text)",
                        f + ":21:9: sink 'ids' (parquet): writes where sink 'all' writes (path: /tmp/orders): two"
                                + " sinks of one pipeline writing one place would write each row there twice; remove"
                                + " one, or give it another place",
                        f + ":23:9: pipeline 'orders': sinks 1 and 4 are both named 'all': name each sink of a"
                                + " pipeline differently",
                        f + ":25:9: pipeline 'orders': unknown field 'optons' in a sink — did you mean 'options'?"
                                + " (fields: name, connector, options, where, columns)",
                        f + ":26:9: sink '2nd' (console): the name '2nd' is not a sink's name: letters, digits and '_',"
                                + " starting with a letter (it names the sink's record of written batches and"
                                + " its metrics)",
                        "6 problems",
                        ""),
                result.all());
    }

    @Test
    void theOutputModeRulesApplyToEachSink() throws Exception {
        Path file = Files.writeString(dir.resolve("totals.yaml"), """
                pipelines:
                  - name: totals
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: localhost:9092
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer STRING, amount DOUBLE
                    transforms:
                      - sql: SELECT customer, sum(amount) AS total FROM input GROUP BY customer
                    sinks:
                      - name: files
                        connector: parquet
                        options: {path: /tmp/totals}
                      - name: shown
                        connector: memory
                        where: total > 100
                    outputMode: complete
                    checkpointLocation: /tmp/checkpoint
                """);
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        // the memory sink takes COMPLETE, its where applied to the whole result; parquet is refused by name
        assertEquals(
                file + ":19:5: sink 'files' (parquet): output mode COMPLETE is not supported (supported: APPEND): files"
                        + " are only ever added; write an aggregation in APPEND with a watermark, or use the memory or"
                        + " console sink\n1 problem\n",
                result.all());
    }

    @Test
    void aSinksRowsColumnsAndOptionsAreCheckedAgainstWhatItGets() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: localhost:9092
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                    transforms:
                      - sql: SELECT id, amount FROM input
                    sinks:
                      - name: big
                        connector: delta
                        options:
                          path: /tmp/big
                        where: amout > 100
                      - name: ids
                        connector: parquet
                        options:
                          path: /tmp/ids
                        columns:
                          - id
                          - idd * 2 AS doubled
                      - name: daily
                        connector: parquet
                        options:
                          path: /tmp/daily
                          partitionBy: day
                        columns: [id]
                """);
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        String f = file.toString();
        assertEquals(
                String.join(
                        "\n",
                        f + ":2:5: pipeline 'orders': missing 'checkpointLocation' on the pipeline: a pipeline with"
                                + " several sinks keeps there how far it got and which sinks wrote each batch, so that a"
                                + " restart writes no sink twice",
                        f + ":17:9: sink 'big' (delta): where 'amout > 100' failed: column 'amout' does not exist — did"
                                + " you mean 'amount'? (columns: id, amount)",
                        f + ":24:13: sink 'ids' (parquet): column 'idd * 2 AS doubled' failed: column 'idd' does not"
                                + " exist — did you mean 'id'? (columns: id, amount)",
                        f + ":27:9: sink 'daily' (parquet): option 'partitionBy' names column 'day', which the query"
                                + " does not have (columns: id)",
                        "4 problems",
                        ""),
                result.all());
    }
}
