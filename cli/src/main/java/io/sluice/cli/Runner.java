package io.sluice.cli;

import io.sluice.core.option.OptionType;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.graph.PipelineGraph;
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

    /**
     * Starts the pipelines and waits; returns the exit code. A pipeline that reads what another
     * of the run writes starts after it: once it has finished (availableNow, once), so one
     * command backfills a chain, or once it has written a batch (a continuous trigger), so the
     * place exists. A pipeline whose plan was checked against its upstream's columns is planned
     * again as it starts; {@code follow} is told of every plan that starts.
     */
    int run(Checked.Plans plans, java.util.function.Consumer<PipelinePlan> follow, Duration stopTimeout)
            throws InterruptedException {
        PipelineHandle[] handles = new PipelineHandle[plans.pipelines().size()];
        try {
            return run(plans, follow, stopTimeout, handles);
        } finally {
            printTables(started(handles), startedPipelines(handles, plans.pipelines()));
        }
    }

    private int run(
            Checked.Plans plans,
            java.util.function.Consumer<PipelinePlan> follow,
            Duration stopTimeout,
            PipelineHandle[] handles)
            throws InterruptedException {
        List<Pipeline> pipelines = plans.pipelines();
        PipelineGraph graph = plans.graph();
        List<Integer> waiting = new ArrayList<>(graph.positions());
        int[] told = new int[handles.length];
        while (true) {
            for (java.util.Iterator<Integer> next = waiting.iterator(); next.hasNext(); ) {
                int i = next.next();
                Optional<String> after = ready(i, plans, handles);
                if (after.isEmpty()) {
                    continue;
                }
                next.remove();
                Optional<Integer> failed = start(i, plans, follow, handles, after.get());
                if (failed.isPresent()) {
                    stopAll(handles, stopTimeout);
                    return failed.get();
                }
            }
            for (int i = 0; i < handles.length; i++) { // a restart a pipeline made by itself is one line
                if (handles[i] == null) {
                    continue;
                }
                List<String> restarts = handles[i].restarts();
                for (; told[i] < restarts.size(); told[i]++) {
                    out.println(secrets.mask(restarts.get(told[i])));
                    out.flush();
                }
            }
            Optional<Failure> failure = failure(started(handles), startedPipelines(handles, pipelines));
            if (failure.isPresent()) {
                stopAll(handles, stopTimeout);
                int code = fail(failure.get());
                chain(failure.get().pipeline(), graph, handles, pipelines);
                return code;
            }
            if (waiting.isEmpty() && java.util.Arrays.stream(handles).noneMatch(PipelineHandle::isActive)) {
                out.println("all pipelines finished");
                out.flush();
                return 0;
            }
            if (stopRequested.await(200, TimeUnit.MILLISECONDS)) {
                for (int i : waiting) {
                    out.println("pipeline '" + pipelines.get(i).definition().name() + "' was not started (it waits for "
                            + quoted(
                                    graph.upstream(pipelines.get(i).definition().name())) + ")");
                }
                return stop(started(handles), startedPipelines(handles, pipelines), stopTimeout);
            }
        }
    }

    /**
     * Whether pipeline {@code i} can start, and if so after what, in words ("" for a pipeline
     * nothing feeds); empty while an upstream has not finished or written.
     */
    private static Optional<String> ready(int i, Checked.Plans plans, PipelineHandle[] handles) {
        List<PipelineGraph.Edge> into =
                plans.graph().into(plans.pipelines().get(i).definition().name());
        List<String> why = new ArrayList<>();
        for (PipelineGraph.Edge edge : into) {
            int up = plans.graph().position(edge.upstream());
            PipelineHandle upstream = handles[up];
            if (upstream == null || upstream.exception().isPresent()) {
                return Optional.empty();
            }
            if (!upstream.isActive()) {
                why.add("'" + edge.upstream() + "' finished");
            } else if (!finite(plans.pipelines().get(up)) && upstream.committedBefore()) {
                why.add("'" + edge.upstream() + "' resumed");
            } else if (!finite(plans.pipelines().get(up)) && wrote(upstream)) {
                why.add("'" + edge.upstream() + "' wrote its first batch");
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(why.isEmpty() ? "" : ", after " + String.join(" and ", new java.util.LinkedHashSet<>(why)));
    }

    /** Starts pipeline {@code i}; the exit code when it could not start. */
    private Optional<Integer> start(
            int i,
            Checked.Plans plans,
            java.util.function.Consumer<PipelinePlan> follow,
            PipelineHandle[] handles,
            String after) {
        Pipeline pipeline = plans.pipelines().get(i);
        PipelineHandle handle;
        try {
            boolean againstUpstream = plans.plans().get(i).checkedAgainstUpstream();
            PipelinePlan plan = againstUpstream
                    ? pipeline.validate() // its place exists now: planned against it, not its upstream's columns
                    : plans.plans().get(i);
            if (againstUpstream) {
                follow.accept(plan);
            }
            handle = pipeline.start(plan);
        } catch (ValidationException e) {
            stopAll(handles, Duration.ofSeconds(60));
            throw new Refused(i, e);
        } catch (Exception e) { // Spark throws undeclared checked exceptions (an IOException of Hadoop's) from start()
            TRACES.error("pipeline '{}' could not start", pipeline.definition().name(), e);
            err.println("sluice: pipeline '" + pipeline.definition().name() + "' could not start: "
                    + secrets.mask(pipeline.describeFailure(e)));
            printTrace(e);
            return Optional.of(1);
        }
        handles[i] = handle;
        running = started(handles);
        out.println("started pipeline '" + pipeline.definition().name() + "' ("
                + pipeline.definition().sourceName()
                + " -> " + pipeline.definition().sinksInWords() + ")"
                + after
                + handle.resumption().map(r -> ", " + r).orElse("")
                + (keptInProcess(pipeline)
                        ? ": its rows stay in this process, in the table '" + handle.name()
                                + "', and are printed when the run ends"
                        : ""));
        out.flush();
        return Optional.empty();
    }

    /** Whether the pipeline's trigger ends by itself (availableNow, once). */
    private static boolean finite(Pipeline pipeline) {
        io.sluice.core.StreamTrigger.Kind kind = pipeline.definition().trigger().kind();
        return kind == io.sluice.core.StreamTrigger.Kind.AVAILABLE_NOW
                || kind == io.sluice.core.StreamTrigger.Kind.ONCE;
    }

    /** Whether a batch of the query wrote rows: its sink's place exists. */
    private static boolean wrote(PipelineHandle handle) {
        return handle.recentProgress().stream().anyMatch(progress -> progress.numInputRows() > 0);
    }

    private static List<PipelineHandle> started(PipelineHandle[] handles) {
        return java.util.Arrays.stream(handles)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static List<Pipeline> startedPipelines(PipelineHandle[] handles, List<Pipeline> pipelines) {
        List<Pipeline> started = new ArrayList<>();
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] != null) {
                started.add(pipelines.get(i));
            }
        }
        return started;
    }

    /**
     * Every started pipeline stopped after its batch in flight: what reads a failed pipeline's
     * output keeps what it has read whole, and restarts where it stopped.
     */
    private void stopAll(PipelineHandle[] handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PipelineHandle handle : started(handles)) {
            try {
                handle.stopGracefully(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                LOG.warn("could not stop pipeline query '{}' cleanly", handle.name(), e);
                stopQuietly(handle);
            }
        }
    }

    /** What reads a failed pipeline's output, directly or not: stopped after its batch in flight, or never started. */
    private void chain(String failed, PipelineGraph graph, PipelineHandle[] handles, List<Pipeline> pipelines) {
        List<String> dependents = graph.dependents(failed);
        if (dependents.isEmpty()) {
            return;
        }
        List<String> what = new ArrayList<>();
        for (String dependent : dependents) {
            PipelineHandle handle = handles[graph.position(dependent)];
            what.add("'" + dependent + "' "
                    + (handle == null ? "was not started" : "stopped after its batch in flight"));
        }
        err.println("sluice: what reads the output of pipeline '" + failed + "': " + String.join(", ", what) + " ("
                + failed + " → " + String.join(" → ", dependents) + ")");
        err.flush();
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
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
