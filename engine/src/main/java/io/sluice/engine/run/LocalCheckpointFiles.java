package io.sluice.engine.run;

import static java.util.Objects.requireNonNull;

import io.sluice.core.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;

/**
 * Spark's checkpoint files — offsets, commits, a file sink's log, state — on a local disk
 * without a process forked per file. Spark writes each through Hadoop's local file system, which
 * without Hadoop's native library (not on Maven Central, so not with Sluice) sets a new file's
 * permissions by running {@code chmod} and reads a renamed one's by running {@code stat}: about
 * 70 ms a file measured here, three or more files a micro-batch, time in which the executors
 * wait. This writes the same files with the same atomicity — a temporary file in the same
 * directory, renamed over the target ({@code rename(2)}), or hard-linked to it when it must not
 * be replaced, so a second writer of the same batch fails as with Spark's own — in well under a
 * millisecond, and reads, lists and deletes through Hadoop's local file system, which forks
 * nothing for those. A checkpoint written by either is read by the other.
 *
 * <p>Durable as well as atomic: a file's bytes are synced to the disk before the rename that
 * publishes it, and its directory after, so a power cut or an OS crash cannot leave a published
 * offsets or commit file empty (a rename can reach the disk before the data it names). Measured
 * here on one local disk: see {@code LocalCheckpointFilesTest} and docs/operations.md. A kill
 * between creating a temporary file and publishing it leaves the temporary behind: the manager
 * Spark makes for a log directory at the next start removes those of its directory that are
 * older than {@link #ABANDONED} — a write in progress takes milliseconds, so no live writer's file
 * is touched, even by a reader of a running pipeline's checkpoint in the same process.
 *
 * <p>Named by {@link #SETTING} in {@link io.sluice.engine.Sluice#embeddedSettings()}; Spark makes
 * one per checkpoint directory. A path on another file system (HDFS, S3, ...) is handed to the
 * manager Spark would have chosen, unchanged. This class is the one place Sluice implements
 * Spark's internal {@code CheckpointFileManager}; its test fails when Spark changes it.
 */
public final class LocalCheckpointFiles implements CheckpointFileManager {
    /** The session setting (a Spark SQL one, read when a query starts) that names the class. */
    public static final String SETTING = "spark.sql.streaming.checkpointFileManagerClass";

    /** How old a temporary file must be before a new manager takes it for one a killed writer left. */
    static final java.time.Duration ABANDONED = java.time.Duration.ofMinutes(1);

    private final Path path;
    private final RawLocalFileSystem local;
    private final CheckpointFileManager other;

    /** As Spark makes it: for one checkpoint path, with the session's Hadoop configuration. */
    public LocalCheckpointFiles(Path path, Configuration conf) {
        requireNonNull(path, "path is null");
        requireNonNull(conf, "conf is null");
        this.path = path;
        if (isLocal(path, conf)) {
            local = new RawLocalFileSystem();
            try {
                local.initialize(URI.create("file:///"), conf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            other = null;
            removeAbandoned(local.pathToFile(path).toPath());
        } else {
            Configuration spark = new Configuration(conf);
            spark.unset(SETTING);
            other = CheckpointFileManager.create(path, spark);
            local = null;
        }
    }

    /**
     * Writes {@code content} to {@code file} as a checkpoint file is written — whole or not at all,
     * replacing what was there — by this manager on a local disk, by the one Spark would choose
     * elsewhere: for Sluice's own records kept in a checkpoint.
     */
    public static void writeAtomically(Configuration conf, Path file, byte[] content) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(content, "content is null");
        CancellableFSDataOutputStream out = new LocalCheckpointFiles(file.getParent(), conf).createAtomic(file, true);
        try {
            out.write(content);
        } catch (IOException | RuntimeException e) {
            out.cancel();
            throw e;
        }
        out.close();
    }

    /** Deletes the temporary files a killed writer left in {@code directory} (not below it). */
    private static void removeAbandoned(java.nio.file.Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        long before = System.currentTimeMillis() - ABANDONED.toMillis();
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(directory)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                if (LocalFiles.TEMPORARY.matcher(file.getFileName().toString()).matches()
                        && Files.getLastModifiedTime(file).toMillis() < before) {
                    Files.deleteIfExists(file);
                    org.slf4j.LoggerFactory.getLogger(LocalCheckpointFiles.class)
                            .info("removed {}, a temporary checkpoint file a stopped writer left", file);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(LocalCheckpointFiles.class)
                    .warn("could not look for abandoned temporary files in {}", directory, e);
        }
    }

    /** Whether {@code path} is on the local disk: {@code file:}, or no scheme with a local default file system. */
    public static boolean isLocal(Path path, Configuration conf) {
        return LocalFiles.isLocal(path, conf);
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
        if (other != null) {
            return other.createAtomic(path, overwriteIfPossible);
        }
        java.nio.file.Path target = local.pathToFile(path).toPath();
        try {
            return new Atomic(LocalFiles.create(target, overwriteIfPossible));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write beside " + target, e);
        }
    }

    /** {@link LocalFiles}' file as Spark's stream: a target that must not be replaced fails as Hadoop says it. */
    private static final class Atomic extends CancellableFSDataOutputStream {
        private final LocalFiles.AtomicFile file;

        Atomic(LocalFiles.AtomicFile file) {
            super(file);
            this.file = file;
        }

        @Override
        public void close() throws IOException {
            try {
                file.close();
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(e.getFile());
            }
        }

        @Override
        public void cancel() {
            file.cancel();
        }
    }

    @Override
    public FSDataInputStream open(Path path) {
        if (other != null) {
            return other.open(path);
        }
        try {
            return local.open(path);
        } catch (IOException e) {
            throw sneaky(e);
        }
    }

    @Override
    public FileStatus[] list(Path path, PathFilter filter) {
        if (other != null) {
            return other.list(path, filter);
        }
        try {
            return Arrays.stream(local.listStatus(path))
                    .filter(status -> filter.accept(status.getPath()))
                    .toArray(FileStatus[]::new);
        } catch (IOException e) {
            throw sneaky(e);
        }
    }

    @Override
    public void mkdirs(Path path) {
        if (other != null) {
            other.mkdirs(path);
            return;
        }
        try {
            local.mkdirs(path);
        } catch (IOException e) {
            throw sneaky(e);
        }
    }

    @Override
    public boolean exists(Path path) {
        if (other != null) {
            return other.exists(path);
        }
        try {
            return local.exists(path);
        } catch (IOException e) {
            throw sneaky(e);
        }
    }

    @Override
    public void delete(Path path) {
        if (other != null) {
            other.delete(path);
            return;
        }
        try {
            local.delete(path, true);
        } catch (IOException e) {
            throw sneaky(e);
        }
    }

    @Override
    public boolean isLocal() {
        return other == null || other.isLocal();
    }

    @Override
    public Path createCheckpointDirectory() {
        if (other != null) {
            return other.createCheckpointDirectory();
        }
        Path qualified = local.makeQualified(path);
        mkdirs(qualified);
        return qualified;
    }

    @Override
    public void close() {
        if (other != null) {
            other.close();
        }
    }

    /** Spark's Scala callers expect Hadoop's IOExceptions as they are (FileNotFoundException, say). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
        throw (E) e;
    }
}
