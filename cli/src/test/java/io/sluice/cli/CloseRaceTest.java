package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGTERM while a program closes its Sluice ({@code Sluice.close()} stopping the pipelines and
 * Spark): the shutdown hook waits for the close and then finds nothing to stop, instead of asking
 * a stopping SparkContext about its queries and printing Spark's trace — in one stop of four it
 * did. The signal is sent as the program says it closes (Spark's stop takes most of a second, so
 * it lands inside the close); each round is a JVM of its own.
 */
class CloseRaceTest {
    private static final int ROUNDS = Integer.getInteger("sluice.closeRaceRounds", 2);

    @TempDir
    Path dir;

    @Test
    void aSigtermDuringCloseWaitsForItAndPrintsNoTrace() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            try (JavaProcess program = JavaProcess.start(
                    "close race " + round,
                    dir.resolve("round-" + round + ".log"),
                    Map.of(),
                    List.of("-Xmx512m"),
                    JavaProcess.testClassPath(),
                    CloseRaceProgram.class.getName(),
                    List.of())) {
                program.awaitLine(Pattern.compile("^closing$"), Duration.ofMinutes(2));
                program.terminate();
                program.awaitExit(Duration.ofMinutes(2));
                String output = program.output();
                assertFalse(
                        output.lines().anyMatch(line -> line.startsWith("\tat ") || line.contains("Exception")),
                        "round " + round + ": no trace, no exception:\n" + output);
                assertFalse(output.contains("stopped with its session during shutdown"), output);
                assertTrue(output.contains("closing"), output);
            }
        }
    }
}
