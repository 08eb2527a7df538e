package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Files on the local disk published whole or not at all, without Hadoop's local file system.
 * Without Hadoop's native library (not on Maven Central, so not with Sluice) that file system
 * sets a new file's permissions by forking {@code chmod} and reads a renamed one's by forking
 * {@code stat}: about 70 ms a file, paid by every task that writes a small file of its own — a
 * checkpoint's offsets and commits, a dead letter's spool. Written here instead: a hidden
 * temporary file beside the target ({@code .<name>.<uuid>.tmp}, which Spark's readers skip),
 * its bytes synced to the disk, then published in one step — renamed over the target, or
 * hard-linked to it when an existing target must be kept — and the directory synced, so a power
 * cut cannot leave a published name pointing at missing bytes. The engine's checkpoint manager
 * and the connectors' local spools share it, so there is one such rule.
 */
public final class LocalFiles {
    /** The temporary files written here: {@code .<target>.<uuid>.tmp} beside the target. */
    public static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile(
            "\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

    private LocalFiles() {}

    /** Whether {@code path} is on the local disk: {@code file:}, or no scheme with a local default file system. */
    public static boolean isLocal(org.apache.hadoop.fs.Path path, Configuration conf) {
        requireNonNull(path, "path is null");
        requireNonNull(conf, "conf is null");
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(conf).getScheme();
        }
        return "file".equals(scheme);
    }

    /**
     * A file being written to {@code target}: nothing is seen there until {@link AtomicFile#close}
     * publishes it; {@link AtomicFile#cancel} leaves no trace.
     *
     * @param replace whether publishing replaces an existing target; when not, {@code close} throws
     *     {@link FileAlreadyExistsException} and the existing file stays as it was
     */
    public static AtomicFile create(Path target, boolean replace) throws IOException {
        requireNonNull(target, "target is null");
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new AtomicFile(channel, temp, target, replace);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(inWords(e), e);
        }
    }

    /** Java names only the file for most of these ({@code /data/x}); a person needs what is wrong with it. */
    static String inWords(java.nio.file.FileSystemException e) {
        String what = e instanceof FileAlreadyExistsException
                ? "a file is in the way (a directory is needed there)"
                : e instanceof java.nio.file.NotDirectoryException
                        ? "not a directory"
                        : e instanceof java.nio.file.AccessDeniedException
                                ? "permission denied"
                                : e instanceof java.nio.file.NoSuchFileException
                                        ? "does not exist"
                                        : e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return e.getFile() + ": " + what;
    }

    /** A file written to a temporary name; on close synced, published in one step and its directory synced. */
    public static final class AtomicFile extends OutputStream {
        private final FileChannel channel;
        private final OutputStream out;
        private final Path temp;
        private final Path target;
        private final boolean replace;
        private boolean done;

        private AtomicFile(FileChannel channel, Path temp, Path target, boolean replace) {
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            this.temp = temp;
            this.target = target;
            this.replace = replace;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** Publishes the file: its bytes on the disk first, then its name. */
        @Override
        public synchronized void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                out.flush();
                channel.force(true); // the bytes on the disk before a name points at them
                out.close();
                if (replace) {
                    move();
                } else {
                    link();
                }
                syncDirectory(target.toAbsolutePath().getParent()); // and the name itself
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
                Files.deleteIfExists(temp);
            }
        }

        /** Leaves nothing behind: the temporary file is deleted, the target untouched. */
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
                org.slf4j.LoggerFactory.getLogger(LocalFiles.class)
                        .warn("could not delete the temporary file {}", temp, e);
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
            } catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(target + " exists: another writer wrote it first");
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (Files.exists(target)) { // a file system without hard links: check, then rename
                    throw new FileAlreadyExistsException(target + " exists: another writer wrote it first");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }

        /** A directory's entries reach the disk when the directory is synced (Linux, macOS); elsewhere a no-op. */
        private static void syncDirectory(Path directory) {
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // Windows cannot open a directory as a channel: its rename is already durable enough for NTFS
            }
        }
    }
}
