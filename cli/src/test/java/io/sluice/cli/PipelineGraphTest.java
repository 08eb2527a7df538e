package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelines of a file as a graph, through the {@code sluice} command on the example chain
 * (bronze → silver → gold on Delta) and a real broker: checked whole before any table exists,
 * cycles and two writers refused with their path, one command backfilling the chain in order
 * with every layer's rows exact, a second run taking only what is new, a failure upstream
 * stopping what reads it, and the graph drawn.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PipelineGraphTest {
    static final Path EXAMPLE = Path.of("..", "examples", "pipelines", "orders-in-layers.yaml");
    private static final String CUSTOMERS =
            "CUSTOMERS=" + Path.of("..", "examples", "pipelines", "data", "customers.jsonl");
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        SharedSluice.get();
    }

    private String[] args(String command, String topic, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                EXAMPLE.toString(),
                "--set",
                "WORK=" + dir,
                "--set",
                "TOPIC=" + topic,
                "--set",
                "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
                "--set",
                CUSTOMERS));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Orders {@code first..}: every 7th with a negative amount, every 5th of an unknown customer, every 11th of none. */
    static List<KafkaRecord> orders(int first, int count) {
        List<KafkaRecord> records = new ArrayList<>();
        for (int id = first; id < first + count; id++) {
            String customer = id % 11 == 0 ? "null" : id % 5 == 0 ? "\"zed\"" : id % 2 == 0 ? "\"ada\"" : "\"bob\"";
            double amount = id % 7 == 0 ? -1 : id;
            records.add(KafkaRecord.of(
                    "k" + id, "{\"id\":" + id + ",\"customer\":" + customer + ",\"amount\":" + amount + "}"));
        }
        return records;
    }

    /** Whether silver keeps order {@code id} (its rules drop a negative amount and a missing customer). */
    static boolean kept(int id) {
        return id % 7 != 0 && id % 11 != 0;
    }

    /** What gold should hold after orders {@code 0..count-1}: per country, orders and total. */
    static Map<String, String> expectedGold(int count) {
        Map<String, long[]> totals = new TreeMap<>();
        for (int id = 0; id < count; id++) {
            if (!kept(id)) {
                continue; // dropped by silver's rules
            }
            String country = id % 5 == 0 ? "unknown" : id % 2 == 0 ? "UK" : "US";
            long[] total = totals.computeIfAbsent(country, c -> new long[2]);
            total[0]++;
            total[1] += id;
        }
        Map<String, String> expected = new TreeMap<>();
        totals.forEach((country, t) -> expected.put(country, t[0] + " " + (double) t[1]));
        return expected;
    }

    private Map<String, String> gold() {
        return gold(dir);
    }

    /** Gold's rows under {@code dir}: per country, orders and total, as {@link #expectedGold} words them. */
    static Map<String, String> gold(Path dir) {
        Map<String, String> gold = new TreeMap<>();
        for (Row row : spark().read()
                .format("delta")
                .load(dir.resolve("gold").toString())
                .collectAsList()) {
            gold.put(
                    row.getString(row.fieldIndex("country")),
                    row.getLong(row.fieldIndex("orders")) + " " + row.getDouble(row.fieldIndex("total")));
        }
        return gold;
    }

    private long rows(String layer) {
        return spark().read()
                .format("delta")
                .load(dir.resolve(layer).toString())
                .count();
    }

    private static SparkSession spark() {
        return SharedSluice.get().spark();
    }

    @Test
    void oneCommandBackfillsTheChainInOrderAndASecondRunTakesOnlyWhatIsNew() throws Exception {
        String topic = kafka.newTopic("layers", 2);
        kafka.produce(topic, orders(0, 300));
        assertTrue(Files.notExists(dir.resolve("bronze")));
        Cli.Result valid = Cli.run(args("validate", topic));
        assertEquals(0, valid.exit(), valid.all());

        Cli.Result run = Cli.run(args("run", topic));
        assertEquals(0, run.exit(), run.all());
        List<String> started =
                run.out().lines().filter(l -> l.startsWith("started pipeline")).toList();
        assertEquals(
                List.of(
                        "started pipeline 'bronze_orders' (kafka -> delta)",
                        "started pipeline 'silver_orders' (delta -> delta), after 'bronze_orders' finished",
                        "started pipeline 'gold_countries' (delta -> delta), after 'silver_orders' finished"),
                started,
                run.out());
        assertTrue(run.out().contains("all pipelines finished"), run.out());
        assertEquals(300, rows("bronze"));
        long kept = java.util.stream.IntStream.range(0, 300)
                .filter(PipelineGraphTest::kept)
                .count();
        assertEquals(kept, rows("silver"), "silver: bronze's rows less those its rules drop");
        assertEquals(expectedGold(300), gold());

        kafka.produce(topic, orders(300, 200));
        Cli.Result again = Cli.run(args("run", topic));
        assertEquals(0, again.exit(), again.all());
        assertEquals(500, rows("bronze"), "each record once");
        assertEquals(
                java.util.stream.IntStream.range(0, 500)
                        .filter(PipelineGraphTest::kept)
                        .count(),
                rows("silver"));
        assertEquals(expectedGold(500), gold(), "gold upserted with only what is new");
    }

    @Test
    void aChainIsCheckedWholeBeforeAnyTableExists() throws Exception {
        String text = Files.readString(EXAMPLE);
        Path misspelt = Files.writeString(
                dir.resolve("layers.yaml"), text.replace("SELECT country, count(*)", "SELECT countyr, count(*)"));
        Cli.Result result = Cli.run("validate", misspelt.toString(), "--set", "WORK=" + dir, "--set", CUSTOMERS);
        assertEquals(1, result.exit(), result.all());
        assertEquals(
                misspelt + ":64:9: pipeline 'gold_countries': transform 1 (sql: SELECT countyr, count(*) AS orders,"
                        + " round(sum(amount), 2)...) failed: column 'countyr' does not exist — did you mean 'country'?"
                        + " (columns: id, customer, country, amount)\n1 problem\n",
                result.out());
        assertTrue(Files.notExists(dir.resolve("bronze")), "nothing was written");

        // silver's table missing: gold is not checked against silver's columns, and says so once
        Cli.Result unknownTable = Cli.run(
                "validate",
                EXAMPLE.toString(),
                "--set",
                "WORK=" + dir,
                "--set",
                "CUSTOMERS=" + dir.resolve("no-such.jsonl"));
        assertEquals(1, unknownTable.exit(), unknownTable.all());
        assertTrue(
                unknownTable
                        .out()
                        .endsWith(":59:5: pipeline 'gold_countries': not checked against what it reads: pipeline"
                                + " 'silver_orders', which writes it, has problems: mend them, then validate again\n"
                                + "2 problems\n"),
                unknownTable.out());

        Cli.Result explained = Cli.run("explain", EXAMPLE.toString(), "--set", "WORK=" + dir, "--set", CUSTOMERS);
        assertEquals(0, explained.exit(), explained.all());
        assertTrue(
                explained
                        .out()
                        .startsWith("graph (each pipeline starts after what it reads; `sluice graph` draws it):\n"
                                + "  bronze_orders (reads kafka) → 'silver_orders'\n"
                                + "  silver_orders (after 'bronze_orders') → 'gold_countries'\n"
                                + "  gold_countries (after 'silver_orders')\n\n"),
                explained.out());
        assertTrue(
                explained
                        .out()
                        .contains("reads what pipeline 'silver_orders' writes (directory '" + dir.resolve("silver")
                                + "'): starts after it, checked against the columns it writes\n"),
                explained.out());
    }

    @Test
    void aCycleAndTwoPipelinesWritingOnePlaceAreRefusedWithTheirPath() throws Exception {
        Path file = Files.writeString(dir.resolve("cycle.yaml"), """
                pipelines:
                  - name: a
                    source:
                      connector: delta
                      options:
                        path: %1$s/c
                    sink:
                      connector: delta
                      options:
                        path: %1$s/a
                    checkpointLocation: %1$s/checkpoints/a
                  - name: b
                    source:
                      connector: delta
                      options:
                        path: %1$s/a
                    sink:
                      connector: delta
                      options:
                        path: %1$s/b
                    checkpointLocation: %1$s/checkpoints/b
                  - name: c
                    source:
                      connector: delta
                      options:
                        path: %1$s/b
                    sink:
                      connector: delta
                      options:
                        path: %1$s/c
                    checkpointLocation: %1$s/checkpoints/c
                  - name: d
                    source:
                      connector: delta
                      options:
                        path: %1$s/elsewhere
                    sink:
                      connector: parquet
                      options:
                        path: %1$s/a
                    checkpointLocation: %1$s/checkpoints/d
                """.formatted(dir));
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        String a = "directory '" + dir.resolve("a") + "'";
        String b = "directory '" + dir.resolve("b") + "'";
        String c = "directory '" + dir.resolve("c") + "'";
        assertTrue(
                result.out()
                        .contains(file + ":5:7: pipeline 'a': it is in a cycle of pipelines, 'a' → 'b' → 'c' → 'a'"
                                + " ('a' writes " + a + ", which 'b' reads; 'b' writes " + b + ", which 'c' reads;"
                                + " 'c' writes " + c + ", which 'a' reads): each would read its own output through"
                                + " the others, without end; break the cycle\n"),
                result.out());
        assertTrue(
                result.out()
                        .contains(file + ":40:9: pipeline 'd': it writes " + a + ", where pipeline 'a' writes too:"
                                + " two pipelines writing one place mix their rows, and neither's checkpoint knows"
                                + " what the other wrote; give each a place of its own\n"),
                result.out());

        Cli.Result drawn = Cli.run("graph", file.toString(), "--format", "text");
        assertEquals(1, drawn.exit(), drawn.all());
        assertTrue(drawn.out().contains("  d (reads delta) → 'b'\n"), drawn.out());
        assertTrue(drawn.err().contains("it is in a cycle of pipelines"), drawn.err());
    }

    @Test
    void aFailureUpstreamStopsWhatReadsItAndSaysTheChain() throws Exception {
        String topic = kafka.newTopic("layers-fail", 1);
        kafka.produce(topic, List.of(KafkaRecord.of("k", "{\"id\":1,\"customer\":\"ada\",\"amount\":5}")));
        Path file = Files.writeString(
                dir.resolve("layers.yaml"),
                Files.readString(EXAMPLE)
                        .replace(
                                "      - sql: SELECT id, customer, amount, timestamp AS received_at FROM input\n",
                                "      - sql: SELECT id, customer, amount, timestamp AS received_at FROM input\n"
                                        + "    expectations:\n"
                                        + "      - name: small\n"
                                        + "        expect: amount < 2\n"
                                        + "        onViolation: fail\n"));
        Cli.Result run = Cli.run(
                "run",
                file.toString(),
                "--set",
                "WORK=" + dir,
                "--set",
                "TOPIC=" + topic,
                "--set",
                "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
                "--set",
                CUSTOMERS);
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.err().startsWith("sluice: pipeline 'bronze_orders' failed: "), run.err());
        assertTrue(
                run.err()
                        .contains("sluice: what reads the output of pipeline 'bronze_orders': 'silver_orders' was not"
                                + " started, 'gold_countries' was not started (bronze_orders → silver_orders →"
                                + " gold_countries)\n"),
                run.err());
        assertTrue(Files.notExists(dir.resolve("silver")), "silver never ran");
    }

    @Test
    void aSinkOfSeveralAndAKafkaTopicConnectPipelinesAndTheReaderGetsThatSinksColumns() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), """
                pipelines:
                  - name: split
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9092
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer STRING, amount DOUBLE
                    sinks:
                      - name: big
                        connector: delta
                        where: amount >= 100
                        columns: [id, amount]
                        options:
                          path: %1$s/big
                      - name: ids
                        connector: kafka
                        columns: ["CAST(id AS STRING) AS value"]
                        options:
                          kafka.bootstrap.servers: 127.0.0.1:9092
                          topic: order-ids
                    checkpointLocation: %1$s/checkpoints/split
                  - name: big_customers
                    source:
                      connector: delta
                      options:
                        path: %1$s/big
                    transforms:
                      - sql: SELECT customer, sum(amount) AS total FROM input GROUP BY customer
                    sink:
                      connector: console
                    outputMode: complete
                  - name: id_echo
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9092
                        subscribe: order-ids
                    sink:
                      connector: console
                """.formatted(dir));
        Cli.Result result = Cli.run("validate", file.toString());
        assertEquals(1, result.exit(), result.all());
        assertEquals(
                file
                        + ":30:9: pipeline 'big_customers': transform 1 (sql: SELECT customer, sum(amount) AS total FROM input"
                        + " GROUP BY...) failed: column 'customer' does not exist (columns: id, amount)\n1 problem\n",
                result.out(),
                "checked against the columns sink 'big' writes, before its table exists");

        Cli.Result drawn = Cli.run("graph", file.toString(), "--format", "text");
        assertEquals(
                "  split (reads kafka) → 'big_customers', 'id_echo'\n"
                        + "  big_customers (after 'split')\n"
                        + "  id_echo (after 'split')\n",
                drawn.out());
    }

    /**
     * What the delta source's page says of a parquet directory a file sink wrote: Spark's file
     * stream reads it through the sink's {@code _spark_metadata} log, so the files of a batch that
     * never committed (a kill between the write and the log) are not read.
     */
    @Test
    void aParquetDirectoryAFileSinkWroteIsReadBackAsAStreamThroughItsLog() throws Exception {
        String topic = kafka.newTopic("read-back", 1);
        kafka.produce(topic, orders(0, 10));
        Path file = Files.writeString(
                dir.resolve("parquet.yaml"), """
                pipelines:
                  - name: to_parquet
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT, customer STRING, amount DOUBLE
                    sink:
                      connector: parquet
                      options:
                        path: %s/orders
                    trigger: availableNow
                    checkpointLocation: %s/checkpoint
                """.formatted(kafka.bootstrapServers(), topic, dir, dir));
        assertEquals(0, Cli.run("run", file.toString()).exit());
        Path written;
        try (var files = Files.list(dir.resolve("orders"))) {
            written = files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow();
        }
        // a batch's file that its log never listed, as a kill between the two leaves it
        Files.copy(written, dir.resolve("orders").resolve("part-00000-uncommitted.c000.snappy.parquet"));

        org.apache.spark.sql.streaming.StreamingQuery query = spark().readStream()
                .schema(spark().read().parquet(dir.resolve("orders").toString()).schema())
                .parquet(dir.resolve("orders").toString())
                .writeStream()
                .format("memory")
                .queryName("read_back")
                .option(
                        "checkpointLocation",
                        dir.resolve("read-back-checkpoint").toString())
                .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        assertEquals(10, spark().table("read_back").count(), "each committed row once, the uncommitted file unread");
        assertEquals(10, spark().table("read_back").select("id").distinct().count());
    }

    @Test
    void theDocsShowTheExampleAndItsGraph() throws Exception {
        assertEquals(
                "",
                io.sluice.testkit.ReadmeTables.checkDocs(
                        "file:examples/pipelines/orders-in-layers.yaml",
                        "```yaml\n" + Files.readString(EXAMPLE) + "```\n"));
        Cli.Result drawn = Cli.run("graph", EXAMPLE.toString(), "--set", "WORK=/lake");
        assertEquals(
                "",
                io.sluice.testkit.ReadmeTables.checkDocs(
                        "graph:orders-in-layers", "```mermaid\n" + drawn.out() + "```\n"));
    }

    @Test
    void theGraphIsDrawnForDocs() {
        Cli.Result drawn = Cli.run("graph", EXAMPLE.toString(), "--set", "WORK=/lake");
        assertEquals(0, drawn.exit(), drawn.all());
        assertEquals("""
                flowchart LR
                  d0[("/lake/bronze")]
                  d1[("/lake/silver")]
                  d2[("/lake/gold")]
                  d3[("kafka topic orders")]
                  p0["bronze_orders"]
                  p1["silver_orders"]
                  p2["gold_countries"]
                  d3 --> p0
                  p0 --> d0
                  d0 --> p1
                  p1 --> d1
                  d1 --> p2
                  p2 --> d2
                """, drawn.out());
    }
}
