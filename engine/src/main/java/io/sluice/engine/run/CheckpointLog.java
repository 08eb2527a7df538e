package io.sluice.engine.run;

import io.sluice.core.BatchLogs;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * How far a checkpoint got, from Spark's own logs in it: {@code offsets/N} is written when
 * batch N is planned, before any task runs, and {@code commits/N} once it is written, so a
 * batch with offsets and no commit is the one in flight, redone on restart. This is the truth
 * about which batch failed or was interrupted — the last progress event is not: it is gone
 * after a restart and says nothing of a batch that has not finished.
 *
 * @param lastPlanned the highest batch id in the offset log, if any
 * @param lastCommitted the highest batch id in the commit log, if any
 */
public record CheckpointLog(OptionalLong lastPlanned, OptionalLong lastCommitted) {
    static final CheckpointLog EMPTY = new CheckpointLog(OptionalLong.empty(), OptionalLong.empty());

    public static CheckpointLog read(Configuration hadoop, String checkpoint) {
        return new CheckpointLog(
                BatchLogs.latest(hadoop, new Path(checkpoint, "offsets")),
                BatchLogs.latest(hadoop, new Path(checkpoint, "commits")));
    }

    /** The batch planned and not committed: the one a failure or a stop interrupted, redone on restart. */
    public OptionalLong inFlight() {
        if (lastPlanned.isEmpty()
                || (lastCommitted.isPresent() && lastCommitted.getAsLong() >= lastPlanned.getAsLong())) {
            return OptionalLong.empty();
        }
        return lastPlanned;
    }

    /** The batch the query was at: the one in flight, else the one after the last commit (0 for a new checkpoint). */
    public long current() {
        return inFlight().orElse(lastCommitted.isPresent() ? lastCommitted.getAsLong() + 1 : 0);
    }

    /** Whether a batch was committed after {@code before} (the last commit at some earlier time, -1 for none). */
    public boolean committedAfter(long before) {
        return lastCommitted.isPresent() && lastCommitted.getAsLong() > before;
    }
}
