package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.plan.ReferenceTable;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.LocalPostgres;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference tables joined with a stream, each as fresh as it says: a parquet table read once
 * and cached (its files deleted under it change nothing), a parquet table read again on a timer
 * (a new file's rows joined after it), a Delta table and a PostgreSQL table read by every batch
 * (a row changed between batches joined as changed) — and every mistake in a file said at its line.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReferenceTablesTest {
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

    private static void orders(String topic, int from, int count, int customer) {
        kafka.produceValues(
                topic,
                IntStream.range(from, from + count)
                        .mapToObj(i -> "{\"id\":" + i + ",\"customer_id\":" + customer + "}")
                        .toList());
    }

    private PipelineBuilder enrich(String name, String topic, ReferenceTable customers) {
        return sluice.pipeline(name)
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic, "value.format", "json", "value.schema", "id BIGINT, customer_id BIGINT"))
                .table(customers)
                .sql("SELECT o.id, c.name FROM input o JOIN customers c ON o.customer_id = c.id")
                .checkpointLocation(dir.resolve("checkpoint-" + name).toString())
                .sink("memory");
    }

    private void parquet(Path path, String values) {
        sluice.spark()
                .sql("SELECT * FROM VALUES " + values + " AS t(id, name)")
                .selectExpr("CAST(id AS BIGINT) AS id", "name")
                .coalesce(1)
                .write()
                .mode("append")
                .parquet(path.toString());
    }

    private static List<String> joined(String table) {
        return SharedSluice.get()
                .spark()
                .sql("SELECT concat(id, ':', name) FROM " + table + " ORDER BY id")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0))
                .toList();
    }

    @Test
    void aTableReadOnceIsCachedAtStartAndItsFilesGoingChangesNothing() throws Exception {
        Path customers = dir.resolve("customers");
        parquet(customers, "(1, 'Ada'), (2, 'Bo')");
        String topic = kafka.newTopic("ref-once", 1);
        orders(topic, 0, 2, 1);
        try (PipelineHandle handle = enrich(
                        "ref_once",
                        topic,
                        new ReferenceTable("customers", "parquet", Map.of("path", customers.toString())))
                .build()
                .start()) {
            handle.processAllAvailable();
            assertEquals(List.of("0:Ada", "1:Ada"), joined("ref_once"));
            io.sluice.engine.util.Directories.deleteRecursively(customers); // read from the cache, or this batch fails
            orders(topic, 2, 1, 2);
            handle.processAllAvailable();
            assertEquals(List.of("0:Ada", "1:Ada", "2:Bo"), joined("ref_once"));
            assertFalse(handle.failure().isPresent());
        }
    }

    @Test
    void aTimedTableIsListedAndReadAgainAndANewFilesRowsAreJoinedAfter() throws Exception {
        Path customers = dir.resolve("customers");
        parquet(customers, "(1, 'Ada')");
        String topic = kafka.newTopic("ref-timed", 1);
        orders(topic, 0, 1, 3);
        try (PipelineHandle handle = enrich(
                        "ref_timed",
                        topic,
                        new ReferenceTable(
                                "customers",
                                "parquet",
                                Map.of("path", customers.toString()),
                                ReferenceTable.Refresh.every(Duration.ofMillis(500))))
                .build()
                .start()) {
            handle.processAllAvailable();
            assertEquals(List.of(), joined("ref_timed"), "customer 3 is not in the table yet");
            parquet(customers, "(3, 'Cy')");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int id = 1;
            while (joined("ref_timed").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                orders(topic, id++, 1, 3);
                handle.processAllAvailable();
            }
            assertFalse(joined("ref_timed").isEmpty(), "a refresh within a minute");
            assertEquals("Cy", joined("ref_timed").get(0).split(":")[1]);
        }
    }

    @Test
    void deltaAndPostgresTablesAreReadByEveryBatch() throws Exception {
        String delta = dir.resolve("customers-delta").toString();
        sluice.spark()
                .sql("SELECT CAST(1 AS BIGINT) AS id, 'Ada' AS name")
                .write()
                .format("delta")
                .save(delta);
        postgres.execute(
                "DROP TABLE IF EXISTS customers",
                "CREATE TABLE customers (id bigint PRIMARY KEY, name text)",
                "INSERT INTO customers VALUES (1, 'Ada')");
        String topic = kafka.newTopic("ref-every", 1);
        orders(topic, 0, 1, 1);
        Map<String, String> jdbc =
                Map.of("url", postgres.jdbcUrl(), "dbtable", "customers", "user", "postgres", "password", "unused");
        try (PipelineHandle fromDelta = enrich(
                                "ref_delta", topic, new ReferenceTable("customers", "delta", Map.of("path", delta)))
                        .build()
                        .start();
                PipelineHandle fromPostgres = enrich(
                                "ref_postgres", topic, new ReferenceTable("customers", "jdbc", jdbc))
                        .build()
                        .start()) {
            fromDelta.processAllAvailable();
            fromPostgres.processAllAvailable();
            assertEquals(List.of("0:Ada"), joined("ref_delta"));
            assertEquals(List.of("0:Ada"), joined("ref_postgres"));

            sluice.spark().sql("UPDATE delta.`" + delta + "` SET name = 'Ada L.' WHERE id = 1");
            postgres.execute("UPDATE customers SET name = 'Ada K.' WHERE id = 1");
            orders(topic, 1, 1, 1);
            fromDelta.processAllAvailable();
            fromPostgres.processAllAvailable();
            assertEquals(List.of("0:Ada", "1:Ada L."), joined("ref_delta"));
            assertEquals(List.of("0:Ada", "1:Ada K."), joined("ref_postgres"));
        }
    }

    @Test
    void everyMistakeInAFilesTablesIsSaidAtItsLine() throws Exception {
        Files.createDirectories(dir.resolve("customers"));
        parquet(dir.resolve("customers"), "(1, 'Ada')");
        Path file = dir.resolve("enrich.yaml");
        Files.writeString(file, """
                pipelines:
                  - name: enrich
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer_id BIGINT
                    tables:
                      - name: customers
                        format: parqet
                        options: {path: %s}
                      - name: regions
                        format: parquet
                        options: {path: %s}
                      - name: input
                        format: parquet
                        options: {path: %s}
                      - name: rates
                        format: csv
                        options: {path: %s}
                        refresh: every batch
                      - name: people
                        format: parquet
                        options: {path: %s}
                        refresh: hourly
                      - name: accounts
                        format: jdbc
                        options: {url: '%s', dbtable: accounts, user: postgres, password: s3cr3t-pw}
                    transforms:
                      - sql: SELECT o.id FROM input o JOIN customers c ON o.customer_id = c.id
                    sink:
                      connector: memory
                    checkpointLocation: %s/1
                  - name: misspelt_table
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer_id BIGINT
                    tables:
                      - name: customers
                        format: parquet
                        options: {path: %s}
                    transforms:
                      - sql: SELECT o.id, c.name FROM input o JOIN customer c ON o.customer_id = c.id
                    sink:
                      connector: memory
                    checkpointLocation: %s/2
                  - name: misspelt_column
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer_id BIGINT
                    tables:
                      - name: customers
                        format: parquet
                        options: {path: %s}
                    transforms:
                      - sql: SELECT o.id, c.nme FROM input o JOIN customers c ON o.customer_id = c.id
                    sink:
                      connector: memory
                    checkpointLocation: %s/3
                """.formatted(
                        kafka.bootstrapServers(),
                        dir.resolve("customers"),
                        dir.resolve("regions"),
                        dir.resolve("customers"),
                        dir.resolve("customers"),
                        dir.resolve("customers"),
                        postgres.jdbcUrl(),
                        dir.resolve("checkpoint"),
                        kafka.bootstrapServers(),
                        dir.resolve("customers"),
                        dir.resolve("checkpoint"),
                        kafka.bootstrapServers(),
                        dir.resolve("customers"),
                        dir.resolve("checkpoint")));
        Cli.Result result = Cli.run("validate", file.toString());
        String f = file.toString();
        assertEquals(
                String.join(
                        "\n",
                        f + ":11:9: pipeline 'enrich': table 'customers': format 'parqet' is not one Spark knows — did"
                                + " you mean 'parquet'? (delta, parquet, csv, json, orc, text, avro, xml, binaryFile, jdbc,"
                                + " or a data source on the classpath)",
                        f + ":14:9: pipeline 'enrich': table 'regions': the path " + dir.resolve("regions")
                                + " does not exist: give the directory or file the table is in",
                        f + ":17:9: pipeline 'enrich': table 'input': 'input' is the name a step reads the one before"
                                + " it by: give the table another name",
                        f + ":20:9: pipeline 'enrich': table 'rates': refresh 'every batch' would not see new files:"
                                + " the files of a 'csv' table are listed when the query starts. Give a duration"
                                + " (refresh: 10 minutes: listed and read again at most that often), or 'once'",
                        f + ":27:18: pipeline 'enrich': 'refresh' is 'hourly', which is not 'every batch', 'once' or a"
                                + " positive duration (e.g. '10 minutes')",
                        f + ":28:9: pipeline 'enrich': table 'accounts': the database refused: ERROR: relation"
                                + " \"accounts\" does not exist",
                        f + ":49:9: pipeline 'misspelt_table': transform 1 (sql: SELECT o.id, c.name FROM input o JOIN"
                                + " customer c ON o.cus...) failed: there is no table 'customer' — did you mean"
                                + " 'customers'? (the step reads: input, customers)",
                        f + ":66:9: pipeline 'misspelt_column': transform 1 (sql: SELECT o.id, c.nme FROM input o JOIN"
                                + " customers c ON o.cus...) failed: column 'c.nme' does not exist — did you mean"
                                + " 'c.name'? (the closest of the tables' columns: c.name, c.id, o.id, o.key, o.offset)",
                        "8 problems",
                        ""),
                result.out(),
                result.all());
        assertEquals(1, result.exit());
        assertFalse(result.all().contains("s3cr3t-pw"), "a table's password is never printed");
    }

    @Test
    void sluiceTestJoinsTheRowsATestGivesForATableAndNeverReadsTheRealOne() throws Exception {
        Files.writeString(dir.resolve("enrich.yaml"), """
                pipelines:
                  - name: enrich
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: 127.0.0.1:9
                        subscribe: orders
                        value.format: json
                        value.schema: id BIGINT, customer_id BIGINT
                    tables:
                      - name: customers
                        format: parquet
                        options: {path: /nowhere/customers}
                    transforms:
                      - sql: SELECT o.id, c.name FROM input o JOIN customers c ON o.customer_id = c.id
                    sink:
                      connector: memory
                """);
        Path tests = dir.resolve("enrich.test.yaml");
        Files.writeString(tests, """
                file: enrich.yaml
                tests:
                  - name: joins each order with its customer
                    tables:
                      customers:
                        - {id: 1, name: Ada}
                        - {id: 2, name: Bo}
                    steps:
                      - batch:
                          - value: {id: 10, customer_id: 2}
                          - value: {id: 11, customer_id: 3}
                        expect:
                          rows:
                            - {id: 10, name: Bo}
                  - name: names a table the pipeline does not have
                    tables:
                      customer:
                        - {id: 1, name: Ada}
                    steps:
                      - batch:
                          - value: {id: 10, customer_id: 1}
                """);
        Cli.Result result = Cli.run("test", tests.toString());
        assertEquals(
                "PASS " + tests + ": joins each order with its customer\n"
                        + "FAIL " + tests + ": names a table the pipeline does not have\n"
                        + "  " + tests + ":16:5: tables: the pipeline has no table 'customer' — did you mean"
                        + " 'customers'? (tables: customers)\n"
                        + "1 passed, 1 failed\n",
                result.out().replaceAll("(?m)^(PASS .*?)\\s+\\(.*\\)$", "$1"),
                result.all());
    }
}
