package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sluice run} prints on the console, with its own logging, in a JVM of its own: a
 * pipeline that fails at run time is one {@code sluice:} line — no ERROR log line before it, no
 * Java trace — and the trace is in the run's log file.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ConsoleOutputTest {
    @TempDir
    Path dir;

    @Test
    void aFailureAtRunTimeIsOneLineOnTheConsoleAndItsTraceIsInTheLogFile(EmbeddedKafka kafka) throws Exception {
        String topic = kafka.newTopic("console-failure", 1);
        kafka.produceValues(topic, List.of("{\"id\":1}", "{\"id\":2}"));
        Path file =
                Files.writeString(dir.resolve("fails.yaml"), """
                pipelines:
                  - name: fails
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        value.format: json
                        value.schema: id BIGINT
                    transforms:
                      - sql: SELECT id, assert_true(id < 0, 'ids are negative here') AS checked FROM input
                    sink:
                      connector: parquet
                      options:
                        path: %s/out
                    checkpointLocation: %s/checkpoint
                    trigger: availableNow
                """.formatted(kafka.bootstrapServers(), topic, dir, dir));
        Path log = dir.resolve("sluice.log");
        try (JavaProcess run = JavaProcess.start(
                "sluice run",
                dir.resolve("run.out"),
                Map.of(),
                List.of("-Xmx1g", "-Dsluice.log.file=" + log),
                JavaProcess.testClassPath(),
                Main.class.getName(),
                List.of("run", file.toString()))) {
            assertEquals(1, run.awaitExit(Duration.ofMinutes(3)), run.output());
            List<String> lines = run.output().lines().toList();
            List<String> failures = lines.stream()
                    .filter(l -> l.startsWith("sluice: pipeline 'fails' failed:"))
                    .toList();
            assertEquals(1, failures.size(), run.output());
            assertTrue(failures.get(0).contains("ids are negative here"), failures.get(0));
            assertFalse(lines.stream().anyMatch(l -> l.contains(" ERROR ")), run.output());
            assertFalse(run.output().contains("\tat "), run.output());
            assertTrue(Files.readString(log).contains("\tat "), "the trace is in the log file");
        }
    }
}
