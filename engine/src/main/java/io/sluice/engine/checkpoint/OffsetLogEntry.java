package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * One file of a checkpoint's offset log, {@code offsets/N}, as Spark writes it: a version line
 * ({@code v1}), a line of the batch's metadata (watermark, time, the session settings the
 * query keeps), then one line per source with the offsets the batch ends at. A rewind changes
 * only a source's line and writes the file back whole, as Spark would have written it.
 *
 * @param version the version line, kept as it was
 * @param metadata the metadata line, kept as it was
 * @param sources each source's offsets, in the query's order of sources
 */
public record OffsetLogEntry(String version, String metadata, List<String> sources) {
    public OffsetLogEntry {
        requireNonNull(version, "version is null");
        requireNonNull(metadata, "metadata is null");
        sources = List.copyOf(requireNonNull(sources, "sources is null"));
    }

    /** Where batch {@code batch}'s entry is. */
    public static Path path(String checkpoint, long batch) {
        return new Path(new Path(checkpoint, "offsets"), String.valueOf(batch));
    }

    /** Batch {@code batch}'s entry; empty when the log has none. */
    public static Optional<OffsetLogEntry> read(Configuration hadoop, String checkpoint, long batch) {
        return io.sluice.core.BatchLogs.offsetLog(hadoop, checkpoint, batch).map(lines -> {
            if (lines.size() < 2) {
                throw new IllegalStateException(path(checkpoint, batch) + " is not an offset log entry (it has "
                        + lines.size() + " line): was it edited by hand?");
            }
            return new OffsetLogEntry(lines.get(0), lines.get(1), lines.subList(2, lines.size()));
        });
    }

    /** The same entry with source {@code index}'s offsets replaced. */
    public OffsetLogEntry withSource(int index, String offsets) {
        List<String> changed = new ArrayList<>(sources);
        changed.set(index, requireNonNull(offsets, "offsets is null"));
        return new OffsetLogEntry(version, metadata, changed);
    }

    /** Writes the entry as batch {@code batch}'s, whole or not at all, replacing what is there. */
    public void write(Configuration hadoop, String checkpoint, long batch) {
        StringBuilder text = new StringBuilder(version).append('\n').append(metadata);
        sources.forEach(source -> text.append('\n').append(source));
        CheckpointFiles.write(hadoop, path(checkpoint, batch), text.toString());
    }
}
