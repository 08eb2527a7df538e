package io.sluice.cli;

import io.sluice.core.ValidationException;
import io.sluice.core.option.OptionType;
import io.sluice.core.pipeline.FailureCause;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineHandle;
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

    /** Starts the pipelines and waits; returns the process's exit code. */
    int run(List<Pipeline> pipelines, Duration stopTimeout) throws InterruptedException {
        List<PipelineHandle> handles = new ArrayList<>();
        for (Pipeline pipeline : pipelines) {
            try {
                handles.add(pipeline.start());
            } catch (ValidationException e) {
                handles.forEach(Runner::stopQuietly);
                throw e;
            } catch (Exception e) { // Spark throws undeclared checked exceptions (an IOException of Hadoop's) from start()
                handles.forEach(Runner::stopQuietly);
                LOG.error("pipeline '{}' could not start", pipeline.definition().name(), e);
                err.println("sluice: pipeline '" + pipeline.definition().name() + "' could not start: "
                        + secrets.mask(FailureCause.describe(e, Optional.empty())));
                printTrace(e);
                return 1;
            }
            running = List.copyOf(handles);
            out.println("started pipeline '" + pipeline.definition().name() + "' (" + pipeline.definition().sourceName()
                    + " -> " + pipeline.definition().sinkName() + ")");
            out.flush();
        }
        while (true) {
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
        out.println(graceful ? "stopped gracefully: every batch that started was committed"
                : "stopped at once after " + OptionType.DURATION.format(timeout) + ": the batch in flight will be redone on restart");
        out.flush();
        return 0;
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
        LOG.error("pipeline '{}' failed", failure.pipeline(), failure.exception());
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
            err.println("the stack trace is in the log" + Main.logFile().map(f -> " (" + f + ")").orElse("")
                    + "; run with --verbose to print it here");
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
