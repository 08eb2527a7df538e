package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import io.sluice.core.SourcePositions;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.run.CheckpointGuard;
import io.sluice.engine.run.CheckpointLog;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Moves where a stopped pipeline's next batch starts reading: the source's offsets of the last
 * committed batch are replaced in the offset log — the one line of the file Spark reads them
 * from, written back whole as Spark writes it — so the next start plans its first batch from
 * there. A batch planned and not committed (a stop or a failure in the middle) is undone when
 * the sink has not written it (its offsets removed: the next start plans it again, from the new
 * place), and closed at the new place when the sink has (its offsets replaced and a commit
 * written, as Spark would have: a sink that skips a batch it has would skip the replanned one);
 * when the sink cannot tell, the rewind is refused. The files changed are copied first ({@code
 * _sluice/backups/<time>/}), and the rewind is recorded in the checkpoint's history. Refused
 * while the pipeline runs, and for a stateful pipeline unless its state is to be kept as it is
 * (replayed records are then counted into it again).
 */
public final class CheckpointRewind {
    private CheckpointRewind() {}

    /** Where to: the latest records, the records of a time, or offsets as the source writes them. */
    public sealed interface Target {
        /** How the command was asked, for the history: {@code --to-latest}. */
        String words();

        String offsets(SourcePositions positions);
    }

    public record ToLatest() implements Target {
        @Override
        public String words() {
            return "--to-latest";
        }

        @Override
        public String offsets(SourcePositions positions) {
            return positions.latest();
        }
    }

    public record ToTime(Instant time) implements Target {
        public ToTime {
            requireNonNull(time, "time is null");
        }

        @Override
        public String words() {
            return "--to-timestamp " + time;
        }

        @Override
        public String offsets(SourcePositions positions) {
            return positions.at(time);
        }
    }

    public record ToOffsets(String json) implements Target {
        public ToOffsets {
            requireNonNull(json, "json is null");
        }

        @Override
        public String words() {
            return "--to-offsets " + json;
        }

        @Override
        public String offsets(SourcePositions positions) {
            return positions.checked(json);
        }
    }

    /**
     * What a rewind did.
     *
     * @param batch the batch whose end offsets now say where the next batch reads from
     * @param before the source's offsets there before
     * @param after the source's offsets there now
     * @param backup where the changed files were copied
     * @param inFlight what became of a batch planned and not committed, in words: empty when there was none
     */
    public record Result(long batch, String before, String after, String backup, Optional<String> inFlight) {}

