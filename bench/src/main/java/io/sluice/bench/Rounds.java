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

    /** Seconds per counted round, by job name, in the jobs' order. */
    static Map<String, Stats> alternate(int rounds, Map<String, Job> jobs) throws Exception {
        Map<String, Measured> measured = new LinkedHashMap<>();
        jobs.forEach((name, job) -> measured.put(name, () -> List.of(job.seconds())));
        return alternateMeasured(rounds, measured, "s");
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
}
