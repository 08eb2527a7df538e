package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.examples.tutorial.ConsoleSinkExample;
import io.sluice.examples.tutorial.MemorySinkExample;
import io.sluice.examples.tutorial.ReadFromKafka;
import io.sluice.examples.tutorial.RecentProgressExample;
import io.sluice.examples.tutorial.WindowedCounts;
import io.sluice.examples.tutorial.WriteToParquet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example's main, run as a user would run it (embedded broker, local Spark), with its output checked. */
class ExamplesTest {

    @FunctionalInterface
    interface Main {
        void run() throws Exception;
    }

    private static String output(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            // Spark's show() and printSchema() print through Scala's Console, not System.out
            scala.Console.withOut(capture, () -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
        } finally {
            System.setOut(original);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static void assertContains(String output, String expected) {
        assertTrue(output.contains(expected), "expected «" + expected + "» in:\n" + output);
    }

    private static void assertMatches(String output, String regex) {
        assertTrue(
                Pattern.compile(regex, Pattern.MULTILINE).matcher(output).find(),
                "expected /" + regex + "/ in:\n" + output);
    }

    @Test
    void demoWritesEveryGoodOrderAndDeadLettersTheRest(@TempDir Path work) throws Exception {
        long[] written = new long[1];
        String output = output(() -> written[0] = Demo.run(5_000, work));
        assertEquals(4_995, written[0]);
        assertContains(output, "produced 5,000 orders to topic 'orders-");
        assertMatches(
                output,
                "^\\[orders\\] batch 0: [0-9,]+ records in at [0-9,]+/s, [0-9,]+ behind latest, kafka.decode: deadLettered=\\d+$");
        assertMatches(
                output,
                "^\\[orders\\] batch [4-9]: [0-9,]+ records in at [0-9,]+/s, 0 behind latest, kafka.decode: deadLettered=\\d+$");
        assertContains(output, "  rows written:  4,995 orders in " + work.resolve("orders"));
        assertContains(output, "  bad records:   5 in the dead letter at " + work.resolve("dead-letter"));
        assertMatches(output, "^    partition \\d, offset \\d+: value is (null|not JSON matching value.schema: .+)$");
        assertMatches(output, "^pipeline: 5,000 records in [0-9.]+ s, [0-9,]+ records/s$");
        assertMatches(output, "^done in [0-9.]+ s; nothing left running");
    }

    @Test
    void demoCanSkipBadRecordsInstead(@TempDir Path work) throws Exception {
        long[] written = new long[1];
        String output = output(() -> written[0] = Demo.run(2_000, "skip", "json", work));
        assertEquals(1_998, written[0]);
        assertContains(output, "  bad records:   2 skipped (counted in the progress, not kept)");
    }

    /** ./demo --format avro: the orders in Confluent's wire format, their schema in a real registry. */
    @Test
    void demoReadsAvroThroughARealSchemaRegistry(@TempDir Path work) throws Exception {
        long[] written = new long[1];
        String output = output(() -> written[0] = Demo.run(3_000, "dead_letter", "avro", work));
        assertEquals(2_997, written[0]);
        assertContains(output, "Sluice demo: Kafka -> decode Avro (schema registry) -> parquet");
        assertMatches(
                output,
                "^schema registry: Apicurio Registry at http://127.0.0.1:\\d+/apis/ccompat/v7, the orders' schema is"
                        + " id \\d+ of subject 'orders-\\d+-value'$");
        assertContains(output, "  rows written:  2,997 orders in " + work.resolve("orders"));
        assertContains(output, "  bad records:   3 in the dead letter at " + work.resolve("dead-letter"));
        assertMatches(output, "^    partition \\d, offset \\d+: value is (null|not in Confluent's wire format .+)$");
    }

    @Test
    void readFromKafkaShowsTheFixedColumns() throws Exception {
        String output = output(() -> ReadFromKafka.main(new String[0]));
        assertContains(output, "isStreaming: true");
        assertContains(
                output,
                "root\n |-- key: binary (nullable = true)\n |-- value: binary (nullable = true)\n"
                        + " |-- topic: string (nullable = true)\n |-- partition: integer (nullable = true)\n"
                        + " |-- offset: long (nullable = true)\n |-- timestamp: timestamp (nullable = true)\n"
                        + " |-- timestampType: integer (nullable = true)\n");
        assertContains(output, " |-- order_id: long (nullable = true)\n |-- customer: string (nullable = true)\n");
    }

    @Test
    void writeToParquetReadsBackTheGoodOrders() throws Exception {
        String output = output(() -> WriteToParquet.main(new String[0]));
        assertContains(output, "parquet rows: 196 at ");
    }

    @Test
    void consoleSinkPrintsWholeValues() throws Exception {
        String output = output(() -> ConsoleSinkExample.main(new String[0]));
        assertContains(output, "Batch: 0\n");
        assertMatches(
                output,
                "\\|\\{\"order_id\":100000,\"customer\":\"c-\\d+\",\"status\":\"[A-Z]+\",\"amount\":[0-9.]+,\"items\":\\[.*\\],\"created_at\":\"2026-11-23T09:00:00Z\"\\}\\s*\\|");
        assertContains(output, "stopped: true");
    }

    @Test
    void memorySinkIsQueriedWithSql() throws Exception {
        String output = output(() -> MemorySinkExample.main(new String[0]));
        assertContains(output, "|   status|orders|");
        assertMatches(output, "^\\|CANCELLED\\|\\s+\\d+\\|");
        assertMatches(output, "^\\|     PAID\\|\\s+\\d+\\|");
    }

    @Test
    void recentProgressListsEveryBatch() throws Exception {
        String output = output(() -> RecentProgressExample.main(new String[0]));
        assertMatches(output, "^batch 0: (99|100) rows, counted \\{kafka.decode.skipped=\\d\\}$");
        assertMatches(output, "^batch 2: (99|100) rows, counted \\{kafka.decode.skipped=\\d\\}$");
        assertContains(output, "\"name\" : \"progress\",");
    }

    @Test
    void windowedCountsInUpdateAndCompleteModes() throws Exception {
        String output = output(() -> WindowedCounts.main(new String[0]));
        assertContains(output, "== UPDATE ==");
        assertContains(output, "== COMPLETE ==");
        assertMatches(output, "^\\|2026-11-23 09:00:00\\|PAID\\s*\\|\\d+\\s*\\|$");
        assertMatches(output, "^\\|2026-11-23 09:01:00\\|SHIPPED\\s*\\|\\d+\\s*\\|$");
    }
}
