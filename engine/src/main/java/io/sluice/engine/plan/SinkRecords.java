package io.sluice.engine.plan;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The batches one sink of a pipeline with several has written, kept under the checkpoint as
 * one empty file per batch ({@code <checkpoint>/sinks/<sink>/<batch>}): its presence is the
 * record, so a file cut short by a crash records as well as a whole one, and no rename is
 * needed (a copy on object stores). The last {@link #KEPT} batches are kept: Spark gives again
 * only the batch it had not recorded as done.
 */
record SinkRecords(String directory) implements Serializable {
    /** How many batches' records a sink keeps. */
    static final long KEPT = 100;

    static SinkRecords of(String checkpoint, String sink) {
        return new SinkRecords(new Path(new Path(checkpoint, FanOut.NAME), sink).toString());
    }

    boolean has(Configuration hadoop, long batchId) {
        Path path = path(batchId);
        try {
            return path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the record of batch " + batchId + " at " + path, e);
        }
    }

    /** Records the batch, and forgets the one {@link #KEPT} batches before it. */
    void record(Configuration hadoop, long batchId) {
        Path path = path(batchId);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            fs.create(path, true).close();
            if (batchId >= KEPT) {
                fs.delete(path(batchId - KEPT), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the record of batch " + batchId + " at " + path, e);
        }
    }

    /** The last batch recorded: empty when none is (the sink has not written, or was added since). */
    java.util.OptionalLong last(Configuration hadoop) {
        Path dir = new Path(directory);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return java.util.OptionalLong.empty();
            }
            return java.util.Arrays.stream(fs.listStatus(dir))
                    .map(status -> status.getPath().getName())
                    .filter(name -> name.matches("[0-9]+"))
                    .mapToLong(Long::parseLong)
                    .max();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the records of " + dir, e);
        }
    }

    private Path path(long batchId) {
        return new Path(directory, Long.toString(batchId));
    }
}
