package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.JavaProcess;
import io.sluice.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once into a database under the worst an operator meets: {@code sluice run} into a
 * real PostgreSQL in a JVM of its own, killed with {@code kill -9} at random moments and started
 * again, and halfway the database itself stopped at once (its connections cut) and started
 * again under the running pipeline. The table has no key, so a row written twice would stay
 * twice: after a drain it holds every record of the topic exactly once.
 *
 * <p>Sized like {@link KillIT}: {@code -Dsluice.kills=N} (default 3), {@code -Dsluice.killRecords=N}
 * (default 20,000), {@code -Dsluice.killSeed=N} replays a run's moments:
 * {@code ./mvnw -pl cli verify -Dit.test=JdbcKillIT -Dkills=10 -DkillRecords=200000}.
 */
class JdbcKillIT {
    private static final int KILLS = Integer.getInteger("sluice.kills", 3);
    private static final int RECORDS = Integer.getInteger("sluice.killRecords", 20_000);
    private static final String PIPELINE = """
            pipelines:
              - name: orders
                source:
                  connector: kafka
                  options:
                    kafka.bootstrap.servers: ${BROKERS}
                    subscribe: orders
                    startingOffsets: earliest
                    maxOffsetsPerTrigger: 1000
                    value.format: json
                    value.schema: id BIGINT, amount DOUBLE
                transforms:
                  - sql: SELECT id, amount FROM input
                sink:
                  connector: jdbc
                  options:
                    url: ${URL}
                    dbtable: orders
                    user: postgres
                    maxRetries: 6
                checkpointLocation: ${WORK}/checkpoint
                trigger: ${TRIGGER}
            """;

    @TempDir
    Path dir;

    @Test
    void killedPipelinesAndARestartedDatabaseWriteEveryRowExactlyOnce() throws Exception {
        long seed = Long.getLong("sluice.killSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("jdbc kill test: seed %d (-Dsluice.killSeed=%d replays its moments)%n", seed, seed);
        long started = System.nanoTime();
        try (LocalPostgres postgres = LocalPostgres.start();
                EmbeddedKafka kafka = EmbeddedKafka.start()) {
            postgres.execute("CREATE TABLE orders (id BIGINT, amount DOUBLE PRECISION)");
            kafka.createTopic("orders", 4);
            kafka.produceValues(
                    "orders",
                    IntStream.range(0, RECORDS)
                            .mapToObj(i -> "{\"id\":" + i + ",\"amount\":" + i + ".5}")
                            .toList());
            Path file = Files.writeString(dir.resolve("orders.yaml"), PIPELINE);
            List<String> run = List.of(
                    "run",
                    file.toString(),
                    "--set",
                    "BROKERS=" + kafka.bootstrapServers(),
                    "--set",
                    "URL=" + postgres.jdbcUrl(),
                    "--set",
                    "WORK=" + dir);
            int databaseRestarts = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                try (JavaProcess sluice = JavaProcess.start(
                        "sluice run " + kill,
                        dir.resolve("run-" + kill + ".log"),
                        Map.of(),
                        List.of("-Xmx1g", "-Dsluice.log.file=" + dir.resolve("sluice-" + kill + ".log")),
                        JavaProcess.testClassPath(),
                        Main.class.getName(),
                        concat(run, List.of("--set", "TRIGGER=1 second")))) {
                    sluice.awaitLine(
                            Pattern.compile("^(\\[orders\\] batch \\d+: |started pipeline 'orders')"),
                            Duration.ofMinutes(4));
                    Thread.sleep(random.nextInt(3_000));
                    if (kill == (KILLS + 1) / 2) { // halfway: the database goes away under the running pipeline
                        postgres.stop();
                        Thread.sleep(1_000 + random.nextInt(3_000));
                        postgres.restart();
                        databaseRestarts++;
                        Thread.sleep(random.nextInt(3_000));
                    }
                    sluice.kill();
                }
            }
            Cli.Result drain = Cli.run(
                    concat(run, List.of("--set", "TRIGGER=availableNow")).toArray(String[]::new));
            assertEquals(0, drain.exit(), drain.all());

            List<String> counts = postgres.query("SELECT count(*), count(DISTINCT id) FROM orders");
            // printed, not asserted: a long run prunes the ledger rows of old batches
            List<String> ledger = postgres.query("SELECT count(*), sum(row_count) FROM sluice_batches");
            System.out.printf(
                    "jdbc kill test: seed %d, %d kills of the pipeline, %d database restart(s); %,d records in the"
                            + " topic; rows, distinct ids: %s; ledger rows, rows recorded: %s; in %d s%n",
                    seed,
                    KILLS,
                    databaseRestarts,
                    RECORDS,
                    counts.get(0),
                    ledger.get(0),
                    (System.nanoTime() - started) / 1_000_000_000);
            assertEquals(List.of(RECORDS + "," + RECORDS), counts, "every record once: rows, distinct ids");
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
