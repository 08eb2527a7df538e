package io.sluice.source.kafka;

import java.util.Optional;

/**
 * Real-time mode runs one long task per Kafka partition for the whole checkpoint interval,
 * and tasks that find no free core wait until the next interval: a query with more
 * partitions than cores falls behind by design. Checked at start, when the partitions can be
 * counted, and refused with the numbers.
 */
final class RealTimeSlots {
    private RealTimeSlots() {}

    /** Why real-time mode cannot run the source here: fewer cores than partitions; empty when it can. */
    static Optional<String> check(int partitions, int cores) {
        if (partitions > cores) {
            return Optional.of("real-time mode runs a task per Kafka partition at all times: the source reads "
                    + partitions + " partitions and Spark has " + cores + " cores; give Spark at least " + partitions
                    + " cores (spark.master local[" + partitions
                    + "], or more executor cores) or use a micro-batch trigger");
        }
        return Optional.empty();
    }
}
