package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Spark's logs of batches, read by their file names: a checkpoint's {@code offsets/N} (batch N
 * planned) and {@code commits/N} (batch N written), a file sink's {@code _spark_metadata/N}
 * (batch N's files), compacted every few batches into {@code N.compact}. The names alone say how
 * far each log got; reading them is one listing, and needs none of Spark's internal classes.
 */
public final class BatchLogs {
    private static final String COMPACT = ".compact";

    private BatchLogs() {}

    /** The highest batch id in the log directory {@code log}; empty when it is missing or holds none. */
    public static OptionalLong latest(Configuration hadoop, Path log) {
        requireNonNull(hadoop, "hadoop is null");
        requireNonNull(log, "log is null");
        try {
            FileSystem fs = log.getFileSystem(hadoop);
            long highest = -1;
            for (FileStatus file : fs.listStatus(log)) {
                String name = file.getPath().getName();
                String number = name.endsWith(COMPACT) ? name.substring(0, name.length() - COMPACT.length()) : name;
                if (!number.isEmpty() && number.length() < 19 && number.chars().allMatch(Character::isDigit)) {
                    highest = Math.max(highest, Long.parseLong(number));
                }
            }
            return highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest);
        } catch (FileNotFoundException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Spark's log at " + log, e);
        }
    }
    /**
     * The lines of a checkpoint's {@code offsets/N} as Spark writes them — a version line, a line
     * of the batch's metadata, then a line per source with the offsets the batch ends at — blank
     * lines left out; empty when the log has no such batch. The one reader of that file.
     */
    public static java.util.Optional<java.util.List<String>> offsetLog(
            Configuration hadoop, String checkpoint, long batch) {
        requireNonNull(hadoop, "hadoop is null");
        requireNonNull(checkpoint, "checkpoint is null");
        Path file = new Path(new Path(checkpoint, "offsets"), String.valueOf(batch));
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return java.util.Optional.empty();
            }
            try (java.io.InputStream in = fs.open(file)) {
                return java.util.Optional.of(java.util.Arrays.stream(
                                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"))
                        .filter(line -> !line.isEmpty())
                        .toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Spark's offset log at " + file, e);
        }
    }

    /**
     * The sources' offsets batch {@code batch} ends at, from a checkpoint's {@code offsets/N}: one
     * JSON text per source, in the query's order of sources; empty when the log has no such batch.
     */
    public static java.util.Optional<java.util.List<String>> sourceOffsets(
            Configuration hadoop, String checkpoint, long batch) {
        return offsetLog(hadoop, checkpoint, batch)
                .map(lines -> lines.size() > 2 ? lines.subList(2, lines.size()) : java.util.List.<String>of());
    }
}
