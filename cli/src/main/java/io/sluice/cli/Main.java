package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command. Exit codes: 0 success, 1 a problem with the pipelines (or a
 * pipeline that failed), 2 a usage error — so scripts and CI can tell them apart.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Declarative streaming pipelines on Apache Spark Structured Streaming.",
        subcommands = {
            ValidateCommand.class,
            RunCommand.class,
            ConnectorsCommand.class,
            ExplainCommand.class,
            GraphCommand.class,
            PreviewCommand.class,
            TestCommand.class,
            SchemaCommand.class,
            CheckpointCommand.class,
            StateCommand.class,
            DevCommand.class
        })
public final class Main implements Callable<Integer> {
    /** Where the full log (with stack traces) goes when the command runs outside spark-submit. */
    static final String LOG_FILE_PROPERTY = "sluice.log.file";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        configureLogging(args);
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sluice's handlers; tests call it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine command = new CommandLine(new Main());
        command.setCaseInsensitiveEnumValuesAllowed(true);
        command.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Logger log = LoggerFactory.getLogger(Main.class);
            log.error("sluice {} failed", cmd.getCommandName(), e);
            cmd.getErr()
                    .println("sluice " + cmd.getCommandName() + ": unexpected error: " + e
                            + " (the stack trace is in the log"
                            + logFile().map(f -> ", " + f).orElse("") + ")");
            return 1;
        });
        return command;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sluice: name a command: validate, run, connectors, explain, preview, test, schema or dev");
        spec.commandLine().usage(err);
        return 2;
    }

    /**
     * Outside spark-submit, the command logs through its own configuration: on the console only
     * Sluice's own warnings, without stack traces (with {@code --verbose}, Spark's and Kafka's
     * too); everything with traces in a log file — for {@code run}, one per run, named after its
     * first file and the time ({@code $TMPDIR/sluice/orders-20261125-163000.log}), so that a
     * failure's trace is found by the path the command prints. Under spark-submit the cluster's
     * logging configuration applies.
     */
    static void configureLogging(String... args) {
        if (System.getProperty("log4j2.configurationFile") == null && !Sessions.underSparkSubmit()) {
            java.util.List<String> words = java.util.List.of(args);
            if (System.getProperty(LOG_FILE_PROPERTY) == null) {
                System.setProperty(LOG_FILE_PROPERTY, logFileFor(words).toString());
            }
            if (words.contains("--verbose")) {
                System.setProperty("sluice.console.others", "warn");
            }
            // a distribution's conf/log4j2.properties (bin/sluice names it), else the one in the jar
            System.setProperty(
                    "log4j2.configurationFile",
                    System.getProperty("sluice.logConfig", "classpath:io/sluice/cli/log4j2-cli.properties"));
        }
    }

    /** {@code $TMPDIR/sluice/<first file>-<time>.log} for run, {@code $TMPDIR/sluice.log} for the other commands. */
    static Path logFileFor(java.util.List<String> words) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        int run = words.indexOf("run");
        if (run < 0) {
            return tmp.resolve("sluice.log");
        }
        String name = words.subList(run + 1, words.size()).stream()
                .filter(w -> w.endsWith(".yaml") || w.endsWith(".yml"))
                .findFirst()
                .map(f -> Path.of(f).getFileName().toString().replaceFirst("\\.ya?ml$", ""))
                .orElse("run");
        String time = java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", java.util.Locale.ROOT));
        return tmp.resolve("sluice").resolve(name + "-" + time + ".log");
    }

    static java.util.Optional<String> logFile() {
        return java.util.Optional.ofNullable(System.getProperty(LOG_FILE_PROPERTY));
    }

    /** The version from the jar's manifest, or "development" from a checkout. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "(development build)" : version)};
        }
    }
}