    /** Why a rewind was refused, in words: nothing was changed. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * Rewinds {@code definition}'s checkpoint to {@code target}, asking {@code source} where that
     * is; {@code keepState} says a stateful pipeline's state is kept as it is, {@code force} that
     * the note of a run on another host is stale.
     *
     * @throws RefusedException when the rewind is refused, saying why and what to do
     */
    public static Result rewind(
            SparkSession spark,
            PipelineDefinition definition,
            StreamSource source,
            ConnectorOptions options,
            io.sluice.core.StreamSink sink,
            ConnectorOptions sinkOptions,
            Target target,
            boolean keepState,
            boolean force) {
        requireNonNull(spark, "spark is null");
        requireNonNull(definition, "definition is null");
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        requireNonNull(target, "target is null");
        String subject = definition.subject();
        String checkpoint = definition
                .checkpoint()
                .orElseThrow(() -> new RefusedException(subject + " has no checkpointLocation: it starts where its"
                        + " startingOffsets say on every run, so there is nothing to rewind — set startingOffsets"));
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        CheckpointLog log = CheckpointLog.read(hadoop, checkpoint);
        if (log.lastCommitted().isEmpty()) {
            throw new RefusedException(subject + ": the checkpoint at " + checkpoint + " has no committed batch, so"
                    + " the first start reads from startingOffsets: set those instead of rewinding");
        }
        Optional<RunMarker.Runner> runner = RunMarker.runner(spark, checkpoint);
        if (runner.isPresent() && (runner.get().here() || !force)) {
            throw new RefusedException(subject + ": " + runner.get().words() + ": stop the pipeline before rewinding"
                    + " it (a running query would write its next batch over the change)"
                    + (runner.get().here() ? "" : "; if that process is gone (killed), say so with --force"));
        }
        Optional<CheckpointGuard.Description> description = CheckpointGuard.inForce(spark, checkpoint);
        boolean stateful = description.map(d -> !d.stateful.isEmpty()).orElse(false);
        long committed = log.lastCommitted().getAsLong();
        boolean inFlight = log.inFlight().isPresent();
        // a batch in the middle that the sink has written is closed where the rewind goes; one it has not, undone
        boolean close = false;
        if (inFlight) {
            long middle = log.inFlight().getAsLong();
            Optional<Boolean> written = sink.hasWritten(spark, sinkOptions, queryId(hadoop, checkpoint), middle);
            if (written.isEmpty()) {
                throw new RefusedException(subject + ": batch " + middle + " was planned and not committed (the last"
                        + " run stopped in the middle of it), and sink '" + sink.name() + "' cannot say whether it"
                        + " wrote that batch: start the pipeline to finish it, stop it, then rewind");
            }
            close = written.get();
            if (close && stateful) {
                throw new RefusedException(subject + ": batch " + middle + " was written by sink '" + sink.name()
                        + "' and not committed, and the pipeline keeps state ("
                        + String.join(", ", description.get().stateful) + "), which Spark wrote only up to batch "
                        + committed + ": start the pipeline to finish that batch, stop it, then rewind");
            }
        }
        if (stateful && !keepState) {
            throw new RefusedException(subject + " keeps state (" + String.join(", ", description.get().stateful)
                    + "): after a rewind the records read again are counted into that state again — say that is"
                    + " what you want with --keep-state, or start over with a new checkpointLocation (and"
                    + " startingOffsets) for state built from the new place only");
        }
        long batch = close ? log.inFlight().getAsLong() : committed;
        OffsetLogEntry entry = OffsetLogEntry.read(hadoop, checkpoint, batch)
                .orElseThrow(() -> new RefusedException(subject + ": the checkpoint's offset log has no batch "
                        + batch + " (" + OffsetLogEntry.path(checkpoint, batch) + "): it is not a checkpoint Spark"
                        + " wrote whole"));
        if (entry.sources().size() != 1) {
            throw new RefusedException(subject + ": batch " + batch + " of the offset log has "
                    + entry.sources().size() + " sources, where a pipeline has one: is the checkpoint this"
                    + " pipeline's?");
        }
        String after;
        try (SourcePositions positions = source.positions(options)
                .orElseThrow(() -> new RefusedException(subject + ": source '" + source.name() + "' cannot say where"
                        + " its system is, so its checkpoint cannot be rewound: start over with a new"
                        + " checkpointLocation and startingOffsets"))) {
            after = target.offsets(positions);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(subject + ": " + target.words() + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new RefusedException(subject + ": cannot ask source '" + source.name() + "': " + e.getMessage());
        }
        String before = entry.sources().get(0);
        String backup = backup(hadoop, checkpoint, committed, log.inFlight());
        entry.withSource(0, after).write(hadoop, checkpoint, batch);
        Optional<String> middle = Optional.empty();
        if (close) {
            commit(hadoop, checkpoint, committed, batch);
            middle = Optional.of(
                    "batch " + batch + ", written by the sink and not committed, is closed at the new" + " place");
        } else if (inFlight) {
            long undone = log.inFlight().getAsLong();
            CheckpointFiles.delete(hadoop, OffsetLogEntry.path(checkpoint, undone));
            middle = Optional.of("batch " + undone + ", planned and not written, is planned again from the new place");
        }
        CheckpointHistory.Entry record = new CheckpointHistory.Entry();
        record.at = Instant.now().toString();
        record.what = "rewind " + target.words() + (keepState && stateful ? " --keep-state" : "");
        record.batch = batch;
        record.before = before;
        record.after = after;
        record.backup = backup;
        CheckpointHistory.add(hadoop, checkpoint, record);
        return new Result(batch, before, after, backup, middle);
    }

    /** Copies what a rewind may change — the last committed batch's offsets, a planned one's — where the history says. */
    private static String backup(
            Configuration hadoop, String checkpoint, long committed, java.util.OptionalLong inFlight) {
        String stamp = Instant.now().toString().replace(":", "-");
        Path directory = new Path(new Path(checkpoint, "_sluice/backups"), stamp);
        java.util.stream.LongStream.concat(java.util.stream.LongStream.of(committed), inFlight.stream())
                .forEach(batch -> CheckpointFiles.text(hadoop, OffsetLogEntry.path(checkpoint, batch))
                        .ifPresent(text -> CheckpointFiles.write(
                                hadoop, new Path(new Path(directory, "offsets"), String.valueOf(batch)), text)));
        return directory.toString();
    }

    /** Spark's id of the query, kept in the checkpoint's {@code metadata} ({@code {"id":"..."}}). */
    private static String queryId(Configuration hadoop, String checkpoint) {
        String text = CheckpointFiles.text(hadoop, new Path(checkpoint, "metadata"))
                .orElseThrow(() -> new RefusedException("the checkpoint at " + checkpoint + " has no metadata file: it"
                        + " is not a checkpoint Spark wrote whole"));
        try {
            return CheckpointFiles.JSON.readTree(text).path("id").asText();
        } catch (IOException e) {
            throw new RefusedException(
                    "the checkpoint's metadata at " + checkpoint + " is not JSON: " + e.getMessage());
        }
    }

    /** Closes a batch planned and not committed, as Spark closes one: its commit, like the last one's. */
    private static void commit(Configuration hadoop, String checkpoint, long last, long batch) {
        Path commits = new Path(checkpoint, "commits");
        String text = CheckpointFiles.text(hadoop, new Path(commits, String.valueOf(last)))
                .orElse("v1\n{\"nextBatchWatermarkMs\":0}");
        CheckpointFiles.write(hadoop, new Path(commits, String.valueOf(batch)), text);
    }
}
