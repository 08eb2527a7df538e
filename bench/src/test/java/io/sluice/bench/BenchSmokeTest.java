package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark starts and produces its figures, at a size that proves it runs, not how fast.
 * P3 (200 shuffle partitions take seconds a batch whatever the size) and P4 (cold JVMs) are
 * left to {@code ./benchmark} to keep the suite short.
 */
class BenchSmokeTest {
    @TempDir
    Path out;

    @Test
    void everyPartRunsAndTheFiguresAreWrittenAsJson() throws Exception {
        Settings settings = Settings.parse(
                "--records",
                "4000",
                "--rounds",
                "1",
                "--stateful-records",
                "3000",
                "--stateful-batch",
                "1000",
                "--memory-rows",
                "2000",
                "--jdbc-records",
                "2000",
                "--parts",
                "P1,P2,P5,P8,P9,P10,P11,P12",
                "--out",
                out.toString());
        List<Figure> figures = Bench.run(settings);

        assertEquals(
                List.of(
                        "P1", "P1", "P1", "P1", "P1", "P2", "P2", "P5", "P8", "P8", "P9", "P9", "P10", "P10", "P11",
                        "P11", "P12"),
                figures.stream().map(Figure::part).toList());
        figures.forEach(f -> assertTrue(f.ratio() > 0 && Double.isFinite(f.ratio()), f.toString()));
        // timed jobs say how much of the machine each side kept busy: a share of the cores
        for (Figure f : figures.subList(0, 7)) {
            for (Stats cpu :
                    List.of(f.measuredCpu().orElseThrow(), f.baselineCpu().orElseThrow())) {
                assertTrue(cpu.median() > 0 && cpu.median() <= 1.05, f.name() + ": " + cpu);
            }
        }
        JsonNode json =
                new ObjectMapper().readTree(Bench.write(settings, figures).toFile());
        assertEquals(17, json.get("figures").size());
        assertEquals("P5", json.get("figures").get(7).get("part").asText());
        assertTrue(json.get("figures").get(0).get("cpuUse").asDouble() > 0, json.toString());
        assertEquals(19, Bench.table(figures).lines().count(), Bench.table(figures));
    }

    @Test
    void aWrongArgumentIsNamedWithTheUsage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("--record", "5"));
        assertEquals("unknown or incomplete argument '--record' (" + Settings.USAGE + ")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Settings.parse("--rounds", "zero"));
        assertEquals("--rounds must be a positive whole number (it is 'zero'; " + Settings.USAGE + ")", e.getMessage());
    }
}
