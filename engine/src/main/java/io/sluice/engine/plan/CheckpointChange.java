package io.sluice.engine.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A change between runs that the checkpoint guard refuses by default but Spark can carry
 * over, and that a pipeline may accept explicitly ({@code acceptChanges}): the operator says
 * they know what it does, and the guard lets it pass with a warning in the log.
 *
 * <p>Changes Spark cannot carry over — another source or sink connector, another sink path
 * or table, other stateful operators — are never accepted: a new checkpoint is the only way.
 */
public enum CheckpointChange {
    /**
     * Other input from the same source, such as another Kafka subscription: Spark reads the
     * partitions it has offsets for on from there, new partitions from their earliest
     * offsets, and reports partitions no longer read as data lost (unless failOnDataLoss is
     * false).
     */
    SOURCE,
    /**
     * A column of a file sink that changes type: Spark writes the new files beside the old
     * ones, and a reader must read the two kinds apart (the directory as a whole no longer
     * reads with one schema).
     */
    SCHEMA,
    /**
     * A sink added to or removed from a pipeline with several sinks: an added one gets the
     * batches from the next on (nothing written before), a removed one gets nothing more; the
     * others go on where they were. A sink that moves (another connector or place under the same
     * name) is never accepted.
     */
    SINKS;

    /** As pipeline files spell it: {@code source}, {@code schema}, {@code sinks}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The change a pipeline file names, if it names one. */
    public static Optional<CheckpointChange> fromFileName(String name) {
        return Arrays.stream(values())
                .filter(c -> c.fileName().equals(name.trim()))
                .findFirst();
    }
}
