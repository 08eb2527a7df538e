package io.sluice.engine.pipeline;

import io.sluice.core.Connector;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.plan.OutputModeCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a ready plan's connectors make against the outside world just before start
 * ({@code StreamSource.preflight}, {@code StreamSink.preflight}): validation stays offline,
 * and a failure here is still a problem in words, reported before any query exists.
 */
final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

    private Preflight() {}

    /** With {@code sourceSystem} false (a test's fixture feeds the source) the source's system is not asked. */
    static List<Problem> check(PipelinePlan.Ready ready, boolean sourceSystem) {
        List<Problem> problems = new ArrayList<>();
        if (sourceSystem) {
            run(
                    ready.source(),
                    Part.SOURCE,
                    () -> ready.source().preflight(ready.sourceContext(), ready.sourceOptions()),
                    problems);
        }
        run(
                ready.sink(),
                Part.SINK,
                () -> ready.sink()
                        .preflight(
                                ready.sinkContext(),
                                ready.sinkOptions(),
                                ready.output().schema()),
                problems);
        return problems;
    }

    /** A check that throws (a cluster that does not answer) is a problem too: its message, the trace in the log. */
    private static void run(Connector connector, Part part, Supplier<List<String>> check, List<Problem> problems) {
        String subject = connector.kind().subject(connector.name());
        try {
            check.get().forEach(message -> problems.add(new Problem(subject, message, part)));
        } catch (RuntimeException e) {
            LOG.warn("{}: the check before start failed", subject, e);
            problems.add(new Problem(
                    subject,
                    "cannot check it before start: " + OutputModeCheck.firstLine(String.valueOf(e.getMessage())),
                    part));
        }
    }
}
