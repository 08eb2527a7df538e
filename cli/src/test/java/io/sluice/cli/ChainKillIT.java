package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The example chain (Kafka → bronze → silver with rules and a join → gold totals, on Delta) run
 * continuously by {@code sluice run} in a JVM of its own while orders keep arriving: stopped
 * gracefully once, killed with {@code kill -9} at random moments, then drained with
 * {@code availableNow}. Every layer is then exact: bronze every record once, silver exactly the
 * rows its rules keep, gold the totals of exactly those.
 *
 * <p>{@code -DchainKills=N} (default 2) kills, {@code -DchainKillRecords=N} (default 6,000)
 * records, {@code -Dsluice.killSeed=N} replays a run's moments:
 * {@code ./mvnw -pl cli verify -Dit.test=ChainKillIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -DchainKills=8 -DchainKillRecords=200000}.
 */
class ChainKillIT {
    private static final int KILLS = Integer.getInteger("sluice.chainKills", 2);
    private static final int RECORDS = Integer.getInteger("sluice.chainKillRecords", 6_000);
    private static final int CHUNKS = 12;

    @TempDir
    Path dir;

    @Test
    void killedAndStoppedWhileOrdersArriveEveryLayerIsExact() throws Exception {
        long seed = Long.getLong("sluice.killSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("chain kill test: seed %d (-Dsluice.killSeed=%d replays its moments)%n", seed, seed);
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("orders", 2);
            int chunk = RECORDS / CHUNKS;
            kafka.produce("orders", PipelineGraphTest.orders(0, chunk));
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 1; i < CHUNKS; i++) {
                        Thread.sleep(1_500);
                        int last = i == CHUNKS - 1 ? RECORDS : (i + 1) * chunk;
                        kafka.produce("orders", PipelineGraphTest.orders(i * chunk, last - i * chunk));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            int runs = 0;
            // a graceful stop, then kills at random moments, the chain running on a short trigger
            try (JavaProcess sluice = sluice(kafka, "2 seconds", "run-" + (++runs))) {
                sluice.awaitLine(Pattern.compile("^started pipeline 'gold_countries'.*"), Duration.ofMinutes(4));
                Thread.sleep(2_000 + random.nextInt(3_000));
                sluice.terminate();
                assertEquals(0, sluice.awaitExit(Duration.ofMinutes(2)), sluice.output());
                assertTrue(sluice.output().contains("stopped"), sluice.output());
            }
            for (int kill = 1; kill <= KILLS; kill++) {
                try (JavaProcess sluice = sluice(kafka, "2 seconds", "run-" + (++runs))) {
                    sluice.awaitLine(Pattern.compile("^started pipeline 'bronze_orders'.*"), Duration.ofMinutes(4));
                    Thread.sleep(3_000 + random.nextInt(8_000));
                    assertTrue(sluice.isAlive(), sluice.output());
                    sluice.kill();
                }
            }
            producer.join();
            // then one command drains the chain
            try (JavaProcess sluice = sluice(kafka, "availableNow", "run-" + (++runs))) {
                assertEquals(0, sluice.awaitExit(Duration.ofMinutes(5)), sluice.output());
                assertTrue(sluice.output().contains("all pipelines finished"), sluice.output());
            }

            SparkSession spark = SharedSluice.get().spark();
            Dataset<Row> bronze =
                    spark.read().format("delta").load(dir.resolve("bronze").toString());
            Dataset<Row> silver =
                    spark.read().format("delta").load(dir.resolve("silver").toString());
            long silverExpected =
                    IntStream.range(0, RECORDS).filter(PipelineGraphTest::kept).count();
            List<Long> counts = List.of(
                    bronze.count(),
                    bronze.select("id").distinct().count(),
                    silver.count(),
                    silver.select("id").distinct().count());
            Map<String, String> gold = PipelineGraphTest.gold(dir);
            Map<String, String> goldExpected = PipelineGraphTest.expectedGold(RECORDS);
            System.out.printf(
                    "chain kill test: seed %d, %d records; %d runs (1 graceful stop, %d kill -9, 1 drain); rows,"
                            + " distinct: bronze %d/%d (of %d), silver %d/%d (of %d), gold %s (expected %s); in %d s%n",
                    seed,
                    RECORDS,
                    runs,
                    KILLS,
                    counts.get(0),
                    counts.get(1),
                    RECORDS,
                    counts.get(2),
                    counts.get(3),
                    silverExpected,
                    gold,
                    goldExpected,
                    (System.nanoTime() - started) / 1_000_000_000);
            assertEquals(
                    List.of((long) RECORDS, (long) RECORDS, silverExpected, silverExpected),
                    counts,
                    "bronze and silver rows exactly once (rows, distinct)");
            assertEquals(goldExpected, gold, "gold's totals of exactly silver's rows");
        }
    }

    private JavaProcess sluice(EmbeddedKafka kafka, String trigger, String name) throws Exception {
        return JavaProcess.start(
                name,
                dir.resolve(name + ".log"),
                Map.of(),
                List.of("-Xmx1500m"),
                JavaProcess.testClassPath(),
                Main.class.getName(),
                List.of(
                        "run",
                        PipelineGraphTest.EXAMPLE.toAbsolutePath().normalize().toString(),
                        "--set",
                        "WORK=" + dir,
                        "--set",
                        "TOPIC=orders",
                        "--set",
                        "TRIGGER=" + trigger,
                        "--set",
                        "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
                        "--set",
                        "CUSTOMERS="
                                + Path.of("..", "examples", "pipelines", "data", "customers.jsonl")
                                        .toAbsolutePath()
                                        .normalize()));
    }
}
