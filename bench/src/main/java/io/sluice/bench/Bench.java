package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.engine.Sluice;
import io.sluice.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice against the same jobs written by hand in Spark, every figure a ratio to a baseline
 * measured in the same run: P1 overhead per bad-record policy, P2 the batch and consumer
 * ceilings, P3 a stateful query, P4 start-up, P5 the memory sink's retained heap, P6 JSON decoding alone, P7 Avro from a registry, P8 appends and
 * upserts into PostgreSQL, P9 what expectations cost, P10 what a reference table costs, P11 one read written to three sinks, P12 a chain of three Delta tables backfilled in one run. Prints a
 * table and writes the same figures to {@code bench-results.json}. Run with {@code ./bench}
 * ({@link Settings#USAGE} for the arguments).
 */
public final class Bench {
    static final String RESULTS = "bench-results.json";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Figure> figures = run(settings);
        System.out.println();
        System.out.print(table(figures));
        Path json = write(settings, figures);
        System.out.println("figures written to " + json);
    }

    static List<Figure> run(Settings settings) throws Exception {
        List<Figure> figures = new ArrayList<>();
        Path work = Files.createTempDirectory("sluice-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Sluice sluice = Sluice.embedded();
                Workload workload = new Workload(kafka, sluice, work, settings)) {
            System.out.printf(
                    "Sluice bench: %d cores, Java %s, Spark %s, broker in this JVM; %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    sluice.spark().version(),
                    settings);
            String orders = settings.runs("P1")
                            || settings.runs("P2")
                            || settings.runs("P4")
                            || settings.runs("P9")
                            || settings.runs("P10")
                            || settings.runs("P11")
                            || settings.runs("P12")
                    ? workload.orders("orders", settings.records(), 4)
                    : null;
            if (settings.runs("P1")) {
                System.out.println("P1 overhead");
                figures.addAll(Overhead.run(workload, settings, orders));
                figures.add(Overhead.withBadRecords(
                        workload, settings, workload.orders("orders-1pct-bad", settings.records(), 4, 100)));
                figures.add(Overhead.withMetrics(workload, settings, orders));
            }
            if (settings.runs("P2")) {
                System.out.println("P2 ceiling");
                figures.addAll(Ceiling.run(workload, settings, orders));
            }
            if (settings.runs("P3")) {
                System.out.println("P3 stateful");
                figures.addAll(
                        Stateful.run(workload, settings, workload.orders("stateful", settings.statefulRecords(), 4)));
            }
            if (settings.runs("P4")) {
                System.out.println("P4 start-up");
                figures.addAll(Startup.run(
                        workload, settings, workload.orders("startup", Math.min(settings.records(), 10_000), 4)));
            }
            if (settings.runs("P5")) {
                System.out.println("P5 memory sink");
                figures.addAll(
                        MemoryRetention.run(workload, settings, workload.values("rows", settings.memoryRows(), 4)));
            }
            if (settings.runs("P6")) {
                System.out.println("P6 decoding");
                figures.addAll(Decoding.run(settings));
            }
            if (settings.runs("P7")) {
                System.out.println("P7 Avro");
                figures.addAll(AvroDecoding.run(workload, settings));
            }
            if (settings.runs("P8")) {
                System.out.println("P8 PostgreSQL");
                figures.addAll(JdbcWrites.run(workload, settings));
            }
            if (settings.runs("P9")) {
                System.out.println("P9 expectations");
                figures.addAll(Rules.run(workload, settings, orders));
            }
            if (settings.runs("P10")) {
                System.out.println("P10 reference tables");
                figures.addAll(Enrichment.run(workload, settings, orders));
            }
            if (settings.runs("P11")) {
                System.out.println("P11 several sinks");
                figures.addAll(SeveralOutputs.run(workload, settings, orders));
            }
            if (settings.runs("P12")) {
                System.out.println("P12 a chain of tables");
                figures.addAll(Layers.run(workload, settings, orders));
            }
        }
        return figures;
    }

    /** The figures as a Markdown table, as README shows them. */
    static String table(List<Figure> figures) {
        StringBuilder text = new StringBuilder(
                "| | measured | median (spread) | baseline | median (spread) | ratio | goal | CPU use, measured / baseline |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            text.append(String.format(
                    "| %s | %s | %s | %s | %s | **%.2f** | %s | %s |%n",
                    f.part(),
                    f.name(),
                    value(f.measured(), f.unit()),
                    f.baselineName(),
                    value(f.baseline(), f.unit()),
                    f.ratio(),
                    f.goal() == 0 ? "" : String.format("≥ %.2f %s", f.goal(), f.meetsGoal() ? "met" : "**not met**"),
                    f.measuredCpu().isEmpty()
                            ? ""
                            : String.format(
                                    "%.0f %% / %.0f %%",
                                    100 * f.measuredCpu().get().median(),
                                    100 * f.baselineCpu().orElseThrow().median())));
        }
        return text.toString();
    }

    private static String value(Stats stats, String unit) {
        String format = unit.equals("records/s") ? "%,.0f" : "%,.1f";
        return String.format(
                format + " %s (" + format + " – " + format + ")", stats.median(), unit, stats.min(), stats.max());
    }

    static Path write(Settings settings, List<Figure> figures) throws Exception {
        Files.createDirectories(settings.out());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("part", f.part());
            row.put("name", f.name());
            row.put("unit", f.unit());
            row.put("median", f.measured().median());
            row.put("samples", f.measured().samples());
            row.put("baseline", f.baselineName());
            row.put("baselineMedian", f.baseline().median());
            row.put("baselineSamples", f.baseline().samples());
            row.put("ratio", f.ratio());
            row.put("goal", f.goal() == 0 ? null : f.goal());
            row.put("meetsGoal", f.meetsGoal());
            f.measuredCpu().ifPresent(cpu -> row.put("cpuUse", cpu.median()));
            f.baselineCpu().ifPresent(cpu -> row.put("baselineCpuUse", cpu.median()));
            rows.add(row);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("date", LocalDate.now().toString());
        document.put("cores", Runtime.getRuntime().availableProcessors());
        document.put("java", System.getProperty("java.version"));
        document.put("records", settings.records());
        document.put("rounds", settings.rounds());
        document.put("figures", rows);
        Path file = settings.out().resolve(RESULTS);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        return file;
    }
}
