package io.sluice.engine.run;

import io.sluice.engine.util.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoint directories for pipelines that set none and whose sink does not need one to be
 * correct (console, memory). Spark insists on a checkpoint for {@code foreachBatch} sinks;
 * these give it one that lives as long as the query: deleted when the pipeline is stopped,
 * or at the latest when the JVM exits.
 */
public final class TemporaryCheckpoints {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> LIVE.forEach(TemporaryCheckpoints::delete), "sluice-checkpoint-cleanup"));
    }

    private TemporaryCheckpoints() {}

    public static Path create(String queryName) {
        try {
            Path dir =
                    Files.createTempDirectory("sluice-checkpoint-" + queryName.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
            LIVE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary checkpoint directory", e);
        }
    }

    public static void delete(Path dir) {
        LIVE.remove(dir);
        Directories.deleteRecursively(dir);
    }
}
