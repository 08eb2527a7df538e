package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import io.sluice.engine.run.LocalCheckpointFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
        return text(hadoop, path(checkpoint, batch)).map(text -> {
            String[] lines = text.split("\n", -1);
            List<String> sources = new ArrayList<>();
            for (int i = 2; i < lines.length; i++) {
                if (!lines[i].isEmpty()) {
                    sources.add(lines[i]);
                }
            }
            if (lines.length < 2) {
                throw new IllegalStateException(path(checkpoint, batch) + " is not an offset log entry (it has "
                        + lines.length + " line): was it edited by hand?");
            }
            return new OffsetLogEntry(lines[0], lines[1], sources);
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
        try {
            LocalCheckpointFiles.writeAtomically(
                    hadoop, path(checkpoint, batch), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path(checkpoint, batch), e);
        }
    }

    /** A file's text; empty when it does not exist. */
    static Optional<String> text(Configuration hadoop, Path file) {
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
