package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.text.RowTable;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice preview} against a real broker: the latest records of each partition through the
 * source's decoding and every transform, bad records shown with their reasons — and nothing
 * written (no dead letter, no sink output, no checkpoint) and no offset committed.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PreviewCommandTest {
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        SharedSluice.get(); // the command adopts the shared session
    }

    private Path file(String topic) throws Exception {
        return Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: orders
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        commitOffsetsTo: preview-group
                        value.format: json
                        value.schema: id BIGINT, amount DOUBLE
                        badRecords: dead_letter
                        deadLetter.path: %s/dead-letter
                    transforms:
                      - sql: SELECT id, amount * 2 AS doubled, CAST(key AS STRING) AS customer FROM input
                      - sql: SELECT customer, count(*) AS orders, sum(doubled) AS total FROM input GROUP BY customer
                    sink:
                      connector: console
                    checkpointLocation: %s/checkpoint
                    outputMode: update
                """.formatted(kafka.bootstrapServers(), topic, dir, dir));
    }

    /**
     * One time for every record, so that the output is known: now (the broker's retention would
     * delete records older than a week) with milliseconds that show.
     */
    private static final long TIME = System.currentTimeMillis() / 1000 * 1000 + 123;

    private static List<KafkaRecord> timed(KafkaRecord... records) {
        return java.util.Arrays.stream(records).map(r -> r.withTimestamp(TIME)).toList();
    }

    @Test
    void showsTheLatestRecordsOfEachPartitionThroughEveryStepAndWritesNothing() throws Exception {
        String topic = kafka.newTopic("preview", 2);
        kafka.produce(
                topic,
                timed(
                        KafkaRecord.of("alice", "{\"id\":1,\"amount\":1.0}").toPartition(0),
                        KafkaRecord.of("alice", "{\"id\":2,\"amount\":2.5}").toPartition(0),
                        KafkaRecord.of("bob", "{\"id\":\"three\",\"amount\":3.0}")
                                .toPartition(0),
                        KafkaRecord.of("bob", "{\"id\":4,\"amount\":4.0}").toPartition(1),
                        KafkaRecord.of("carol", "not json").toPartition(1),
                        KafkaRecord.of("carol", "{\"id\":6,\"amount\":6.0}").toPartition(1)));
        Path file = file(topic);

        Cli.Result result = Cli.run("preview", file.toString(), "--limit", "2", "--rows", "3");

        assertEquals(0, result.exit(), result.all());
        assertEquals("", result.err());
        assertEquals(
                """
                pipeline 'orders': a preview on the latest 2 records of each of 2 partitions of '%1$s' (nothing is written, no offset committed)

                2 records did not decode (in a run, the source's options say what becomes of them):
                  %1$s-0 offset 2: value is not JSON matching value.schema: field 'id' is "three", not a BIGINT
                  %1$s-1 offset 1: value is not JSON matching value.schema: not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (column 1)

                source 'kafka': 2 rows
                root
                 |-- id: long (nullable = true)
                 |-- amount: double (nullable = true)
                 |-- key: binary (nullable = true)
                 |-- topic: string (nullable = true)
                 |-- partition: integer (nullable = true)
                 |-- offset: long (nullable = true)
                 |-- timestamp: timestamp (nullable = true)
                 |-- timestampType: integer (nullable = true)
                +--+------+-----+%2$s+---------+------+-----------------------+-------------+
                |id|amount|key  |topic%3$s|partition|offset|timestamp              |timestampType|
                +--+------+-----+%2$s+---------+------+-----------------------+-------------+
                |2 |2.5   |alice|%1$s|0        |1     |%4$s|0            |
                |6 |6.0   |carol|%1$s|1        |2     |%4$s|0            |
                +--+------+-----+%2$s+---------+------+-----------------------+-------------+

                transform 1 (sql: SELECT id, amount * 2 AS doubled, CAST(key AS STRING) AS ...): 2 rows
                root
                 |-- id: long (nullable = true)
                 |-- doubled: double (nullable = true)
                 |-- customer: string (nullable = true)
                +--+-------+--------+
                |id|doubled|customer|
                +--+-------+--------+
                |2 |5.0    |alice   |
                |6 |12.0   |carol   |
                +--+-------+--------+

                transform 2 (sql: SELECT customer, count(*) AS orders, sum(doubled) AS tota...): 2 rows — what sink 'console' would get from this sample in one batch (outputMode update)
                root
                 |-- customer: string (nullable = true)
                 |-- orders: long (nullable = false)
                 |-- total: double (nullable = true)
                +--------+------+-----+
                |customer|orders|total|
                +--------+------+-----+
                |alice   |1     |5.0  |
                |carol   |1     |12.0 |
                +--------+------+-----+
                """.formatted(
                                topic,
                                "-".repeat(topic.length()),
                                " ".repeat(topic.length() - 5),
                                RowTable.value(new java.sql.Timestamp(TIME))),
                result.out());

        // nothing written, nothing kept, nothing committed
        for (String written : List.of("dead-letter", "checkpoint")) {
            assertFalse(Files.exists(dir.resolve(written)), written);
        }
        assertTrue(
                kafka.admin()
                        .listConsumerGroupOffsets("preview-group")
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .isEmpty(),
                "no offsets committed");
    }

    @Test
    void decodesRecordsFromAFileInsteadOfTheBroker() throws Exception {
        Path file = file("nowhere-yet");
        Path records = Files.writeString(
                dir.resolve("records.txt"),
                "dave|{\"id\":7,\"amount\":1.5}\n\nerin|{\"id\":8}\n|{\"id\":9,\"amount\":2}\n");

        Cli.Result result = Cli.run(
                "preview", file.toString(), "--from", records.toString(), "--key-separator", "|", "--rows", "1");

        assertEquals(0, result.exit(), result.all());
        String out = result.out();
        assertTrue(
                out.startsWith("pipeline 'orders': a preview on 3 records given, as partition 0 of 'nowhere-yet'"
                        + " (nothing is written, no offset committed)\n\nsource 'kafka': 3 rows\n"),
                out);
        assertTrue(out.contains("|7 |1.5   |dave|nowhere-yet|0        |0     |"), out);
        // each step: 3 rows, the first shown (the order of an aggregation's rows is Spark's)
        assertEquals(3, out.split("\\(the first 1 of 3\\)\n", -1).length - 1, out);
        assertTrue(
                out.contains("transform 2 (sql: SELECT customer, count(*) AS orders, sum(doubled) AS tota...): 3 rows"),
                out);
        assertTrue(out.contains("|customer|orders|total|\n"), out);
    }

    @Test
    void aReferenceTableIsStoodInForByRowsGivenWithTable() throws Exception {
        Path file = Files.writeString(dir.resolve("joined.yaml"), """
                pipelines:
                  - name: enriched
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: nowhere-yet
                        value.format: json
                        value.schema: id BIGINT, customer_id BIGINT
                    tables:
                      - name: customers
                        format: parquet
                        options:
                          path: %s/no-such-table
                    transforms:
                      - sql: SELECT o.id, c.name FROM input o JOIN customers c ON o.customer_id = c.id
                    sink:
                      connector: console
                """.formatted(kafka.bootstrapServers(), dir));
        Path records = Files.writeString(
                dir.resolve("records.txt"), "{\"id\":1,\"customer_id\":7}\n{\"id\":2,\"customer_id\":8}\n");
        Path customers = Files.writeString(dir.resolve("customers.jsonl"), "{\"id\":7,\"name\":\"Ada\"}\n");

        Cli.Result result =
                Cli.run("preview", file.toString(), "--from", records.toString(), "--table", "customers=" + customers);

        assertEquals(0, result.exit(), result.all());
        assertTrue(
                result.out().contains("transform 1 (sql: SELECT o.id, c.name FROM input o JOIN customers c ON"),
                result.out());
        assertTrue(result.out().contains("|1 |Ada |"), result.out());
        assertTrue(
                result.out().contains("o.cu...): 1 row — what sink 'console' would get"),
                "order 2's customer is not among the rows given: " + result.out());

        Cli.Result misspelt =
                Cli.run("preview", file.toString(), "--from", records.toString(), "--table", "customer=" + customers);
        assertEquals(2, misspelt.exit(), misspelt.all());
        assertEquals(
                "sluice preview: --table: the file has no table 'customer' — did you mean 'customers'? (tables:"
                        + " customers)\n",
                misspelt.err());
    }

    @Test
    void showsWhichRowsBreakWhichRuleAndWhatTheRulesKeep() throws Exception {
        Path file = Files.writeString(
                dir.resolve("rules.yaml"),
                Files.readString(file("rules-topic")).replace("    sink:\n", """
                                    expectations:
                                      - name: amount_known
                                        expect: amount IS NOT NULL
                                        onViolation: drop
                                        stage: input
                                      - name: small_total
                                        expect: total < 3.5
                                """ + "    sink:\n"));
        Path records = Files.writeString(
                dir.resolve("records.txt"),
                "dave|{\"id\":7,\"amount\":1.5}\nerin|{\"id\":8}\nfay|{\"id\":9,\"amount\":2}\n");

        Cli.Result result = Cli.run("preview", file.toString(), "--from", records.toString(), "--key-separator", "|");

        assertEquals(0, result.exit(), result.all());
        String out = result.out();
        assertTrue(out.contains("expectations on the input (amount_known): the rows that break one: 1 row\n"), out);
        assertTrue(out.contains("|8 |NULL  |erin|"), out);
        assertTrue(out.contains("|[amount_known]|"), out);
        assertTrue(out.contains("the rows the expectations on the input keep: 2 rows\n"), out);
        assertTrue(out.contains("expectations on the output (small_total): the rows that break one: 1 row\n"), out);
        assertTrue(out.contains("|fay     |1     |4.0  |[small_total]|"), out);
        assertTrue(
                out.contains("the rows the expectations on the output keep: 2 rows — what sink 'console' would get"),
                out);
    }

    @Test
    void mistakesAreSaidBeforeAnythingIsRead() throws Exception {
        Path file = file("t");
        assertEquals(
                new Cli.Result(2, "", "sluice preview: --limit is 0: read at least 1 record of each partition\n"),
                Cli.run("preview", file.toString(), "--limit", "0"));
        assertEquals(
                new Cli.Result(
                        2, "", "sluice preview: --key-separator splits the lines of --from RECORDS: give --from too\n"),
                Cli.run("preview", file.toString(), "--key-separator", "|"));
        assertEquals(
                new Cli.Result(
                        2,
                        "",
                        "sluice preview: --from: " + dir.resolve("none.txt") + " cannot be read: "
                                + dir.resolve("none.txt") + "\n"),
                Cli.run(
                        "preview",
                        file.toString(),
                        "--from",
                        dir.resolve("none.txt").toString()));
        assertEquals(
                new Cli.Result(
                        2,
                        "",
                        "sluice preview: --pipeline: " + file + " has no pipeline 'order' — did you mean 'orders'? (it"
                                + " has: orders)\n"),
                Cli.run("preview", file.toString(), "--pipeline", "order"));

        Path two = Files.writeString(
                dir.resolve("two.yaml"),
                Files.readString(file)
                        + Files.readString(file)
                                .substring(Files.readString(file).indexOf("  - name: orders"))
                                .replace("name: orders", "name: refunds")
                                .replace("/checkpoint", "/checkpoint-2")
                                .replace("/dead-letter", "/dead-letter-2"));
        assertEquals(
                new Cli.Result(
                        2,
                        "",
                        "sluice preview: " + two
                                + " has 2 pipelines (orders, refunds): choose one with --pipeline NAME\n"),
                Cli.run("preview", two.toString()));

        Path typo = Files.writeString(
                dir.resolve("typo.yaml"), Files.readString(file).replace("subscribe:", "subscrbe:"));
        Cli.Result problems = Cli.run("preview", typo.toString());
        assertEquals(1, problems.exit(), problems.all());
        assertTrue(
                problems.err()
                        .startsWith(typo + ":7:9: source 'kafka': unknown option 'subscrbe' — did you mean"
                                + " 'subscribe'?"),
                problems.err());
        assertTrue(
                problems.err()
                        .endsWith("\n1 problem: nothing previewed (sluice validate " + typo + " shows the same)\n"),
                problems.err());
    }

    /** Preview writes nothing, yet a sink the pipeline could not run with is refused, as validate refuses it. */
    @Test
    void aWrongSinkOptionIsRefusedThoughNothingIsWritten() throws Exception {
        Path file = Files.writeString(
                dir.resolve("sink-typo.yaml"),
                Files.readString(file("t"))
                        .replace("connector: console", "connector: console\n      options:\n        numRow: 5"));
        Cli.Result problems = Cli.run("preview", file.toString());
        assertEquals(
                new Cli.Result(
                        1,
                        "",
                        file + ":20:9: sink 'console': unknown option 'numRow' — did you mean 'numRows'? (options:"
                                + " checkpointLocation, numRows, queryName, truncate)\n1 problem: nothing previewed"
                                + " (sluice validate " + file + " shows the same)\n"),
                problems);
        Path parquet = Files.writeString(
                dir.resolve("sink-column.yaml"),
                Files.readString(file("t"))
                        .replace(
                                "connector: console",
                                "connector: parquet\n      options:\n        path: " + dir.resolve("out")
                                        + "\n        partitionBy: custmer")
                        .replace("outputMode: update", "outputMode: append")
                        .replace(
                                "      - sql: SELECT customer, count(*) AS orders, sum(doubled) AS total FROM input GROUP BY"
                                        + " customer\n",
                                ""));
        Cli.Result column = Cli.run("preview", parquet.toString());
        assertEquals(1, column.exit(), column.all());
        assertTrue(
                column.err()
                        .contains("sink 'parquet': option 'partitionBy' names column 'custmer', which the query"
                                + " does not have"),
                column.err());
    }

    @Test
    void aBrokerThatDoesNotAnswerIsSaidInWords() throws Exception {
        String nobody = "127.0.0.1:" + EmbeddedKafka.freePort();
        Path file = Files.writeString(
                dir.resolve("nobody.yaml"), Files.readString(file("t")).replace(kafka.bootstrapServers(), nobody));
        Cli.Result result = Cli.run("preview", file.toString());
        assertEquals(1, result.exit(), result.all());
        assertEquals("", result.out());
        assertTrue(
                result.err()
                        .startsWith("sluice preview: pipeline 'orders': cannot read a sample from " + nobody + ": "),
                result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }
}
