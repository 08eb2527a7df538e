package io.sluice.bench;

import io.sluice.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** P4: from the start of a cold JVM to its first committed batch, through Sluice and by hand. */
final class Startup {
    private static final Pattern COMMITTED = Pattern.compile("^" + StartupProbe.COMMITTED + "(\\d+)");

    private Startup() {}

    static List<Figure> run(Workload workload, Settings settings, String topic) throws Exception {
        Map<String, Rounds.Measured> jobs = new LinkedHashMap<>();
        jobs.put("Sluice", () -> List.of(coldStart(workload, "sluice", topic)));
        jobs.put("by hand", () -> List.of(coldStart(workload, "hand", topic)));
        Map<String, Stats> ms = Rounds.alternateMeasured(settings.rounds(), jobs, "ms");
        return List.of(new Figure(
                "P4",
                "cold JVM start to first committed batch, Sluice",
                "ms",
                ms.get("Sluice"),
                "the same query by hand",
                ms.get("by hand"),
                0));
    }

    private static double coldStart(Workload workload, String side, String topic) throws Exception {
        Path work = workload.fresh("p4-" + side);
        Files.createDirectories(work);
        long started = System.currentTimeMillis();
        try (JavaProcess probe = JavaProcess.start(
                "startup probe (" + side + ")",
                work.resolve("probe.log"),
                Map.of(),
                List.of(
                        "-Xmx1g",
                        "-Duser.timezone=UTC",
                        "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", "")),
                JavaProcess.testClassPath(),
                StartupProbe.class.getName(),
                List.of(side, workload.kafka().bootstrapServers(), topic, work.toString()))) {
            var matcher = COMMITTED.matcher(probe.awaitLine(COMMITTED, Duration.ofMinutes(3)));
            matcher.find();
            return Long.parseLong(matcher.group(1)) - started;
        } finally {
            Workload.delete(work);
        }
    }
}
