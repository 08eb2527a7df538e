package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.Suggestions;
import io.sluice.engine.plan.Declarations;
import io.sluice.engine.plan.PipelineDefinition;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The checkpoint a command works on, from what the operator gave: a pipeline file (and, when
 * it has several, {@code --pipeline NAME}) — its pipeline's checkpointLocation, with the source
 * and options to ask its system — or a checkpoint directory itself, which says only what is in
 * it. A file with problems, or a pipeline not named or not there, is said on the error stream.
 */
record CheckpointOf(
        String checkpoint,
        Optional<PipelineDefinition> definition,
        Optional<StreamSource> source,
        Optional<ConnectorOptions> options,
        Optional<io.sluice.core.StreamSink> sink,
        Optional<ConnectorOptions> sinkOptions,
        Map<String, String> settings,
        List<PipelineFile> files) {

    /** The checkpoint, or empty after saying on {@code spec}'s error stream why there is none. */
    static Optional<CheckpointOf> resolve(
            CommandSpec spec, Path path, Optional<String> pipeline, FileOptions fileOptions, boolean fileNeeded) {
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName(" ");
        if (!Files.exists(path)) {
            err.println(command + ": " + path + " does not exist");
            err.flush();
            return Optional.empty();
        }
        if (Files.isDirectory(path)) {
            if (fileNeeded) {
                err.println(command + ": " + path + " is a directory: give the pipeline file, whose source says where"
                        + " its system is");
                err.flush();
                return Optional.empty();
            }
            if (pipeline.isPresent()) {
                err.println(command + ": --pipeline names a pipeline of a file, and " + path + " is a checkpoint"
                        + " directory");
                err.flush();
                return Optional.empty();
            }
            return Optional.of(new CheckpointOf(
                    path.toString(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    fileOptions.conf,
                    List.of()));
        }
        List<PipelineFile> files = fileOptions.load(List.of(path));
        List<FileProblem> problems =
                files.stream().flatMap(f -> f.problems().stream()).sorted().toList();
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        if (problems.isEmpty()) {
            problems = Checked.declarations(files, registry);
        }
        if (!problems.isEmpty()) {
            Secrets secrets = Secrets.of(files, registry);
            problems.forEach(p -> err.println(secrets.mask(p.toString())));
            err.println(command + ": " + path + " has problems (sluice validate shows them all)");
            err.flush();
            return Optional.empty();
        }
        List<PipelineFile.FilePipeline> all = files.get(0).pipelines();
        List<String> names = all.stream().map(p -> p.definition().name()).toList();
        Optional<PipelineFile.FilePipeline> chosen = pipeline.isPresent()
                ? all.stream()
                        .filter(p -> p.definition().name().equals(pipeline.get()))
                        .findFirst()
                : all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
        if (chosen.isEmpty()) {
            err.println(command + ": "
                    + (pipeline.isPresent()
                            ? path + " has no pipeline '" + pipeline.get() + "'"
                                    + Suggestions.didYouMean(pipeline.get(), names) + " (it has: "
                                    + String.join(", ", names) + ")"
                            : path + " has " + names.size() + " pipelines (" + String.join(", ", names)
                                    + "): name one with --pipeline"));
            err.flush();
            return Optional.empty();
        }
        PipelineDefinition definition = chosen.get().definition();
        Optional<String> checkpoint = definition.checkpoint();
        if (checkpoint.isEmpty()) {
            err.println(command + ": " + definition.subject() + " has no checkpointLocation: each run starts where its"
                    + " startingOffsets say, in a temporary checkpoint deleted when it stops");
            err.flush();
            return Optional.empty();
        }
        Declarations declared = Declarations.check(registry, definition);
        return Optional.of(new CheckpointOf(
                checkpoint.get(),
                Optional.of(definition),
                declared.source(),
                declared.sourceOptions(),
                declared.sink(),
                declared.sinkOptions(),
                fileOptions.sparkSettings(files),
                files));
    }
}
