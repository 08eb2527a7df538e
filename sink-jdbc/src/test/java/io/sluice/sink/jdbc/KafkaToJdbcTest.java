package io.sluice.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.LocalPostgres;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → PostgreSQL through the pipeline API, on a real broker and a real server, every table
 * read back with SQL: appends across restarts, upserts and deletes of a change stream out of
 * order, UPDATE-mode aggregates, both dialects, a refused row and a database that goes away.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToJdbcTest {
    private static final String SCHEMA = "id BIGINT, customer STRING, amount DOUBLE, version BIGINT, op STRING";
    private static EmbeddedKafka kafka;
    private static Sluice sluice;
    private static LocalPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void tearDown() {
        postgres.close();
    }

    private static List<String> orders(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i ->
                        "{\"id\":" + i + ",\"customer\":\"c" + (i % 4) + "\",\"amount\":" + i + ".5,\"version\":1}")
                .toList();
    }

    private PipelineBuilder fromKafka(String name, String topic, String checkpoint) {
        return sluice.pipeline(name)
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic, "value.format", "json", "value.schema", SCHEMA, "maxOffsetsPerTrigger", "100"))
                .checkpointLocation(dir.resolve(checkpoint).toString())
                .trigger(StreamTrigger.availableNow());
    }

    private static Map<String, String> sink(String table, String... more) {
        Map<String, String> options =
                new HashMap<>(Map.of("url", postgres.jdbcUrl(), "dbtable", table, "user", "postgres"));
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        return options;
    }

    @Test
    void appendWritesEveryRecordOnceAcrossRunsWithTheTablesTypes() throws Exception {
        postgres.execute("CREATE TABLE append_orders (id BIGINT, customer VARCHAR(10), amount NUMERIC(10,2),"
                + " seen TIMESTAMPTZ, day DATE, note JSONB)");
        String topic = kafka.newTopic("jdbc-append", 2);
        kafka.produceValues(topic, orders(0, 500));
        String sql = "SELECT id, customer, CAST(amount AS DECIMAL(10,2)) AS amount, timestamp AS seen,"
                + " CAST(timestamp AS DATE) AS day, to_json(named_struct('customer', customer)) AS note FROM input";
        Pipelines.runToEnd(fromKafka("append_orders", topic, "append").sql(sql).sink("jdbc", sink("append_orders")));
        kafka.produceValues(topic, orders(500, 120));
        Pipelines.runToEnd(fromKafka("append_orders", topic, "append").sql(sql).sink("jdbc", sink("append_orders")));
        assertEquals(
                List.of("620,620,1"),
                postgres.query(
                        "SELECT count(*), count(DISTINCT id), count(DISTINCT seen::date - day) FROM append_orders"));
        assertEquals(
                List.of("7,c3,7.50,c3"),
                postgres.query("SELECT id, customer, amount, note->>'customer' FROM append_orders WHERE id = 7"));
    }

    /** Keyed by id, so a key keeps to one partition: versions 1..3 of each id, some out of order, some deleted. */
    private static List<KafkaRecord> changes() {
        List<KafkaRecord> events = new ArrayList<>();
        for (int id = 0; id < 30; id++) {
            events.add(change(id, "first", 1, "upsert"));
            events.add(change(id, "third", 3, id % 5 == 0 ? "delete" : "upsert"));
            events.add(change(id, "second", 2, "upsert")); // late: older than the table's row, changes nothing
        }
        return events;
    }

    private static KafkaRecord change(int id, String customer, long version, String op) {
        return KafkaRecord.of(
                String.valueOf(id),
                "{\"id\":" + id + ",\"customer\":\"" + customer + "\",\"amount\":" + version + ".0,\"version\":"
                        + version + ",\"op\":\"" + op + "\"}");
    }

    @Test
    void upsertAppliesAChangeStreamByKeyAndSequenceWithDeletesInBothDialects() throws Exception {
        for (String dialect : List.of("postgresql", "merge")) {
            String table = "customers_" + dialect;
            postgres.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, customer TEXT, amount DOUBLE"
                    + " PRECISION, version BIGINT, note TEXT DEFAULT 'kept')");
            String topic = kafka.newTopic("jdbc-changes-" + dialect, 3);
            kafka.produce(topic, changes());
            Pipelines.runToEnd(fromKafka(table, topic, table)
                    .sql("SELECT id, customer, amount, version, op = 'delete' AS deleted FROM input")
                    .sink(
                            "jdbc",
                            sink(
                                    table,
                                    "mergeKeys",
                                    "id",
                                    "sequenceBy",
                                    "version",
                                    "deleteColumn",
                                    "deleted",
                                    "dialect",
                                    dialect,
                                    "batchsize",
                                    "7")));
            assertEquals(
                    List.of("24,third,3,kept"),
                    postgres.query("SELECT count(*), min(customer), max(version), min(note) FROM " + table),
                    dialect + ": every kept key at its newest version; the late version 2 changed nothing");
            assertEquals(
                    List.of(),
                    postgres.query("SELECT id FROM " + table + " WHERE id % 5 = 0"),
                    dialect + ": deleted keys stay deleted");
        }
    }

    @Test
    void updateModeAggregatesAreUpsertedAcrossRuns() throws Exception {
        postgres.execute("CREATE TABLE customer_totals (customer TEXT PRIMARY KEY, orders BIGINT NOT NULL)");
        String topic = kafka.newTopic("jdbc-totals", 2);
        kafka.produceValues(topic, orders(0, 200));
        PipelineBuilder totals = fromKafka("totals", topic, "totals")
                .sql("SELECT customer, count(*) AS orders FROM input GROUP BY customer")
                .sink("jdbc", sink("customer_totals", "mergeKeys", "customer"))
                .outputMode(OutputMode.UPDATE);
        Pipelines.runToEnd(totals);
        kafka.produceValues(topic, orders(200, 40));
        Pipelines.runToEnd(fromKafka("totals", topic, "totals")
                .sql("SELECT customer, count(*) AS orders FROM input GROUP BY customer")
                .sink("jdbc", sink("customer_totals", "mergeKeys", "customer"))
                .outputMode(OutputMode.UPDATE));
        assertEquals(
                List.of("c0,60", "c1,60", "c2,60", "c3,60"),
                postgres.query("SELECT customer, orders FROM customer_totals ORDER BY customer"));
    }

    @Test
    void aRefusedRowFailsTheBatchNamingTheTableTheConstraintAndTheKeyAndCommitsNothingOfIt() throws Exception {
        postgres.execute("CREATE TABLE checked_orders (id BIGINT PRIMARY KEY, amount DOUBLE PRECISION"
                + " CONSTRAINT amount_below_100 CHECK (amount < 100))");
        String topic = kafka.newTopic("jdbc-refused", 1);
        kafka.produceValues(topic, orders(95, 10)); // id 100 has amount 100.5
        StreamingQueryException failure = Pipelines.runToFailure(fromKafka("checked", topic, "checked")
                .sql("SELECT id, amount FROM input")
                .sink("jdbc", sink("checked_orders", "mergeKeys", "id", "batchsize", "3")));
        assertEquals(
                "pipeline 'checked' failed: query 'checked', batch 0: table 'checked_orders' refused"
                        + " the row with id=100: new row for relation \"checked_orders\" violates check constraint"
                        + " \"amount_below_100\" — fix the rows in the query or the table's constraint; the batch is"
                        + " written again, whole, when the pipeline starts again",
                failure.getMessage());
        assertEquals(
                List.of("0"),
                postgres.query("SELECT count(*) FROM checked_orders"),
                "the partition's rows rolled back");
    }

    /** A pipeline that keeps running (a trigger every 200 ms), writing ids and amounts into {@code sink}. */
    private PipelineHandle running(String name, String topic, Map<String, String> sink) {
        return sluice.pipeline(name)
                .source("kafka", kafka.readFromStart(topic, "value.format", "json", "value.schema", SCHEMA))
                .sql("SELECT id, amount FROM input")
                .sink("jdbc", sink)
                .checkpointLocation(dir.resolve(name).toString())
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200)))
                .build()
                .start();
    }

    @Test
    void aDatabaseThatGoesAwayIsWaitedForAndNothingIsWrittenTwice() throws Exception {
        postgres.execute("CREATE TABLE outage_orders (id BIGINT, amount DOUBLE PRECISION)");
        String topic = kafka.newTopic("jdbc-outage", 2);
        kafka.produceValues(topic, orders(0, 100));
        PipelineHandle handle = running("outage", topic, sink("outage_orders", "maxRetries", "5"));
        try {
            handle.processAllAvailable();
            assertEquals(List.of("100"), postgres.query("SELECT count(*) FROM outage_orders"));
            postgres.stop();
            kafka.produceValues(topic, orders(100, 100));
            Thread.sleep(2500); // the next batch fails to connect and waits 1 s, 2 s, ...
            postgres.restart();
            handle.processAllAvailable();
            assertTrue(handle.isActive(), "the batch was tried again, not failed");
        } finally {
            handle.stop();
        }
        assertEquals(List.of("200,200"), postgres.query("SELECT count(*), count(DISTINCT id) FROM outage_orders"));
    }

    @Test
    void aDatabaseThatStaysAwayFailsTheBatchInWordsAfterTheRetries() throws Exception {
        postgres.execute("CREATE TABLE gone_orders (id BIGINT, amount DOUBLE PRECISION)");
        String topic = kafka.newTopic("jdbc-gone", 1);
        kafka.produceValues(topic, orders(0, 10));
        PipelineHandle handle = running("gone", topic, sink("gone_orders", "maxRetries", "1", "password", "s3cr3t-pw"));
        String message;
        try {
            handle.processAllAvailable();
            postgres.stop();
            kafka.produceValues(topic, orders(10, 10));
            handle.awaitTermination(Pipelines.TIMEOUT);
            message = handle.failureMessage().orElseThrow();
        } catch (StreamingQueryException e) {
            message = e.getMessage();
        } finally {
            handle.stop();
            postgres.restart();
        }
        assertEquals(
                "pipeline 'gone' failed: query 'gone', batch 1: cannot connect to the database at "
                        + postgres.jdbcUrl() + " as user 'postgres': Connection to 127.0.0.1:" + postgres.port()
                        + " refused. Check that the hostname and port are correct and that the postmaster is accepting"
                        + " TCP/IP connections. (tried 2 times) — once the database answers, then start the pipeline"
                        + " again: it resumes from its checkpoint",
                message);
        assertFalse(message.contains("s3cr3t-pw"));
        assertEquals(List.of("10"), postgres.query("SELECT count(*) FROM gone_orders"));
    }

    /** Every problem a pipeline has before start — its own and the database's — as the user reads them. */
    private List<String> problems(String sql, Map<String, String> sink) {
        return problems(sql, sink, OutputMode.APPEND);
    }

    private List<String> problems(String sql, Map<String, String> sink, OutputMode mode) {
        var pipeline = fromKafka("checks", "checks", "checks")
                .sql(sql)
                .sink("jdbc", sink)
                .outputMode(mode)
                .build();
        var plan = pipeline.validate();
        return Stream.concat(
                        plan.problems().stream(), plan.isReady() ? pipeline.preflight(plan).stream() : Stream.empty())
                .map(Object::toString)
                .toList();
    }

    @Test
    void theDatabaseIsAskedBeforeStartAndEveryMismatchIsSaidInWords() throws Exception {
        kafka.createTopic("checks", 1);
        postgres.execute(
                "CREATE SCHEMA shop",
                "SET search_path TO shop",
                "CREATE TABLE shop_orders (id BIGINT PRIMARY KEY, customer VARCHAR(20), amount NUMERIC(6,2),"
                        + " placed DATE, created TIMESTAMPTZ NOT NULL, code INTEGER)",
                "CREATE TABLE shop_customers (id BIGINT, name TEXT)",
                "SET search_path TO public");
        String sql = "SELECT id, customer, CAST(amount AS STRING) AS amount, version, timestamp AS placed FROM input";
        assertEquals(
                List.of("sink 'jdbc': option 'dbtable' names table 'shop.shop_ordres', which the database at "
                        + postgres.jdbcUrl() + " as user 'postgres' does not have (tables: shop_customers, shop_orders)"
                        + " — did you mean 'shop_orders'?"),
                problems(sql, sink("shop.shop_ordres")));
        assertEquals(
                List.of(
                        "sink 'jdbc': column 'amount' is string in the rows but numeric(6,2) in table 'shop_orders':"
                                + " cast it in the query (CAST(amount AS DECIMAL(6,2))), or change the column's type",
                        "sink 'jdbc': column 'version' of the rows is not in table 'shop_orders' (columns: id, customer,"
                                + " amount, placed, created, code): rename it in the query, or add it to the table",
                        "sink 'jdbc': column 'placed' is timestamp in the rows but date in table 'shop_orders': a date"
                                + " would drop the time of day — cast it in the query if that is meant (CAST(placed AS"
                                + " DATE))",
                        "sink 'jdbc': column 'created' of table 'shop_orders' is NOT NULL without a default, and the rows"
                                + " do not have it: add it to the query (SELECT ..., <value> AS created)"),
                problems(sql, sink("shop.shop_orders")));
        assertEquals(
                List.of("sink 'jdbc': column 'cod' of the rows is not in table 'shop_orders' (columns: id, customer,"
                        + " amount, placed, created, code) — did you mean 'code'?: rename it in the query, or add it to"
                        + " the table"),
                problems(
                        "SELECT id, timestamp AS created, CAST(id AS INT) AS cod FROM input",
                        sink("shop.shop_orders")));
        assertEquals(
                List.of("sink 'jdbc': column 'code' is bigint in the rows but int4 in table 'shop_orders': cast it in"
                        + " the query (CAST(code AS INT)), or change the column's type"),
                problems("SELECT id, timestamp AS created, id AS code FROM input", sink("shop.shop_orders")));
        assertEquals(
                List.of("sink 'jdbc': option 'mergeKeys' [name] is neither the primary key nor a unique index of table"
                        + " 'shop_customers' (primary key: none; unique indexes: none), and an upsert finds a row by one:"
                        + " set mergeKeys to one of them, or add it (ALTER TABLE shop_customers ADD UNIQUE (name))"),
                problems("SELECT id, customer AS name FROM input", sink("shop.shop_customers", "mergeKeys", "name")));
        assertEquals(
                List.of(),
                problems("SELECT id, timestamp AS created FROM input", sink("shop.SHOP_ORDERS")),
                "an unquoted name is found as the database folds it");
        int closed = EmbeddedKafka.freePort();
        assertEquals(
                List.of("sink 'jdbc': cannot connect to the database at jdbc:postgresql://127.0.0.1:" + closed
                        + "/postgres as user 'app': Connection to 127.0.0.1:" + closed + " refused. Check that the"
                        + " hostname and port are correct and that the postmaster is accepting TCP/IP connections."),
                problems(
                        "SELECT id, timestamp AS created FROM input",
                        Map.of(
                                "url", "jdbc:postgresql://127.0.0.1:" + closed + "/postgres",
                                "dbtable", "shop.shop_orders",
                                "user", "app",
                                "password", "hunter22")));
        String counts = "SELECT customer, count(*) AS orders FROM input GROUP BY customer";
        assertEquals(
                List.of("sink 'jdbc': output mode COMPLETE is not supported (supported: APPEND, UPDATE): the jdbc sink"
                        + " does not replace a table every batch: use outputMode update with 'mergeKeys', and each batch"
                        + " upserts the rows that changed"),
                problems(counts, sink("shop.shop_customers"), OutputMode.COMPLETE));
        assertEquals(
                List.of("sink 'jdbc': output mode UPDATE rewrites rows, which an append cannot: set 'mergeKeys' to"
                        + " upsert each batch by key"),
                problems(counts, sink("shop.shop_customers"), OutputMode.UPDATE));
        postgres.execute("CREATE TABLE not_a_ledger (id BIGINT)");
        assertEquals(
                List.of(
                        "sink 'jdbc': option 'ledgerTable' names table 'not_a_ledger', which exists without the ledger's"
                                + " columns target_table, query_id, batch_id, partition_id, row_count, written_at: name another"
                                + " table (the sink creates it: " + Ledger.createStatement("not_a_ledger") + ")"),
                problems(
                        "SELECT id, timestamp AS created FROM input",
                        sink("shop.shop_orders", "ledgerTable", "not_a_ledger")));
    }
}
