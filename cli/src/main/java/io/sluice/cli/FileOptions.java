package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.cli.file.PipelineFiles;
import io.sluice.cli.file.Variables;
import io.sluice.engine.metrics.MetricsSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What every command that reads pipeline files accepts: variables for the files, and Spark settings. */
final class FileOptions {
    @Option(
            names = "--set",
            paramLabel = "NAME=VALUE",
            // $$ is picocli's escape: a plain ${NAME} is a lookup of its own, and read "null"
            description = "Sets a variable the files use as $${NAME}; wins over the environment. Repeatable.")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "A Spark setting; wins over the files' spark: map. Repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    private Variables loaded;

    List<PipelineFile> load(List<Path> files) {
        loaded = Variables.of(variables);
        return files.stream().map(path -> PipelineFiles.load(path, loaded)).toList();
    }

    /**
     * After {@link #load}: 0, or 2 after saying which {@code --set} no file uses (a misspelt name).
     * Only for files read without problems of their own: a file that did not parse uses nothing, and
     * a misspelt reference is already a problem that names the variable meant.
     */
    int checkUnused(picocli.CommandLine.Model.CommandSpec spec, List<PipelineFile> files) {
        if (files.stream().anyMatch(f -> !f.problems().isEmpty())) {
            return 0;
        }
        java.util.Optional<String> unused = loaded.unusedSet();
        if (unused.isEmpty()) {
            return 0;
        }
        java.io.PrintWriter err = spec.commandLine().getErr();
        err.println("sluice " + spec.name() + ": " + unused.get());
        err.flush();
        return 2;
    }

    /** The files' {@code spark:} settings, in file order (a later file wins), then {@code --conf}'s, which win. */
    Map<String, String> sparkSettings(List<PipelineFile> files) {
        Map<String, String> settings = new LinkedHashMap<>();
        files.forEach(f -> settings.putAll(f.spark()));
        settings.putAll(conf);
        // a value Spark refuses is a problem of the file, at its line; the session that checks the rest starts without
        // it
        settings.entrySet()
                .removeIf(e -> io.sluice.engine.catalog.SparkSettingNames.invalidValue(e.getKey(), e.getValue())
                        .isPresent());
        return settings;
    }

    /**
     * The metrics endpoint the files ask for — one per process, so files that declare it must
     * agree (a problem at the second block otherwise) — with {@code --metrics-port} winning over
     * their port; empty when neither asks.
     */
    static Optional<MetricsSettings> metrics(
            List<PipelineFile> files, Optional<Integer> portOption, List<FileProblem> problems) {
        Optional<MetricsSettings> chosen = Optional.empty();
        String from = null;
        for (PipelineFile file : files) {
            if (file.metrics().isEmpty()) {
                continue;
            }
            MetricsSettings settings = file.metrics().get().settings();
            if (chosen.isEmpty()) {
                chosen = Optional.of(settings);
                from = file.file();
            } else if (!chosen.get().equals(settings) && portOption.isEmpty()) {
                problems.add(new FileProblem(
                        file.file(),
                        file.metrics().get().position(),
                        "",
                        "'metrics' here (" + describe(settings) + ") differs from the one in " + from + " ("
                                + describe(chosen.get()) + "): one process serves one endpoint; declare it in one"
                                + " file, or give --metrics-port"));
            }
        }
        if (portOption.isPresent()) {
            return Optional.of(
                    chosen.orElse(MetricsSettings.port(portOption.get())).withPort(portOption.get()));
        }
        return chosen;
    }

    private static String describe(MetricsSettings settings) {
        return settings.host() + ":" + settings.port() + (settings.perPartition() ? ", perPartition" : "");
    }
}
