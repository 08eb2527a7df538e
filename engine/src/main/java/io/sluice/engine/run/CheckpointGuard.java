package io.sluice.engine.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.Connector;
import io.sluice.core.StreamSink;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.plan.CheckpointChange;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.StatefulOperators;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * A pipeline's description of itself, kept in its checkpoint ({@code _sluice/pipeline.json}),
 * and the rules for what may change between runs — from Spark's "Recovery Semantics after
 * Changes in a Streaming Query": another source or sink, other input (topics) or another
 * output location, other stateful operators, or a column that changes type in files is refused
 * before any query starts; rate limits, triggers, stateless transforms and other options pass.
 * Of the refused changes, the ones Spark can carry over (other input, a column's type) pass
 * when the pipeline accepts them explicitly ({@link CheckpointChange}).
 *
 * <p>Spark itself notices some of these late and misleadingly ("data may have been lost" for
 * another topic) and others never (a new sink path silently starts mid-stream; a column that
 * turns from BIGINT into STRING writes files the old ones cannot be read with).
 */
public final class CheckpointGuard {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String FILE = "_sluice/pipeline.json";
    /** A new description waits here until a batch of the pipeline it describes commits; a refused or failed start leaves FILE as it was. */
    private static final String PENDING = "_sluice/pipeline.pending.json";

    static final String NEW_CHECKPOINT = "give the changed pipeline a new checkpointLocation (it then starts from"
            + " its startingOffsets), or undo the change";

    /** What a checkpoint's progress is about. Public fields and a default constructor for Jackson. */
    public static final class Description {
        public String source;
        public Map<String, String> sourceIdentity = new LinkedHashMap<>();
        public String sink;
        public Map<String, String> sinkIdentity = new LinkedHashMap<>();
        public String outputMode;
        public List<String> stateful = new ArrayList<>();
        public Map<String, String> schema = new LinkedHashMap<>();
        /** The shape of each stateful operator's state, as {@code stateful}; null in descriptions older than it. */
        public List<State> state;
        /** The column of the query's watermark; null for none. */
        public String watermark;
    }

    /** What one stateful operator keeps: keys and values, by type for comparing and in words for messages. */
    public static final class State {
        public List<String> keys = new ArrayList<>();
        public List<String> keyTypes = new ArrayList<>();
        public List<String> kept = new ArrayList<>();
        public List<String> keptTypes = new ArrayList<>();
    }

    /** A description not yet in force, and the last batch committed when it was written. */
    public static final class Pending {
        public long since;
        public Description description;
    }

    private CheckpointGuard() {}

    public static Description describe(
            PipelineDefinition definition, Connector source, StreamSink sink, Dataset<Row> output) {
        Description description = new Description();
        description.source = source.name();
        description.sourceIdentity = identity(source, definition.sourceOptions());
        description.sink = sink.name();
        if (sink instanceof io.sluice.engine.plan.FanOut fanOut) {
            // each sink by its name: its connector and where it writes
            description.sinkIdentity = new LinkedHashMap<>();
            fanOut.routes()
                    .forEach(route -> description.sinkIdentity.put(
                            route.spec().name(),
                            io.sluice.engine.plan.IdentityWords.of(
                                    route.sink().name(),
                                    route.sink().identity(route.spec().options()))));
        } else {
            description.sinkIdentity = identity(sink, definition.sinkOptions());
        }
        description.outputMode = definition.outputMode().name();
        org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan =
                output.queryExecution().analyzed();
        description.stateful = StatefulOperators.in(plan);
        description.state = new ArrayList<>();
        for (StatefulOperators.Operator operator : StatefulOperators.operators(plan)) {
            State state = new State();
            state.keys = operator.keys();
            state.keyTypes = operator.keyTypes();
            state.kept = operator.kept();
            state.keptTypes = operator.keptTypes();
            description.state.add(state);
        }
        description.watermark = StatefulOperators.watermark(plan).orElse(null);
        for (StructField field : output.schema().fields()) {
            description.schema.put(field.name(), field.dataType().simpleString());
        }
        return description;
    }

    private static Map<String, String> identity(Connector connector, Map<String, String> options) {
        return new LinkedHashMap<>(connector.identity(options)); // a description's maps are Jackson's to fill
    }

    /**
     * Every change the checkpoint cannot carry, as problems of the pipeline; none when there is
     * no description yet. Changes the pipeline accepts ({@link CheckpointChange}) are logged
     * as warnings instead.
     */
    public static List<Problem> check(
            String checkpoint,
            Optional<Description> before,
            Description now,
            StreamSink sink,
            String subject,
            java.util.Set<CheckpointChange> accepted) {
        if (before.isEmpty()) {
            return List.of();
        }
        Description then = before.get();
        String prefix = "the checkpoint at " + checkpoint + " belongs to a pipeline ";
        List<Problem> problems = new ArrayList<>();
        if (!then.source.equals(now.source)) {
            problems.add(new Problem(
                    subject,
                    prefix + "that read from source '" + then.source + "', not '" + now.source + "': " + NEW_CHECKPOINT,
                    Part.SOURCE,
                    Part.CONNECTOR));
        } else {
            for (String change : changes(then.sourceIdentity, now.sourceIdentity)) {
                String what = prefix + "whose source '" + now.source + "' read " + change;
                if (accepted.contains(CheckpointChange.SOURCE)) {
                    LOG.warn(
                            "{}: {}; accepted (acceptChanges: source): partitions read before go on from the checkpoint,"
                                    + " new ones from their earliest offsets",
                            subject,
                            what);
                } else {
                    problems.add(new Problem(
                            subject,
                            what + ": Spark cannot carry a checkpoint over to other input without"
                                    + " surprises (partitions no longer read are reported as data lost, new ones are read from their"
                                    + " earliest offsets); " + NEW_CHECKPOINT
                                    + ", or accept it with acceptChanges: [source]",
                            Part.SOURCE,
                            Part.OPTIONS));
                }
            }
        }
        if (!then.sink.equals(now.sink)) {
            problems.add(new Problem(
                    subject,
                    prefix + "that wrote to sink '" + then.sink + "', not '" + now.sink + "': " + NEW_CHECKPOINT,
                    Part.SINK,
                    Part.CONNECTOR));
        } else if (now.sink.equals(io.sluice.engine.plan.FanOut.NAME)) {
            problems.addAll(sinksChanged(then, now, prefix, subject, accepted));
        } else {
            changes(then.sinkIdentity, now.sinkIdentity)
                    .forEach(change -> problems.add(new Problem(
                            subject,
                            prefix
                                    + "whose sink '" + now.sink + "' wrote " + change
                                    + ": the new place would lack everything written before; "
                                    + NEW_CHECKPOINT,
                            Part.SINK,
                            Part.OPTIONS)));
        }
        if (!then.stateful.equals(now.stateful)) {
            problems.add(new Problem(
                    subject,
                    prefix + "with " + words(then.stateful) + ", and this one has " + words(now.stateful)
                            + ": Spark cannot restore state into other stateful operators; " + NEW_CHECKPOINT,
                    Part.TRANSFORMS));
        } else if (!then.stateful.isEmpty() && !then.outputMode.equals(now.outputMode)) {
            problems.add(new Problem(
                    subject,
                    prefix + "with output mode " + then.outputMode + ", not " + now.outputMode
                            + ": a stateful query keeps its output mode; " + NEW_CHECKPOINT,
                    Part.OUTPUT_MODE));
        } else if (then.state != null && now.state != null && then.state.size() == now.state.size()) {
            problems.addAll(stateChanges(prefix, subject, then, now));
        }
        if (sink.schemaIsPermanent() && then.sink.equals(now.sink)) {
            then.schema.forEach((column, type) -> {
                String current = now.schema.get(column);
                if (current != null && !current.equals(type)) {
                    String what =
                            prefix + "whose column '" + column + "' was " + type + ", and it is " + current + " now";
                    if (accepted.contains(CheckpointChange.SCHEMA)) {
                        LOG.warn(
                                "{}: {}; accepted (acceptChanges: schema): read the files of either type apart",
                                subject,
                                what);
                    } else {
                        problems.add(new Problem(
                                subject,
                                what + ": the files written before could not be read with the new"
                                        + " ones; keep the type (CAST(" + column + " AS "
                                        + type.toUpperCase(java.util.Locale.ROOT)
                                        + ")), or write to a new path with a new checkpointLocation, or accept it with"
                                        + " acceptChanges: [schema] (then read the old and new files apart)",
                                Part.TRANSFORMS));
                    }
                }
            });
        }
        return problems;
    }

    /** What the state of each stateful operator is made of, compared by type, as Spark compares it. */
    private static List<Problem> stateChanges(String prefix, String subject, Description then, Description now) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < then.state.size(); i++) {
            State before = then.state.get(i);
            State after = now.state.get(i);
            String operator = now.stateful.get(i);
            if (!before.keyTypes.equals(after.keyTypes)) {
                problems.add(new Problem(
                        subject,
                        prefix + "with " + operator + " keeping its state by (" + String.join(", ", before.keys)
                                + "), and this one keeps it by (" + String.join(", ", after.keys)
                                + "): Spark cannot restore state kept"
                                + " under other keys; " + NEW_CHECKPOINT,
                        Part.TRANSFORMS));
            } else if (!before.keptTypes.equals(after.keptTypes)) {
                problems.add(new Problem(
                        subject,
                        prefix + "with " + operator + " keeping " + String.join(", ", before.kept)
                                + " per key, and this one keeps " + String.join(", ", after.kept)
                                + ": Spark cannot restore state of"
                                + " another shape; " + NEW_CHECKPOINT,
                        Part.TRANSFORMS));
            }
        }
        if (!now.stateful.isEmpty() && !Objects.equals(then.watermark, now.watermark)) {
            problems.add(new Problem(
                    subject,
                    prefix
                            + (then.watermark == null
                                    ? "without a watermark"
                                    : "with its watermark on '" + then.watermark + "'")
                            + ", and this one has " + (now.watermark == null ? "none" : "it on '" + now.watermark + "'")
                            + ": the checkpoint's watermark and the state it expires belong to the old column; "
                            + NEW_CHECKPOINT,
                    Part.TRANSFORMS));
        }
        return problems;
    }

    /**
     * The description in force for a checkpoint: the one a batch has committed under. A pending
     * description (written by a start) becomes it once a batch committed after that start —
     * and only then, so a start that was refused or failed before its first commit never
     * changes what the checkpoint says.
     */
    public static Optional<Description> inForce(SparkSession spark, String checkpoint) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Optional<Pending> pending = read(hadoop, new Path(checkpoint, PENDING), Pending.class);
        if (pending.isPresent() && CheckpointLog.read(hadoop, checkpoint).committedAfter(pending.get().since)) {
            write(hadoop, new Path(checkpoint, FILE), pending.get().description);
            delete(hadoop, new Path(checkpoint, PENDING));
            return Optional.of(pending.get().description);
        }
        return read(hadoop, new Path(checkpoint, FILE), Description.class);
    }

    /**
     * Records what the checkpoint will be about once a batch of this start commits: pending,
     * with the last batch committed before the query started ({@code log}); nothing when it
     * is what is in force already.
     */
    public static void recordPending(
            SparkSession spark, String checkpoint, Description now, Optional<Description> inForce, CheckpointLog log) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (inForce.isPresent() && JSON.valueToTree(inForce.get()).equals(JSON.valueToTree(now))) {
            delete(hadoop, new Path(checkpoint, PENDING));
            return;
        }
        Pending pending = new Pending();
        pending.since = log.lastCommitted().orElse(-1);
        pending.description = now;
        write(hadoop, new Path(checkpoint, PENDING), pending);
    }

    /** Whole or not at all, as Spark's own checkpoint files: a kill mid-write leaves the last record, not half of one. */
    private static void write(org.apache.hadoop.conf.Configuration hadoop, Path path, Object value) {
        try {
            LocalCheckpointFiles.writeAtomically(
                    hadoop, path, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pipeline's description to " + path, e);
        }
    }

    private static void delete(org.apache.hadoop.conf.Configuration hadoop, Path path) {
        try {
            path.getFileSystem(hadoop).delete(path, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static <T> Optional<T> read(org.apache.hadoop.conf.Configuration hadoop, Path path, Class<T> type) {
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(path)) {
                return Optional.of(JSON.readValue(in, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pipeline's description at " + path, e);
        }
    }

    /**
     * The sinks of a pipeline with several, by name: one that moved is refused; one added or
     * removed is refused unless the pipeline accepts it ({@code acceptChanges: [sinks]}).
     */
    private static List<Problem> sinksChanged(
            Description then,
            Description now,
            String prefix,
            String subject,
            java.util.Set<CheckpointChange> accepted) {
        List<Problem> problems = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(then.sinkIdentity.keySet());
        names.addAll(now.sinkIdentity.keySet());
        for (String name : names) {
            String before = then.sinkIdentity.get(name);
            String after = now.sinkIdentity.get(name);
            if (before != null && after != null && !before.equals(after)) {
                problems.add(new Problem(
                        subject,
                        prefix + "whose sink '" + name + "' wrote to " + before + ", now " + after
                                + ": the new place would lack everything written before; " + NEW_CHECKPOINT
                                + ", or give the sink another name (a new sink, accepted with acceptChanges: [sinks])",
                        Part.SINKS));
            } else if (before == null || after == null) {
                String what = prefix
                        + (before == null
                                ? "without sink '" + name + "' (" + after
                                        + "), which would get the batches from the next on"
                                : "with sink '" + name + "' (" + before + "), which would get no batch more");
                if (accepted.contains(CheckpointChange.SINKS)) {
                    LOG.warn("{}: {}; accepted (acceptChanges: sinks)", subject, what);
                } else {
                    problems.add(new Problem(
                            subject,
                            what + ": accept it with acceptChanges: [sinks], or " + NEW_CHECKPOINT,
                            Part.SINKS));
                }
            }
        }
        return problems;
    }

    private static List<String> changes(Map<String, String> then, Map<String, String> now) {
        List<String> changes = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(then.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            String before = then.get(key);
            String after = now.get(key);
            if (!Objects.equals(before, after)) {
                changes.add("with '" + key + "' = " + quoted(before) + ", now " + quoted(after));
            }
        }
        return changes;
    }

    private static String quoted(String value) {
        return value == null ? "unset" : "'" + value + "'";
    }

    private static String words(List<String> stateful) {
        return stateful.isEmpty() ? "no stateful operator" : String.join(" and ", stateful);
    }
}
