package io.sluice.engine.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
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
record CheckpointLog(OptionalLong lastPlanned, OptionalLong lastCommitted) {
    static final CheckpointLog EMPTY = new CheckpointLog(OptionalLong.empty(), OptionalLong.empty());

    static CheckpointLog read(Configuration hadoop, String checkpoint) {
        return new CheckpointLog(
                highest(hadoop, new Path(checkpoint, "offsets")), highest(hadoop, new Path(checkpoint, "commits")));
    }

    /** The batch planned and not committed: the one a failure or a stop interrupted, redone on restart. */
    OptionalLong inFlight() {
        if (lastPlanned.isEmpty()
                || (lastCommitted.isPresent() && lastCommitted.getAsLong() >= lastPlanned.getAsLong())) {
            return OptionalLong.empty();
        }
        return lastPlanned;
    }

    /** The batch the query was at: the one in flight, else the one after the last commit (0 for a new checkpoint). */
    long current() {
        return inFlight().orElse(lastCommitted.isPresent() ? lastCommitted.getAsLong() + 1 : 0);
    }

    /** Whether a batch was committed after {@code before} (the last commit at some earlier time, -1 for none). */
    boolean committedAfter(long before) {
        return lastCommitted.isPresent() && lastCommitted.getAsLong() > before;
    }

    private static OptionalLong highest(Configuration hadoop, Path log) {
        try {
            FileSystem fs = log.getFileSystem(hadoop);
            long highest = -1;
            for (FileStatus file : fs.listStatus(log)) {
                String name = file.getPath().getName();
                if (!name.isEmpty() && name.length() < 19 && name.chars().allMatch(Character::isDigit)) {
                    highest = Math.max(highest, Long.parseLong(name));
                }
            }
            return highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest);
        } catch (FileNotFoundException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Spark's log at " + log, e);
        }
    }
}
