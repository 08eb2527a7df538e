package io.sluice.cli;

import io.sluice.core.option.OptionType;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.engine.pipeline.PipelinePlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of pipelines as one: starts them, watches them, and ends them together — when
 * all have ended by themselves, when one fails (the others are stopped and the failure is
 * reported in one message), or when a stop is requested (a graceful stop of all).
 */
final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    /** A failure's trace: the log file's (the console has the one line the command prints). */
    static final Logger TRACES = LoggerFactory.getLogger("io.sluice.cli.traces");
    /** As many rows as the console sink prints per batch by default. */
    private static final int SHOWN_ROWS = 20;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Secrets secrets;
    private final boolean verbose;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile List<PipelineHandle> running = List.of();

    Runner(PrintWriter out, PrintWriter err, Secrets secrets, boolean verbose) {
        this.out = out;
        this.err = err;
        this.secrets = secrets;
        this.verbose = verbose;
    }

    /** Asks for a graceful stop; asked twice, stops at once. Safe from a signal handler's thread. */
    void requestStop(String why) {
        if (signals.incrementAndGet() == 1) {
            err.println("sluice: " + why + " received: stopping after the batch in flight (again to stop at once)");
            err.flush();
            stopRequested.countDown();
        } else {
            err.println("sluice: " + why + " received again: stopping at once");
            err.flush();
            running.forEach(Runner::stopQuietly);
        }
    }

    /** Starts the pipelines from their plans (planned once, by the caller's validation) and waits; returns the exit code. */
    int run(List<Pipeline> pipelines, List<PipelinePlan> plans, Duration stopTimeout) throws InterruptedException {
        List<PipelineHandle> handles = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            Pipeline pipeline = pipelines.get(i);
            try {
                handles.add(pipeline.start(plans.get(i)));
            } catch (ValidationException e) {
                handles.forEach(Runner::stopQuietly);
                throw new Refused(i, e);
            } catch (
                    Exception
                            e) { // Spark throws undeclared checked exceptions (an IOException of Hadoop's) from start()
                handles.forEach(Runner::stopQuietly);
                TRACES.error(
                        "pipeline '{}' could not start", pipeline.definition().name(), e);
                err.println("sluice: pipeline '" + pipeline.definition().name() + "' could not start: "
                        + secrets.mask(pipeline.describeFailure(e)));
                printTrace(e);
                return 1;
            }
            running = List.copyOf(handles);
            out.println("started pipeline '" + pipeline.definition().name() + "' ("
                    + pipeline.definition().sourceName()
                    + " -> " + pipeline.definition().sinksInWords() + ")"
                    + handles.get(handles.size() - 1)
                            .resumption()
                            .map(r -> ", " + r)
                            .orElse("")
                    + (keptInProcess(pipeline)
                            ? ": its rows stay in this process, in the table '"
                                    + handles.get(handles.size() - 1).name() + "', and are printed when the run ends"
                            : ""));
            out.flush();
        }
        try {
            return watch(handles, pipelines, stopTimeout);
        } finally {
            printTables(handles, pipelines);
        }
    }

    private int watch(List<PipelineHandle> handles, List<Pipeline> pipelines, Duration stopTimeout)
            throws InterruptedException {
        int[] told = new int[handles.size()];
        while (true) {
            for (int i = 0; i < handles.size(); i++) { // a restart a pipeline made by itself is one line
                List<String> restarts = handles.get(i).restarts();
                for (; told[i] < restarts.size(); told[i]++) {
                    out.println(secrets.mask(restarts.get(told[i])));
                    out.flush();
                }
            }
            Optional<Failure> failure = failure(handles, pipelines);
            if (failure.isPresent()) {
                handles.forEach(Runner::stopQuietly);
                return fail(failure.get());
            }
            if (handles.stream().noneMatch(PipelineHandle::isActive)) {
                out.println("all pipelines finished");
                out.flush();
                return 0;
            }
            if (stopRequested.await(200, TimeUnit.MILLISECONDS)) {
                return stop(handles, pipelines, stopTimeout);
            }
        }
    }

    private int stop(List<PipelineHandle> handles, List<Pipeline> pipelines, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean graceful = true;
        for (PipelineHandle handle : handles) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            graceful &= handle.stopGracefully(left);
        }
        Optional<Failure> failure = failure(handles, pipelines);
        if (failure.isPresent()) {
            return fail(failure.get());
        }
        List<String> interrupted = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            PipelineHandle handle = handles.get(i);
            String name = pipelines.get(i).definition().name();
            handle.interruptedBatch()
                    .ifPresent(batch -> interrupted.add("batch " + batch + " of pipeline '" + name
                            + "' was interrupted and "
                            + (handle.temporaryCheckpoint()
                                    ? "is lost with its temporary checkpoint (a restart starts over)"
                                    : "will be redone on restart")));
        }
        if (graceful && signals.get() < 2 && interrupted.isEmpty()) {
            out.println("stopped gracefully: every batch that started was committed");
        } else {
            String how = signals.get() >= 2
                    ? "stopped at once on the second signal"
                    : graceful
                            ? "stopped as a batch started"
                            : "stopped at once after " + OptionType.DURATION.format(timeout) + " (--stop-timeout)";
            out.println(how + ": "
                    + (interrupted.isEmpty()
                            ? "no batch was in flight, nothing will be redone"
                            : String.join("; ", interrupted)));
        }
        out.flush();
        return 0;
    }

    /** The memory sink keeps its rows in this process, which ends with the run: they are shown before it does. */
    private static boolean keptInProcess(Pipeline pipeline) {
        return pipeline.definition().sinks().stream()
                .anyMatch(sink -> sink.connector().equals("memory"));
    }

    private void printTables(List<PipelineHandle> handles, List<Pipeline> pipelines) {
        for (int i = 0; i < handles.size(); i++) {
            if (!keptInProcess(pipelines.get(i))) {
                continue;
            }
            String table = handles.get(i).name();
            try {
                org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows =
                        handles.get(i).query().sparkSession().table(table);
                long count = rows.count();
                out.println("rows of pipeline '" + pipelines.get(i).definition().name() + "' (table '" + table + "', "
                        + count + (count == 1 ? " row" : " rows")
                        + (count > SHOWN_ROWS ? ", the first " + SHOWN_ROWS + " shown" : "") + "):");
                out.print(((org.apache.spark.sql.classic.Dataset<org.apache.spark.sql.Row>) rows)
                        .showString(SHOWN_ROWS, 20, false));
            } catch (RuntimeException e) {
                LOG.warn("could not read the memory table '{}'", table, e);
                out.println(
                        "the rows of pipeline '" + pipelines.get(i).definition().name() + "' cannot be shown: "
                                + secrets.mask(String.valueOf(e.getMessage())
                                        .lines()
                                        .findFirst()
                                        .orElse("")));
            }
            out.flush();
        }
    }

    /** The checks before start refused pipeline {@code index} (those started before it were stopped). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final transient ValidationException refusal;

        Refused(int index, ValidationException refusal) {
            super(refusal.getMessage(), refusal);
            this.index = index;
            this.refusal = refusal;
        }

        int index() {
            return index;
        }

        List<io.sluice.engine.definition.Problem> problems() {
            return refusal.problems();
        }
    }

    private record Failure(String pipeline, PipelineHandle handle, StreamingQueryException exception) {}

    private static Optional<Failure> failure(List<PipelineHandle> handles, List<Pipeline> pipelines) {
        for (int i = 0; i < handles.size(); i++) {
            Optional<StreamingQueryException> exception = handles.get(i).exception();
            if (exception.isPresent()) {
                return Optional.of(new Failure(pipelines.get(i).definition().name(), handles.get(i), exception.get()));
            }
        }
        return Optional.empty();
    }

    private int fail(Failure failure) {
        TRACES.error("pipeline '{}' failed", failure.pipeline(), failure.exception());
        err.println("sluice: pipeline '" + failure.pipeline() + "' failed: "
                + secrets.mask(failure.handle().failureMessage().orElseThrow()));
        printTrace(failure.exception());
        return 1;
    }

    /** With --verbose the trace (secrets masked); otherwise where to find it. */
    private void printTrace(Throwable error) {
        if (verbose) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            err.println(secrets.mask(trace.toString()));
        } else {
            err.println("the stack trace is in the log"
                    + Main.logFile().map(f -> " (" + f + ")").orElse("") + "; run with --verbose to print it here");
        }
        err.flush();
    }

    private static void stopQuietly(PipelineHandle handle) {
        try {
            handle.stop();
        } catch (RuntimeException e) {
            LOG.warn("could not stop pipeline query '{}' cleanly", handle.name(), e);
        }
    }
}
