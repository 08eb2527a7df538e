package io.sluice.engine.checkpoint;

import static java.util.Objects.requireNonNull;

import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.plan.PipelineDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sluice run --full-refresh}: a pipeline started over — its checkpoint moved aside (kept,
 * beside it, for whoever wants to look back) and what its sink wrote emptied in one atomic step,
 * so the next start reads from the source's {@code startingOffsets} into an empty sink. Only a
 * sink that can empty itself atomically takes part (a Delta table, in one commit: readers see
 * the old rows or none, never a part); for another the refresh is refused with the way that
 * works. Run again after a failure in the middle it finishes what was left: a checkpoint
 * already moved is not there to move, and emptying an empty table changes nothing.
 */
public final class FullRefresh {
    /** Why a sink that cannot be emptied at once is not refreshed, and what works instead. */
    private static final String WHY = "readers would see it part-deleted): write to a new place with a new"
            + " checkpointLocation instead, then switch readers to it";

    private FullRefresh() {}

    /** Why {@code definition} cannot be refreshed, in words; empty when it can. Nothing is changed. */
    public static Optional<String> refusal(
            SparkSession spark, PipelineDefinition definition, StreamSink sink, ConnectorOptions sinkOptions) {
        requireNonNull(spark, "spark is null");
        requireNonNull(definition, "definition is null");
        String subject = definition.subject();
        if (sink instanceof io.sluice.engine.plan.FanOut fanOut) {
            List<String> cannot = fanOut.notEmptiedAtomically();
            if (!cannot.isEmpty()) {
                return Optional.of(subject + ": --full-refresh empties the sinks before starting over, and "
                        + (cannot.size() == 1 ? "sink " : "sinks ")
                        + cannot.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "))
                        + " cannot be emptied in one step (" + WHY);
            }
        } else if (!sink.emptiesAtomically(sinkOptions)) {
            return Optional.of(subject + ": --full-refresh empties the sink before starting over, and sink '"
                    + sink.name() + "' cannot be emptied in one step (" + WHY);
        }
        Optional<String> checkpoint = definition.checkpoint();
        if (checkpoint.isPresent()) {
            Optional<RunMarker.Runner> runner = RunMarker.runner(spark, checkpoint.get());
            if (runner.isPresent()) {
                return Optional.of(subject + ": " + runner.get().words() + ": stop it before refreshing it");
            }
        }
        return Optional.empty();
    }

    /** Starts {@code definition} over: its checkpoint moved aside, its sink emptied. What was done, in words. */
    public static String refresh(
            SparkSession spark, PipelineDefinition definition, StreamSink sink, ConnectorOptions sinkOptions) {
        requireNonNull(spark, "spark is null");
        StringBuilder done = new StringBuilder(definition.subject()).append(": full refresh: ");
        Optional<String> checkpoint = definition.checkpoint();
        if (checkpoint.isPresent()) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            Path from = new Path(checkpoint.get());
            Path to = new Path(checkpoint.get() + "-before-full-refresh-"
                    + Instant.now().toString().replace(":", "-"));
            try {
                FileSystem fs = from.getFileSystem(hadoop);
                if (fs.exists(from)) {
                    if (!fs.rename(from, to)) {
                        throw new IOException("the file system refused to rename it");
                    }
                    done.append("the checkpoint moved to ").append(to).append("; ");
                } else {
                    done.append("no checkpoint yet; ");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the checkpoint " + from + " aside to " + to, e);
            }
        }
        done.append(sink.emptyAtomically(spark, sinkOptions)).append("; it reads again from its startingOffsets");
        return done.toString();
    }
}
