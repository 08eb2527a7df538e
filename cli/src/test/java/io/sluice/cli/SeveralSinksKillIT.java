package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.JavaProcess;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once per sink of a pipeline with several, under kill -9: a pipeline in a JVM of its own
 * writes parquet, Delta (some rows, some columns) and JSON from each batch, and dies between the
 * sinks' writes — after parquet wrote a chosen batch and before Delta and JSON did (a sink that
 * halts the JVM there) — and at random moments from outside ({@code kill -9}). After a drain each
 * sink holds every row it gets exactly once: parquet and JSON every record, Delta the big amounts.
 *
 * <p>{@code -DfanOutKills=N} (default 2) random kills, {@code -DfanOutKillRecords=N} (default
 * 6,000) records, {@code -Dsluice.killSeed=N} replays a run's moments:
 * {@code ./mvnw -pl cli verify -Dit.test=SeveralSinksKillIT -DfanOutKills=10 -DfanOutKillRecords=100000}.
 */
class SeveralSinksKillIT {
    private static final int KILLS = Integer.getInteger("sluice.fanOutKills", 2);
    private static final int RECORDS = Integer.getInteger("sluice.fanOutKillRecords", 6_000);
    /** The batches the pipeline dies at between its first sink's write and the next ones' (at most 1,000 records a batch). */
    private static final String HALT_AT = "1,3,5";

    @TempDir
    Path dir;

    @Test
    void killedBetweenAndDuringTheSinksWritesEverySinkHoldsItsRowsExactlyOnce() throws Exception {
        long seed = Long.getLong("sluice.killSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("several sinks kill test: seed %d (-Dsluice.killSeed=%d replays its moments)%n", seed, seed);
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("orders", 2);
            kafka.produceValues(
                    "orders",
                    IntStream.range(0, RECORDS)
                            .mapToObj(i -> "{\"id\":" + i + ",\"amount\":" + (i % 1000) + "}")
                            .toList());
            int halts = 0;
            int runs = 0;
            // random kills from outside, the pipeline running on a short trigger
            for (int kill = 1; kill <= KILLS; kill++) {
                try (JavaProcess sluice = program(kafka, "500", "run-" + (++runs))) {
                    String line = sluice.awaitLine(
                            Pattern.compile("^(started|halting at batch \\d+)$"), Duration.ofMinutes(4));
                    if (line.startsWith("halting")) {
                        halts++;
                        sluice.awaitExit(Duration.ofMinutes(1));
                        continue;
                    }
                    Thread.sleep(1_000 + random.nextInt(4_000));
                    if (sluice.isAlive()) {
                        sluice.kill();
                    } else if (sluice.output().contains("halting at batch")) {
                        halts++;
                    }
                }
            }
            // then runs to the end, each dying at the next chosen batch until none is left
            int exit = -1;
            while (exit != 0 && runs < KILLS + 10) {
                try (JavaProcess sluice = program(kafka, "availableNow", "run-" + (++runs))) {
                    exit = sluice.awaitExit(Duration.ofMinutes(5));
                    if (sluice.output().contains("halting at batch")) {
                        halts++;
                    } else {
                        assertEquals(0, exit, sluice.output());
                    }
                }
            }
            assertEquals(0, exit, "the pipeline ran to its end");

            SparkSession spark = SharedSluice.get().spark();
            Dataset<Row> all = spark.read().parquet(dir.resolve("all").toString());
            Dataset<Row> big =
                    spark.read().format("delta").load(dir.resolve("big").toString());
            Dataset<Row> ids =
                    spark.read().schema("id BIGINT").json(dir.resolve("ids").toString());
            long bigExpected =
                    IntStream.range(0, RECORDS).filter(i -> i % 1000 >= 500).count();
            List<Long> counts = List.of(
                    all.count(),
                    all.select("id").distinct().count(),
                    big.count(),
                    big.select("id").distinct().count(),
                    ids.count(),
                    ids.distinct().count());
            System.out.printf(
                    "several sinks kill test: seed %d, %d records; %d runs, %d kill -9 from outside, %d deaths between"
                            + " the sinks' writes; rows, distinct: all %d/%d, big %d/%d (of %d), ids %d/%d; in %d s%n",
                    seed,
                    RECORDS,
                    runs,
                    KILLS,
                    halts,
                    counts.get(0),
                    counts.get(1),
                    counts.get(2),
                    counts.get(3),
                    bigExpected,
                    counts.get(4),
                    counts.get(5),
                    (System.nanoTime() - started) / 1_000_000_000);
            assertEquals(
                    List.of((long) RECORDS, (long) RECORDS, bigExpected, bigExpected, (long) RECORDS, (long) RECORDS),
                    counts,
                    "each sink's rows exactly once: all, big, ids (rows, distinct)");
            try (var markers = java.nio.file.Files.list(dir.resolve("halts"))) {
                assertEquals(
                        List.of("1", "3", "5"),
                        markers.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the pipeline died between the sinks' writes at each chosen batch");
            }
        }
    }

    private JavaProcess program(EmbeddedKafka kafka, String trigger, String name) throws Exception {
        return JavaProcess.start(
                name,
                dir.resolve(name + ".log"),
                Map.of(),
                List.of("-Xmx1g"),
                JavaProcess.testClassPath(),
                SeveralSinksProgram.class.getName(),
                List.of(kafka.bootstrapServers(), "orders", dir.toString(), trigger, HALT_AT));
    }
}
