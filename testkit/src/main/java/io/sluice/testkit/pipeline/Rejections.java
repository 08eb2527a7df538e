package io.sluice.testkit.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * Compares the records a test expects set aside (dead-lettered, skipped) with those the source
 * rejected: which records and why come from the source's fixture ({@code record}, {@code reason},
 * as the dead letter words them), and the run's counters under the policy prove the pipeline
 * really set that many aside that way.
 */
final class Rejections {
    // An expected reason is the dead letter's words or a part of them: the part a test cares about
    // ("not JSON"), not the parser's wording after it, which changes with the parser's version.
    private Rejections() {}

    static Optional<String> compare(
            String policy, List<Expectation.Rejection> expected, List<Row> rejected, Map<String, Long> byPolicy) {
        long counted = byPolicy.getOrDefault(policy, 0L);
        if (!byPolicy.containsKey(policy) && !expected.isEmpty()) {
            return Optional.of("the source set no record aside under badRecords " + policy
                    + (byPolicy.isEmpty() ? "" : " (it counts under: " + String.join(", ", byPolicy.keySet()) + ")"));
        }
        List<String> problems = new ArrayList<>();
        if (counted != rejected.size()) {
            problems.add("the pipeline counted " + counted + " under badRecords " + policy + ", the source rejects "
                    + rejected.size());
        }
        boolean same = expected.size() == rejected.size();
        for (int i = 0; same && i < expected.size(); i++) {
            Expectation.Rejection want = expected.get(i);
            Row got = rejected.get(i);
            same = got.getString(1).contains(want.reason())
                    && want.record().map(r -> r.equals(got.getString(0))).orElse(true);
        }
        if (!same) {
            StringBuilder text = new StringBuilder("expected ")
                    .append(expected.size())
                    .append(expected.size() == 1 ? " record" : " records");
            for (Expectation.Rejection want : expected) {
                text.append("\n  - ")
                        .append(want.record().map(r -> r + ": ").orElse(""))
                        .append(want.reason());
            }
            text.append("\nthe source rejected ").append(rejected.size());
            for (Row got : rejected) {
                text.append("\n  + ").append(got.getString(0)).append(": ").append(got.getString(1));
            }
            problems.add(text.toString());
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
