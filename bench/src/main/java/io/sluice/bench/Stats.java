package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Several measurements of one thing: their median and spread. */
record Stats(List<Double> samples) {
    Stats {
        samples = List.copyOf(requireNonNull(samples, "samples is null"));
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
    }

    static Stats of(double... samples) {
        return new Stats(java.util.Arrays.stream(samples).boxed().toList());
    }

    double median() {
        List<Double> sorted = samples.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
