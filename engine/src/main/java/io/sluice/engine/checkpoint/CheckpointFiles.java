package io.sluice.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.run.LocalCheckpointFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files the checkpoint commands read and write in a checkpoint — Spark's logs and Sluice's
 * own notes under {@code _sluice/} — on whatever file system the checkpoint is on: read as text,
 * written whole or not at all (as the checkpoint manager writes them), deleted; and the one JSON
 * mapper of the package.
 */
final class CheckpointFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {}

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

    /** Writes {@code text} to {@code file}, whole or not at all, replacing what is there. */
    static void write(Configuration hadoop, Path file, String text) {
        write(hadoop, file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Configuration hadoop, Path file, byte[] bytes) {
        try {
            LocalCheckpointFiles.writeAtomically(hadoop, file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void delete(Configuration hadoop, Path file) {
        try {
            file.getFileSystem(hadoop).delete(file, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
