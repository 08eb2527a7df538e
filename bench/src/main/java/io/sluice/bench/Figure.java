package io.sluice.bench;

import static java.util.Objects.requireNonNull;

/**
 * One line of the benchmark's table: a measurement, the baseline it is compared with in the
 * same run, and their ratio oriented so that higher is better for Sluice (for durations and
 * memory, baseline over measured; for rates, measured over baseline).
 *
 * @param part P1 … P5
 * @param name what was measured
 * @param unit "records/s", "ms" or "MB"
 * @param measured the measured side
 * @param baselineName what it is compared with
 * @param baseline the baseline, measured in the same run
 * @param goal the ratio aimed at, or 0 when the figure has none
 * @param measuredCpu the measured side's CPU use (a share of the machine's cores), when timed so
 * @param baselineCpu the baseline's CPU use, when timed so
 */
record Figure(
        String part,
        String name,
        String unit,
        Stats measured,
        String baselineName,
        Stats baseline,
        double goal,
        java.util.Optional<Stats> measuredCpu,
        java.util.Optional<Stats> baselineCpu) {
    Figure(String part, String name, String unit, Stats measured, String baselineName, Stats baseline, double goal) {
        this(
                part,
                name,
                unit,
                measured,
                baselineName,
                baseline,
                goal,
                java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    Figure withCpu(Stats measuredUse, Stats baselineUse) {
        return new Figure(
                part,
                name,
                unit,
                measured,
                baselineName,
                baseline,
                goal,
                java.util.Optional.of(measuredUse),
                java.util.Optional.of(baselineUse));
    }

    Figure {
        requireNonNull(measuredCpu, "measuredCpu is null");
        requireNonNull(baselineCpu, "baselineCpu is null");
        requireNonNull(part, "part is null");
        requireNonNull(name, "name is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(measured, "measured is null");
        requireNonNull(baselineName, "baselineName is null");
        requireNonNull(baseline, "baseline is null");
    }

    boolean higherIsBetter() {
        return unit.endsWith("/s");
    }

    double ratio() {
        return higherIsBetter() ? measured.median() / baseline.median() : baseline.median() / measured.median();
    }

    boolean meetsGoal() {
        return goal == 0 || ratio() >= goal;
    }
}
