package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Why a directory an option names cannot be written, told before start: a regular file where
 * the directory should be or above it, a parent the process cannot write, a scheme no file
 * system on the class path reads. Local paths are checked on the local disk (cheap, and what
 * a user most often gets wrong); other schemes only by name, since reaching them is I/O.
 * Every connector that writes files uses this one check, so the messages are the same.
 */
public final class PathCheck {
    private PathCheck() {}

    /**
     * The problem with writing a directory at {@code path}, worded as the end of a sentence
     * about option {@code option}; empty when nothing is wrong that can be told here.
     */
    public static Optional<String> directory(String option, String path, SparkSession spark) {
        requireNonNull(option, "option is null");
        requireNonNull(path, "path is null");
        Configuration hadoop =
                requireNonNull(spark, "spark is null").sparkContext().hadoopConfiguration();
        String shown = "option '" + option + "' = '" + path + "'";
        String scheme;
        try {
            scheme = new org.apache.hadoop.fs.Path(path).toUri().getScheme();
        } catch (IllegalArgumentException e) {
            return Optional.of(shown + " is not a path: " + e.getMessage());
        }
        if (scheme != null && !scheme.equals("file")) {
            try {
                FileSystem.getFileSystemClass(scheme, hadoop);
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(shown + " has the scheme '" + scheme + "', for which no file system is on the class"
                        + " path: check the spelling (file, hdfs, s3a, abfss, gs), or add the jar that brings it"
                        + " (hadoop-aws for s3a)");
            }
        }
        Path local = Path.of(
                        scheme == null
                                ? path
                                : new org.apache.hadoop.fs.Path(path).toUri().getPath())
                .toAbsolutePath()
                .normalize();
        if (Files.isRegularFile(local)) {
            return Optional.of(
                    shown + " is a regular file, not a directory: name a directory (it is created if missing)");
        }
        Path existing = local;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && existing.equals(local)) {
            // it exists: a directory the process cannot add files to fails the first batch, not before it
            return Files.isDirectory(local) && !Files.isWritable(local)
                    ? Optional.of(shown + " cannot be written: the directory is not writable by user '"
                            + System.getProperty("user.name") + "'"
                            + (readOnly(local) ? " (its file system is" + " mounted read-only)" : "")
                            + ": make it writable, or choose another")
                    : Optional.empty();
        }
        if (existing == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(existing)) {
            return Optional.of(shown + " lies under '" + existing + "', which is a regular file: name a directory"
                    + " that is not inside a file");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(shown + " cannot be created: '" + existing + "' is not writable by user '"
                    + System.getProperty("user.name") + "'");
        }
        return Optional.empty();
    }

    private static boolean readOnly(Path path) {
        try {
            return Files.getFileStore(path).isReadOnly();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
