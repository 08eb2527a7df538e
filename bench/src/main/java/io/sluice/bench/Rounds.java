package io.sluice.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs several jobs alternately — a warm-up round that is not counted, then {@code rounds}
 * counted ones — so that a machine that gets slower or faster during the run (JIT, page
 * cache, a neighbour) affects every side alike.
 */
final class Rounds {
    private Rounds() {}

    /** What one run of a job measured (its duration, or the durations of its batches). */
    @FunctionalInterface
    interface Measured {
        List<Double> run() throws Exception;
    }

    /**
     * What the counted rounds of a job took: wall seconds, and the share of the machine's cores
     * the process kept busy meanwhile (process CPU seconds over wall seconds × cores). The second
     * says what a rate alone hides: a job that leaves cores idle is waiting, not computing. The
     * broker shares the JVM, so its CPU is in both sides alike.
     */
    record Timed(Stats seconds, Stats cpuUse) {}

    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Seconds and CPU use per counted round, by job name, in the jobs' order. */
    static Map<String, Timed> alternate(int rounds, Map<String, Job> jobs) throws Exception {
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, Measured> measured = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        jobs.forEach((name, job) -> {
            cpu.put(name, new ArrayList<>());
            measured.put(name, () -> {
                long cpuBefore = OS.getProcessCpuTime();
                double seconds = job.seconds();
                cpu.get(name).add((OS.getProcessCpuTime() - cpuBefore) / 1e9 / (seconds * cores));
                return List.of(seconds);
            });
        });
        Map<String, Stats> seconds = alternateMeasured(rounds, measured, "s");
        Map<String, Timed> timed = new LinkedHashMap<>();
        // the warm-up round's CPU is not counted, as its time is not
        seconds.forEach((name, stats) -> {
            List<Double> all = cpu.get(name);
            timed.put(
                    name,
                    new Timed(
                            stats,
                            new Stats(all.subList(all.size() - stats.samples().size(), all.size()))));
        });
        return timed;
    }

    /** The samples of every counted round together, by job name, in the jobs' order. */
    static Map<String, Stats> alternateMeasured(int rounds, Map<String, Measured> jobs, String unit) throws Exception {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        jobs.keySet().forEach(name -> samples.put(name, new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Measured> job : jobs.entrySet()) {
                List<Double> taken = job.getValue().run();
                if (round > 0) {
                    samples.get(job.getKey()).addAll(taken);
                }
                System.out.printf(
                        "  %s %d: %-40s %s%n",
                        round == 0 ? "warm-up" : "round  ",
                        round,
                        job.getKey(),
                        taken.size() == 1
                                ? String.format("%.2f %s", taken.get(0), unit)
                                : String.format("median %.1f %s of %d", new Stats(taken).median(), unit, taken.size()));
            }
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        samples.forEach((name, values) -> stats.put(name, new Stats(values)));
        return stats;
    }

    /** Records per second from seconds per round. */
    static Stats rates(long records, Stats seconds) {
        return new Stats(seconds.samples().stream().map(s -> records / s).toList());
    }

    /** A figure of two timed jobs: the measured one's rate over the baseline's, with each side's CPU use. */
    static Figure rateFigure(
            String part, String name, long records, Timed measured, String baselineName, Timed baseline, double goal) {
        return new Figure(
                        part,
                        name,
                        "records/s",
                        rates(records, measured.seconds()),
                        baselineName,
                        rates(records, baseline.seconds()),
                        goal)
                .withCpu(measured.cpuUse(), baseline.cpuUse());
    }
}
