package io.sluice.cli;

import io.sluice.cli.file.PipelineFile;
import io.sluice.cli.file.PipelineFiles;
import io.sluice.cli.file.Variables;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every command that reads pipeline files accepts: variables for the files. */
final class FileOptions {
    @Option(
            names = "--set",
            paramLabel = "NAME=VALUE",
            description = "Sets a variable the files use as ${NAME}; wins over the environment. Repeatable.")
    Map<String, String> variables = new LinkedHashMap<>();

    List<PipelineFile> load(List<Path> files) {
        Variables vars = Variables.of(variables);
        return files.stream().map(path -> PipelineFiles.load(path, vars)).toList();
    }

    /** The files' {@code spark:} settings, in file order; a later file wins. */
    static Map<String, String> sparkSettings(List<PipelineFile> files) {
        Map<String, String> settings = new LinkedHashMap<>();
        files.forEach(f -> settings.putAll(f.spark()));
        return settings;
    }
}
