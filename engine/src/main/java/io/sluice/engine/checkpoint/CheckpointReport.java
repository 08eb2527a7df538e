package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import io.sluice.core.BatchLogs;
import io.sluice.core.SourcePositions;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.plan.FanOut;
import io.sluice.engine.run.CheckpointGuard;
import io.sluice.engine.run.CheckpointLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a checkpoint holds, for the operator ({@code sluice checkpoint show}): what the pipeline
 * was (the description Sluice keeps), how far Spark got (batches planned and committed, one in
 * the middle), where the next batch reads from and how far behind the source's system that is,
 * each stateful operator's state (partitions, files, bytes, rows), the file sink's log, what was
 * done to the checkpoint, and whether a pipeline runs on it now. Read without starting a query;
 * what cannot be known (a broker that does not answer) is said, not guessed.
 *
 * @param behind records behind the source's latest, per partition (empty when unknown: {@code behindUnknown} says why)
 * @param partitions the shuffle partitions the checkpoint's last batch ran with, and its state's
 */
public record CheckpointReport(
        String checkpoint,
        boolean exists,
        Optional<CheckpointGuard.Description> description,
        CheckpointLog log,
        Optional<String> nextOffsets,
        Optional<Partitions> partitions,
        Map<String, Long> behind,
        Optional<String> behindUnknown,
        List<StateOperator> state,
        Optional<SinkLog> sinkLog,
        List<SinkWritten> sinks,
        List<CheckpointHistory.Entry> history,
        Optional<String> runner) {

    /**
     * One sink of a pipeline with several: its connector and place as the checkpoint recorded
     * them, and the last batch it wrote (each sink records its own, so after a failure between
     * two sinks' writes one is a batch ahead: the next start writes the other).
     */
    public record SinkWritten(String name, String writes, OptionalLong lastBatch) {}

    /** One stateful operator's state: {@code rows} empty when Spark's state reader could not count it. */
    public record StateOperator(int id, String name, int partitions, long files, long bytes, OptionalLong rows) {}

    /**
     * The shuffle partitions of the last batch planned, and the state's. Spark (4.1 on) lets the
     * stateless shuffles take a new {@code spark.sql.shuffle.partitions} at a restart, and keeps the
     * state's partitions as the first batch had them for the checkpoint's life.
     */
    public record Partitions(String shuffle, Optional<String> state) {
        /** Spark's setting of the state's partitions, inherited from the first batch's shuffle partitions. */
        static final String STATE = "spark.sql.streaming.internal.stateStore.partitions";

        static final String SHUFFLE = "spark.sql.shuffle.partitions";

        /** From an offset log entry's metadata; empty when it names none. */
        static Optional<Partitions> of(OffsetLogEntry entry) {
            try {
                com.fasterxml.jackson.databind.JsonNode conf =
                        CheckpointFiles.JSON.readTree(entry.metadata()).path("conf");
                if (!conf.has(SHUFFLE)) {
                    return Optional.empty();
                }
                return Optional.of(new Partitions(
                        conf.get(SHUFFLE).asText(),
                        conf.has(STATE) ? Optional.of(conf.get(STATE).asText()) : Optional.empty()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * What a start should say when the session's {@code spark.sql.shuffle.partitions} differs from
     * the partitions the checkpoint's state keeps: Spark takes the new value for stateless shuffles
     * and keeps the state's, silently. Empty when they agree or the checkpoint keeps no state.
     */
    public static Optional<String> statePartitionsNote(SparkSession spark, String checkpoint) {
        requireNonNull(spark, "spark is null");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String session = spark.conf().get(Partitions.SHUFFLE);
        Path first = new Path(new Path(checkpoint, "state"), "0");
        try {
            FileSystem fs = first.getFileSystem(hadoop);
            if (!fs.exists(first)) {
                return Optional.empty();
            }
            long kept = java.util.Arrays.stream(fs.listStatus(first))
                    .filter(f ->
                            f.isDirectory() && f.getPath().getName().chars().allMatch(Character::isDigit))
                    .count();
            if (String.valueOf(kept).equals(session.trim())) {
                return Optional.empty();
            }
            return Optional.of("the checkpoint's state keeps " + kept + " partitions, fixed when the checkpoint began;"
                    + " spark.sql.shuffle.partitions = " + session + " applies to the query's other shuffles only (to"
                    + " split the state otherwise, start over with a new checkpointLocation)");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file sink's metadata log ({@code path/_spark_metadata}): how big it grew. */
    public record SinkLog(String path, long files, long bytes, OptionalLong lastBatch) {}

    /**
     * Reads the checkpoint at {@code checkpoint}; with the pipeline's {@code source} and its
     * options, asks the source's system how far behind it is (empty: not asked).
     */
    public static CheckpointReport read(
            SparkSession spark, String checkpoint, Optional<StreamSource> source, Optional<ConnectorOptions> options) {
        requireNonNull(spark, "spark is null");
        requireNonNull(checkpoint, "checkpoint is null");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        boolean exists = exists(hadoop, new Path(checkpoint));
        if (!exists) {
            return new CheckpointReport(
                    checkpoint,
                    false,
                    Optional.empty(),
                    new CheckpointLog(OptionalLong.empty(), OptionalLong.empty()),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    Optional.empty());
        }
        Optional<CheckpointGuard.Description> description = CheckpointGuard.inForce(spark, checkpoint);
        CheckpointLog log = CheckpointLog.read(hadoop, checkpoint);
        Optional<String> next = log.lastCommitted().isPresent()
                ? BatchLogs.sourceOffsets(
                                hadoop, checkpoint, log.lastCommitted().getAsLong())
                        .filter(sources -> !sources.isEmpty())
                        .map(sources -> sources.get(0))
                : Optional.empty();
        Optional<Partitions> partitions = log.lastPlanned().isPresent()
                ? OffsetLogEntry.read(hadoop, checkpoint, log.lastPlanned().getAsLong())
                        .flatMap(Partitions::of)
                : Optional.empty();
        Map<String, Long> behind = Map.of();
        Optional<String> unknown = Optional.empty();
        if (next.isEmpty()) {
            unknown = Optional.of("no batch committed yet");
        } else if (source.isEmpty() || options.isEmpty()) {
            unknown = Optional.of("give the pipeline file (not the directory) to ask the source");
        } else {
            try (SourcePositions positions =
                    source.get().positions(options.get()).orElse(null)) {
                if (positions == null) {
                    unknown = Optional.of("source '" + source.get().name() + "' cannot say where its system is");
                } else {
                    behind = positions.behind(next.get());
                }
            } catch (RuntimeException e) { // the system's words: a broker that does not answer
                unknown = Optional.of(e.getMessage());
            }
        }
        return new CheckpointReport(
                checkpoint,
                true,
                description,
                log,
                next,
                partitions,
                behind,
                unknown,
                state(spark, hadoop, checkpoint, description),
                description
                        .flatMap(d -> Optional.ofNullable(d.sinkIdentity.get("path")))
                        .flatMap(path -> sinkLog(hadoop, path)),
                sinks(hadoop, checkpoint, description),
                CheckpointHistory.read(hadoop, checkpoint),
                RunMarker.runner(spark, checkpoint).map(RunMarker.Runner::words));
    }

    /** The state of each operator under {@code state/}: named as the description names them, counted by Spark's reader. */
    private static List<StateOperator> state(
            SparkSession spark,
            Configuration hadoop,
            String checkpoint,
            Optional<CheckpointGuard.Description> description) {
        Path state = new Path(checkpoint, "state");
        List<StateOperator> operators = new ArrayList<>();
        try {
            FileSystem fs = state.getFileSystem(hadoop);
            if (!fs.exists(state)) {
                return List.of();
            }
            for (FileStatus operator : fs.listStatus(state)) {
                String name = operator.getPath().getName();
                if (!operator.isDirectory() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                int id = Integer.parseInt(name);
                int partitions = (int) java.util.Arrays.stream(fs.listStatus(operator.getPath()))
                        .filter(f ->
                                f.isDirectory() && f.getPath().getName().chars().allMatch(Character::isDigit))
                        .count();
                ContentSummary size = fs.getContentSummary(operator.getPath());
                String named = description
                        .filter(d -> id < d.stateful.size())
                        .map(d -> d.stateful.get(id)
                                + (d.state != null
                                                && id < d.state.size()
                                                && !d.state.get(id).keys.isEmpty()
                                        ? " by " + String.join(", ", d.state.get(id).keys)
                                        : ""))
                        .orElse("operator " + id);
                operators.add(new StateOperator(
                        id, named, partitions, size.getFileCount(), size.getLength(), rows(spark, checkpoint, id)));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the state at " + state, e);
        }
        operators.sort(java.util.Comparator.comparingInt(StateOperator::id));
        return operators;
    }

    /** The rows of an operator's state at the last committed batch, by Spark's state data source. */
    private static OptionalLong rows(SparkSession spark, String checkpoint, int operator) {
        try {
            return OptionalLong.of(StateRows.read(spark, checkpoint, operator).count());
        } catch (RuntimeException e) { // an operator the reader needs more options for (a join's side)
            org.slf4j.LoggerFactory.getLogger(CheckpointReport.class)
                    .debug("cannot count the state of operator {} in {}", operator, checkpoint, e);
            return OptionalLong.empty();
        }
    }

    /** Each sink of a pipeline with several, with its records; none for a pipeline with one sink. */
    private static List<SinkWritten> sinks(
            Configuration hadoop, String checkpoint, Optional<CheckpointGuard.Description> description) {
        if (description.isEmpty() || !FanOut.NAME.equals(description.get().sink)) {
            return List.of();
        }
        List<SinkWritten> sinks = new ArrayList<>();
        description
                .get()
                .sinkIdentity
                .forEach((name, writes) ->
                        sinks.add(new SinkWritten(name, writes, FanOut.lastWritten(hadoop, checkpoint, name))));
        return sinks;
    }

    private static Optional<SinkLog> sinkLog(Configuration hadoop, String path) {
        Path log = new Path(path, "_spark_metadata");
        try {
            FileSystem fs = log.getFileSystem(hadoop);
            if (!fs.exists(log)) {
                return Optional.empty();
            }
            ContentSummary size = fs.getContentSummary(log);
            return Optional.of(
                    new SinkLog(log.toString(), size.getFileCount(), size.getLength(), BatchLogs.latest(hadoop, log)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // a path of a file system not here: nothing to say of it
        }
    }

    private static boolean exists(Configuration hadoop, Path path) {
        try {
            return path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot look at " + path, e);
        }
    }

    /** The report as a person reads it. */
    public String text() {
        StringBuilder text = new StringBuilder("checkpoint ").append(checkpoint).append('\n');
        if (!exists) {
            return text.append("  does not exist: the pipeline has not run with it yet\n")
                    .toString();
        }
        runner.ifPresentOrElse(
                r -> text.append("  running: ").append(r).append('\n'), () -> text.append("  running: no\n"));
        description.ifPresent(d -> {
            text.append("  source: ")
                    .append(d.source)
                    .append(identity(d.sourceIdentity))
                    .append('\n');
            if (sinks.isEmpty()) {
                text.append("  sink: ")
                        .append(d.sink)
                        .append(identity(d.sinkIdentity))
                        .append('\n');
            } else {
                text.append("  sinks:\n");
                sinks.forEach(sink -> text.append("    ")
                        .append(sink.name())
                        .append(": ")
                        .append(sink.writes())
                        .append(
                                sink.lastBatch().isPresent()
                                        ? ", wrote to batch " + sink.lastBatch().getAsLong()
                                        : ", wrote no batch yet")
                        .append('\n'));
            }
            text.append("  output mode: ")
                    .append(d.outputMode.toLowerCase(java.util.Locale.ROOT))
                    .append('\n');
        });
        text.append("  batches: ")
                .append(
                        log.lastPlanned().isEmpty()
                                ? "none planned"
                                : "planned to " + log.lastPlanned().getAsLong())
                .append(", ")
                .append(
                        log.lastCommitted().isEmpty()
                                ? "none committed"
                                : "committed to " + log.lastCommitted().getAsLong());
        log.inFlight().ifPresent(b -> text.append(" (batch ").append(b).append(" in the middle: redone on start)"));
        text.append('\n');
        nextOffsets.ifPresent(
                o -> text.append("  next batch reads from: ").append(o).append('\n'));
        if (!behind.isEmpty()) {
            text.append("  behind the source's latest: ");
            List<String> parts = new ArrayList<>();
            behind.forEach((partition, records) -> parts.add(partition + " " + records
                    + (records < 0
                            ? " (ahead of the log: was the topic deleted and made again? see checkpoint rewind)"
                            : "")));
            text.append(String.join(", ", parts)).append('\n');
        } else {
            behindUnknown.ifPresent(why -> text.append("  behind the source's latest: unknown (")
                    .append(why)
                    .append(")\n"));
        }
        partitions.ifPresent(p -> text.append("  shuffle partitions: ")
                .append(p.shuffle())
                .append(p.state()
                        .filter(n -> !state.isEmpty())
                        .map(n -> " (the state keeps " + n + ": fixed when the checkpoint began)")
                        .orElse(""))
                .append('\n'));
        if (state.isEmpty()) {
            text.append("  state: none\n");
        }
        for (StateOperator operator : state) {
            text.append("  state ")
                    .append(operator.id())
                    .append(" (")
                    .append(operator.name())
                    .append("): ")
                    .append(operator.rows().isPresent() ? operator.rows().getAsLong() + " rows, " : "")
                    .append(operator.partitions())
                    .append(" partitions, ")
                    .append(operator.files())
                    .append(" files, ")
                    .append(bytes(operator.bytes()))
                    .append('\n');
        }
        sinkLog.ifPresent(l -> text.append("  sink log: ")
                .append(l.path())
                .append(", ")
                .append(l.files())
                .append(" files, ")
                .append(bytes(l.bytes()))
                .append(
                        l.lastBatch().isPresent()
                                ? ", to batch " + l.lastBatch().getAsLong()
                                : "")
                .append('\n'));
        for (CheckpointHistory.Entry entry : history) {
            text.append("  ")
                    .append(entry.at)
                    .append(": ")
                    .append(entry.what)
                    .append(" — batch ")
                    .append(entry.batch)
                    .append(" ends at ")
                    .append(entry.after)
                    .append(" (was ")
                    .append(entry.before)
                    .append("; backup in ")
                    .append(entry.backup)
                    .append(")\n");
        }
        return text.toString();
    }

    /** The report as data ({@code --json}): the same facts, keyed. */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checkpoint", checkpoint);
        data.put("exists", exists);
        data.put("running", runner.orElse(null));
        data.put("description", description.orElse(null));
        data.put(
                "lastPlanned", log.lastPlanned().isPresent() ? log.lastPlanned().getAsLong() : null);
        data.put(
                "lastCommitted",
                log.lastCommitted().isPresent() ? log.lastCommitted().getAsLong() : null);
        data.put("inFlight", log.inFlight().isPresent() ? log.inFlight().getAsLong() : null);
        data.put("nextOffsets", nextOffsets.orElse(null));
        data.put("shufflePartitions", partitions.map(Partitions::shuffle).orElse(null));
        data.put("statePartitions", partitions.flatMap(Partitions::state).orElse(null));
        data.put("behind", behind);
        data.put("behindUnknown", behindUnknown.orElse(null));
        List<Map<String, Object>> operators = new ArrayList<>();
        for (StateOperator operator : state) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", operator.id());
            o.put("name", operator.name());
            o.put("rows", operator.rows().isPresent() ? operator.rows().getAsLong() : null);
            o.put("partitions", operator.partitions());
            o.put("files", operator.files());
            o.put("bytes", operator.bytes());
            operators.add(o);
        }
        data.put("state", operators);
        List<Map<String, Object>> sinkList = new ArrayList<>();
        for (SinkWritten sink : sinks) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", sink.name());
            o.put("writes", sink.writes());
            o.put("lastBatch", sink.lastBatch().isPresent() ? sink.lastBatch().getAsLong() : null);
            sinkList.add(o);
        }
        data.put("sinks", sinkList);
        data.put(
                "sinkLog",
                sinkLog.map(l -> {
                            Map<String, Object> s = new LinkedHashMap<>();
                            s.put("path", l.path());
                            s.put("files", l.files());
                            s.put("bytes", l.bytes());
                            s.put(
                                    "lastBatch",
                                    l.lastBatch().isPresent() ? l.lastBatch().getAsLong() : null);
                            return s;
                        })
                        .orElse(null));
        data.put("history", history);
        return data;
    }

    /** The options that say what a connector reads or writes, as {@code  (subscribe: orders)}; unset ones left out. */
    private static String identity(Map<String, String> options) {
        String words = io.sluice.engine.plan.IdentityWords.of(options);
        return words.isEmpty() ? "" : " (" + words + ")";
    }

    private static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
