package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.OptionType;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.metrics.MetricsEndpoint;
import io.sluice.engine.metrics.MetricsSettings;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.plan.Declarations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code sluice run}: validates the files, starts every pipeline in one Spark application,
 * prints a progress line per batch, and ends when they all end, when one fails (exit 1, one
 * short message), or when it is told to stop (SIGTERM, Ctrl-C: a graceful stop, exit 0).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        header = "Runs the pipelines of the files, locally or on a cluster under spark-submit.",
        description = {
            "Runs the pipelines of the files together: locally on every core by default, or on the cluster",
            "when launched by spark-submit. SIGTERM or Ctrl-C stops gracefully (the batch in flight is committed);",
            "a second signal, or --stop-timeout, stops at once."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files (YAML)")
    List<Path> files;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[4] or spark://host:7077 (default: local[*], or spark-submit's)")
    String master;

    @Option(
            names = "--stop-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long a graceful stop may wait for the batch in flight (default: ${DEFAULT-VALUE})")
    Duration stopTimeout;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve /metrics (Prometheus), /live, /ready and /status on this port (0: any free one);"
                    + " wins over the files' metrics: block. On loopback unless the block sets a host.")
    Integer metricsPort;

    @Option(
            names = "--progress-log",
            paramLabel = "FILE",
            description = "Append each batch's progress to FILE, one JSON object per line")
    Path progressLog;

    @Option(
            names = "--verbose",
            description = "Print a failure's stack trace, not only its message, and Spark's and Kafka's warnings")
    boolean verbose;

    @Option(
            names = "--full-refresh",
            description = "Start over: move each pipeline's checkpoint aside and empty its sink in one step (Delta),"
                    + " then read from startingOffsets")
    boolean fullRefresh;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() throws Exception {
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PipelineFile> loaded = fileOptions.load(files);
        int unused = fileOptions.checkUnused(spec, loaded);
        if (unused != 0) {
            return unused;
        }
        // what needs no session first: on a cluster, a session registers an application
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        Secrets early = Secrets.of(loaded, registry);
        List<FileProblem> declared = new java.util.ArrayList<>(Checked.declarations(loaded, registry));
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            err.println("sluice run: --metrics-port " + metricsPort + " is not a port: give 1 to 65535, or 0 for any"
                    + " free one; nothing was started");
            err.flush();
            return 2;
        }
        Optional<MetricsSettings> metrics = FileOptions.metrics(loaded, Optional.ofNullable(metricsPort), declared);
        if (!declared.isEmpty()) {
            return report(masked(declared, early), err);
        }
        Map<String, String> settings = fileOptions.sparkSettings(loaded);
        if (master != null) {
            settings.put("spark.master", master);
        }
        extraJars.sparkJars().ifPresent(jars -> settings.merge("spark.jars", jars, (a, b) -> a + "," + b));
        Optional<String> noMaster =
                MasterCheck.unreachable(settings.getOrDefault("spark.master", System.getProperty("spark.master")));
        if (noMaster.isPresent()) {
            err.println("sluice run: " + noMaster.get() + "; nothing was started");
            err.flush();
            return 1;
        }
        Sluice sluice = Sessions.forRunning(settings);
        Secrets secrets = Secrets.of(loaded, sluice.connectors());
        Checked.Plans plans = Checked.plan(loaded, sluice);
        List<FileProblem> problems = plans.problems();
        if (!problems.isEmpty()) {
            return report(masked(problems, secrets), err);
        }
        if (fullRefresh && !refreshed(plans, sluice, secrets, out, err)) {
            sluice.close();
            return 1;
        }
        try {
            metrics.ifPresent(chosen -> {
                MetricsEndpoint endpoint = sluice.serveMetrics(chosen);
                out.println("metrics at " + endpoint.url() + " (health: /live, /ready, /status)");
                out.flush();
            });
            if (progressLog != null) {
                sluice.logProgress(progressLog);
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            err.println("sluice run: " + e.getMessage() + "; nothing was started");
            err.flush();
            sluice.close();
            return 1;
        }
        Runner runner = new Runner(out, err, secrets, verbose);
        Signal.handle(new Signal("TERM"), signal -> runner.requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> runner.requestStop("SIGINT"));
        try (ProgressReporter progress = ProgressReporter.attach(sluice.spark(), line -> {
            out.println(line);
            out.flush();
        })) {
            plans.plans().forEach(progress::follow);
            return runner.run(plans, progress::follow, stopTimeout);
        } catch (Runner.Refused refused) {
            // the checks before start: placed and worded as validation's problems, whichever pipeline they stopped
            return report(masked(Checked.placed(loaded, plans, refused.index(), refused.problems()), secrets), err);
        } catch (ValidationException e) {
            err.println("sluice: " + secrets.mask(e.getMessage()));
            return 1;
        } finally {
            sluice.close();
        }
    }

    /** {@code --full-refresh}: every pipeline refreshed, or none when one cannot be (said, nothing changed). */
    private static boolean refreshed(
            Checked.Plans plans, Sluice sluice, Secrets secrets, PrintWriter out, PrintWriter err) {
        record Refreshed(io.sluice.engine.plan.PipelineDefinition definition, Declarations declared) {}
        List<Refreshed> pipelines = plans.filePipelines().stream()
                .map(PipelineFile.FilePipeline::definition)
                .map(definition -> new Refreshed(definition, Declarations.check(sluice.connectors(), definition)))
                .toList();
        List<String> refused = new java.util.ArrayList<>();
        for (Refreshed pipeline : pipelines) {
            io.sluice.engine.checkpoint.FullRefresh.refusal(
                            sluice.spark(),
                            pipeline.definition(),
                            pipeline.declared().sink().orElseThrow(),
                            pipeline.declared().sinkOptions().orElseThrow())
                    .ifPresent(refused::add);
        }
        if (!refused.isEmpty()) {
            refused.forEach(why -> err.println("sluice run: " + secrets.mask(why)));
            err.println("sluice run --full-refresh: nothing was changed, nothing was started");
            err.flush();
            return false;
        }
        for (Refreshed pipeline : pipelines) {
            out.println(secrets.mask(io.sluice.engine.checkpoint.FullRefresh.refresh(
                    sluice.spark(),
                    pipeline.definition(),
                    pipeline.declared().sink().orElseThrow(),
                    pipeline.declared().sinkOptions().orElseThrow())));
        }
        out.flush();
        return true;
    }

    private static List<FileProblem> masked(List<FileProblem> problems, Secrets secrets) {
        return problems.stream()
                .map(p -> new FileProblem(p.file(), p.position(), p.subject(), secrets.mask(p.message())))
                .toList();
    }

    private static int report(List<FileProblem> problems, PrintWriter err) {
        problems.forEach(err::println);
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ": nothing was started");
        err.flush();
        return 1;
    }

    /** Durations as pipeline options spell them: {@code 30s}, {@code 2 minutes}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return OptionType.DURATION.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not " + OptionType.DURATION.expectation());
            }
        }
    }
}
