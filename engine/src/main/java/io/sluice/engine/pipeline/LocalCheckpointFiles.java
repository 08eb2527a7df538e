package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
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
 * <p>Named by {@link #SETTING} in {@link io.sluice.engine.Sluice#embeddedSettings()}; Spark makes
 * one per checkpoint directory. A path on another file system (HDFS, S3, ...) is handed to the
 * manager Spark would have chosen, unchanged. This class is the one place Sluice implements
 * Spark's internal {@code CheckpointFileManager}; its test fails when Spark changes it.
 */
public final class LocalCheckpointFiles implements CheckpointFileManager {
    /** The session setting (a Spark SQL one, read when a query starts) that names the class. */
    public static final String SETTING = "spark.sql.streaming.checkpointFileManagerClass";

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
        } else {
            Configuration spark = new Configuration(conf);
            spark.unset(SETTING);
            other = CheckpointFileManager.create(path, spark);
            local = null;
        }
    }

    /** Whether {@code path} is on the local disk: {@code file:}, or no scheme with a local default file system. */
    static boolean isLocal(Path path, Configuration conf) {
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(conf).getScheme();
        }
        return "file".equals(scheme);
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
        if (other != null) {
            return other.createAtomic(path, overwriteIfPossible);
        }
        java.nio.file.Path target = local.pathToFile(path).toPath();
        java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            return new Atomic(
                    new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024),
                    temp,
                    target,
                    overwriteIfPossible);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temp, e);
        }
    }

    /** Written to a temporary file; on close moved to the target in one step, or nothing. */
    private static final class Atomic extends CancellableFSDataOutputStream {
        private final OutputStream out;
        private final java.nio.file.Path temp;
        private final java.nio.file.Path target;
        private final boolean overwrite;
        private boolean done;

        Atomic(OutputStream out, java.nio.file.Path temp, java.nio.file.Path target, boolean overwrite) {
            super(out);
            this.out = out;
            this.temp = temp;
            this.target = target;
            this.overwrite = overwrite;
        }

        @Override
        public synchronized void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
                if (overwrite) {
                    move();
                } else {
                    link();
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        private void move() throws IOException {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** The target appears whole or not at all, and an existing one is never replaced. */
        private void link() throws IOException {
            try {
                Files.createLink(target, temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(target + " exists: another writer wrote it first");
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (Files.exists(target)) { // a file system without hard links: Spark's own check-then-rename
                    throw new FileAlreadyExistsException(target + " exists: another writer wrote it first");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }

        @Override
        public synchronized void cancel() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
            } catch (IOException e) {
                // the temporary file goes anyway
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(LocalCheckpointFiles.class)
                        .warn("could not delete the temporary checkpoint file {}", temp, e);
            }
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
