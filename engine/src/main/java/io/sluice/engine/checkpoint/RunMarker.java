package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A checkpoint's note that a pipeline runs on it ({@code _sluice/running.json}: host, process,
 * query, since when), written when the query starts and removed when it ends, so that a command
 * that changes the checkpoint ({@code sluice checkpoint rewind}) can refuse while the pipeline
 * runs: Spark keeps no such lock, and a query would overwrite the change with its next batch. A
 * process killed with {@code kill -9} leaves its note behind; on the same host the note is
 * known stale by its process being gone, elsewhere the operator says so ({@code --force}).
 */
public final class RunMarker {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunMarker.class);
    private static final String FILE = "_sluice/running.json";
    /** The checkpoints of the queries this process runs, by query id: removed at their end. */
    private static final Map<UUID, Runs> RUNNING = new ConcurrentHashMap<>();
    /** The sessions whose queries' ends are listened to. */
    private static final Map<SparkSession, Boolean> LISTENED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private RunMarker() {}

    /** The note. Public fields for Jackson. */
    public static final class Note {
        public String host;
        public long pid;
        public String query;
        public String since;
    }

    private record Runs(Configuration hadoop, String checkpoint) {}

    /** Notes that query {@code id} ({@code name}) runs on {@code checkpoint}; removed when it terminates. */
    public static void mark(SparkSession spark, UUID id, String name, String checkpoint) {
        requireNonNull(spark, "spark is null");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Note note = new Note();
        note.host = host();
        note.pid = ProcessHandle.current().pid();
        note.query = name;
        note.since = Instant.now().toString();
        try {
            CheckpointFiles.write(hadoop, new Path(checkpoint, FILE), CheckpointFiles.JSON.writeValueAsBytes(note));
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("{}: could not note that the pipeline runs on its checkpoint", checkpoint, e);
            return;
        }
        RUNNING.put(id, new Runs(hadoop, checkpoint));
        if (LISTENED.putIfAbsent(spark, Boolean.TRUE) == null) {
            spark.streams().addListener(new Listener());
        }
    }

    /**
     * Who runs on a checkpoint, when someone may.
     *
     * @param words who, in words: {@code query 'orders' runs on it since ... (process 4242 on this host)}
     * @param here whether on this host, where a live process is known to be alive
     */
    public record Runner(String words, boolean here) {}

    /**
     * Who runs on {@code checkpoint}, when someone may: a live process on this host, or one on
     * another host (whose life this one cannot see); empty when nobody does.
     */
    public static Optional<Runner> runner(SparkSession spark, String checkpoint) {
        requireNonNull(spark, "spark is null");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Optional<Note> note = CheckpointFiles.text(hadoop, new Path(checkpoint, FILE))
                .map(text -> {
                    try {
                        return CheckpointFiles.JSON.readValue(text, Note.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + new Path(checkpoint, FILE), e);
                    }
                });
        if (note.isEmpty()) {
            return Optional.empty();
        }
        Note n = note.get();
        boolean here = host().equals(n.host);
        if (here && !ProcessHandle.of(n.pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty(); // killed: its note is all that is left of it
        }
        if (here
                && n.pid == ProcessHandle.current().pid()
                && java.util.Arrays.stream(spark.streams().active()).noneMatch(q -> n.query.equals(q.name()))) {
            return Optional.empty(); // this process, whose query stopped: its note goes with the stop's event
        }
        return Optional.of(new Runner(
                "query '" + n.query + "' runs on it since " + n.since + " (process " + n.pid + " on "
                        + (here ? "this host" : "host " + n.host) + ")",
                here));
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Removes a query's note when it terminates, stopped or failed. */
    private static final class Listener extends io.sluice.engine.run.QueryEndListener {
        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            Runs runs = RUNNING.remove(event.id());
            if (runs == null) {
                return;
            }
            Path file = new Path(runs.checkpoint(), FILE);
            try {
                CheckpointFiles.delete(runs.hadoop(), file);
            } catch (UncheckedIOException e) {
                LOG.warn("{}: could not remove the note that the pipeline runs on it", runs.checkpoint(), e);
            }
        }
    }
}
