package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What operators did to a checkpoint, kept in it ({@code _sluice/history.json}), so that
 * whoever looks at it next ({@code sluice checkpoint show}) sees that batch 41 was rewound,
 * when, from where to where, and where the backup is — not an unexplained jump in the offsets.
 */
public final class CheckpointHistory {
    private static final String FILE = "_sluice/history.json";

    private CheckpointHistory() {}

    /**
     * One thing done to the checkpoint. Public fields for Jackson.
     */
    public static final class Entry {
        /** When, an instant. */
        public String at;
        /** What, in words: {@code rewind --to-timestamp 2026-12-07T10:00:00Z}. */
        public String what;
        /** The batch whose offsets were changed. */
        public long batch;
        /** The source's offsets before. */
        public String before;
        /** The source's offsets after. */
        public String after;
        /** Where the files changed were copied first. */
        public String backup;
    }

    /** The checkpoint's history, oldest first; empty when nothing was done to it. */
    public static List<Entry> read(Configuration hadoop, String checkpoint) {
        return CheckpointFiles.text(hadoop, new Path(checkpoint, FILE))
                .map(text -> {
                    try {
                        return CheckpointFiles.JSON.readValue(text, new TypeReference<List<Entry>>() {});
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + new Path(checkpoint, FILE), e);
                    }
                })
                .orElse(List.of());
    }

    /** Adds {@code entry} at the end, writing the history back whole. */
    public static void add(Configuration hadoop, String checkpoint, Entry entry) {
        requireNonNull(entry, "entry is null");
        List<Entry> entries = new ArrayList<>(read(hadoop, checkpoint));
        entries.add(entry);
        try {
            CheckpointFiles.write(
                    hadoop,
                    new Path(checkpoint, FILE),
                    CheckpointFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + new Path(checkpoint, FILE), e);
        }
    }
}
