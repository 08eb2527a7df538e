package io.sluice.cli;

import io.sluice.engine.Sluice;
import io.sluice.engine.checkpoint.CheckpointReport;
import io.sluice.engine.checkpoint.CheckpointRewind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice checkpoint}: what a pipeline's checkpoint holds, and moving where it reads next. */
@Command(
        name = "checkpoint",
        mixinStandardHelpOptions = true,
        header = "Shows a pipeline's checkpoint, or rewinds where it reads next.",
        description = "Operates on a stopped (or, for show, running) pipeline's checkpoint: see docs/operations.md.",
        subcommands = {CheckpointCommand.Show.class, CheckpointCommand.Rewind.class})
final class CheckpointCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sluice checkpoint: say what to do: show or rewind");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code sluice checkpoint show}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            header = "What a checkpoint holds: batches, where the next one reads, lag, state, the sink's log, history.",
            description = {
                "Reads a checkpoint without starting a query. Given the pipeline file, also asks the source's system",
                "how far behind the checkpoint is. Exit 0, or 2 when there is nothing to show."
            })
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE|DIR", description = "A pipeline file, or a checkpoint directory")
        Path path;

        @Mixin
        PipelineName pipeline;

        @Option(names = "--json", description = "Print the report as JSON")
        boolean json;

        @Mixin
        FileOptions fileOptions;

        @Override
        public Integer call() throws Exception {
            Optional<CheckpointOf> of = CheckpointOf.resolve(spec, path, pipeline.get(), fileOptions, false);
            if (of.isEmpty()) {
                return 2;
            }
            Sluice sluice = Sessions.forChecking(of.get().settings());
            CheckpointReport report = CheckpointReport.read(
                    sluice.spark(),
                    of.get().checkpoint(),
                    of.get().source(),
                    of.get().options());
            PrintWriter out = spec.commandLine().getOut();
            Secrets secrets = Secrets.of(of.get().files(), sluice.connectors());
            out.print(secrets.mask(
                    json
                            ? Catalogue.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report.data()) + "\n"
                            : report.text()));
            out.flush();
            return 0;
        }
    }

    /** {@code sluice checkpoint rewind}. */
    @Command(
            name = "rewind",
            mixinStandardHelpOptions = true,
            header = "Moves where a stopped pipeline's next batch reads from.",
            description = {
                "Replaces the source's offsets the next batch starts from — as Spark writes them — after copying what",
                "it changes to _sluice/backups/ in the checkpoint, and records it in the checkpoint's history",
                "(sluice checkpoint show). Exit 0 when rewound, 1 when refused (nothing changed), 2 for a usage error."
            })
    static final class Rewind implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The pipeline file")
        Path path;

        @Mixin
        PipelineName pipeline;

        @ArgGroup(multiplicity = "1")
        Where where;

        static final class Where {
            @Option(
                    names = "--to-timestamp",
                    paramLabel = "TIME",
                    required = true,
                    description = "The first record at or after TIME (2026-12-07T10:00:00Z) in each partition")
            String timestamp;

            @Option(
                    names = "--to-offsets",
                    paramLabel = "JSON",
                    required = true,
                    description =
                            "Offsets as the source writes them: {\"orders\":{\"0\":120,\"1\":-2}} (-2 earliest, -1 latest)")
            String offsets;

            @Option(names = "--to-latest", required = true, description = "The latest: skip everything not yet read")
            boolean latest;
        }

        @Option(
                names = "--keep-state",
                description =
                        "For a pipeline that keeps state: keep it as it is (records read again count into it again)")
        boolean keepState;

        @Option(
                names = "--force",
                description = "The pipeline noted as running on another host is gone (killed): rewind all the same")
        boolean force;

        @Mixin
        FileOptions fileOptions;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            CheckpointRewind.Target target;
            if (where.latest) {
                target = new CheckpointRewind.ToLatest();
            } else if (where.timestamp != null) {
                try {
                    target = new CheckpointRewind.ToTime(Instant.parse(where.timestamp.trim()));
                } catch (DateTimeParseException e) {
                    err.println("sluice checkpoint rewind: --to-timestamp '" + where.timestamp
                            + "' is not an instant: write it as 2026-12-07T10:00:00Z");
                    err.flush();
                    return 2;
                }
            } else {
                target = new CheckpointRewind.ToOffsets(where.offsets);
            }
            Optional<CheckpointOf> of = CheckpointOf.resolve(spec, path, pipeline.get(), fileOptions, true);
            if (of.isEmpty()) {
                return 2;
            }
            Sluice sluice = Sessions.forChecking(of.get().settings());
            Secrets secrets = Secrets.of(of.get().files(), sluice.connectors());
            CheckpointRewind.Result result;
            try {
                result = CheckpointRewind.rewind(
                        sluice.spark(),
                        of.get().definition().orElseThrow(),
                        of.get().source().orElseThrow(),
                        of.get().options().orElseThrow(),
                        of.get().sink().orElseThrow(),
                        of.get().sinkOptions().orElseThrow(),
                        target,
                        keepState,
                        force);
            } catch (CheckpointRewind.RefusedException e) {
                err.println("sluice checkpoint rewind: " + secrets.mask(e.getMessage()) + " (nothing was changed)");
                err.flush();
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(secrets.mask(of.get().definition().orElseThrow().subject() + ": rewound"
                    + result.inFlight().map(what -> " (" + what + ")").orElse("")
                    + ": the next batch reads from " + result.after() + " (was " + result.before()
                    + "); a copy of what changed is in " + result.backup()));
            out.flush();
            return 0;
        }
    }
}
