package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.graph.PipelineGraph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice graph}: the files' pipelines as a graph — which reads what another writes — in
 * Mermaid (for Markdown docs), Graphviz DOT, or words. Needs no Spark session: the places come
 * from what the connectors declare with the files' options.
 */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "Draws the files' pipelines as a graph: the places each reads and writes, and which pipeline feeds which.",
            "Exit 0, or 1 when a file has problems or the graph has a cycle or two pipelines writing one place."
        })
final class GraphCommand implements Callable<Integer> {
    enum Format {
        mermaid,
        dot,
        text
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files (YAML)")
    List<Path> files;

    @Option(
            names = "--format",
            defaultValue = "mermaid",
            description = "mermaid (default: a flowchart for Markdown), dot (Graphviz) or text")
    Format format;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() {
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        List<PipelineFile> loaded = fileOptions.load(files);
        int unused = fileOptions.checkUnused(spec, loaded);
        if (unused != 0) {
            return unused;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        Secrets secrets = Secrets.of(loaded, registry);
        List<FileProblem> declared = Checked.declarations(loaded, registry);
        if (!declared.isEmpty()) {
            declared.forEach(problem -> err.println(secrets.mask(problem.toString())));
            err.flush();
            return 1;
        }
        List<PipelineFile.FilePipeline> pipelines =
                loaded.stream().flatMap(file -> file.pipelines().stream()).toList();
        PipelineGraph graph = PipelineGraph.of(
                registry,
                pipelines.stream().map(PipelineFile.FilePipeline::definition).toList());
        String drawn = switch (format) {
            case mermaid -> graph.mermaid();
            case dot -> graph.dot();
            case text -> graph.text();
        };
        out.print(secrets.mask(drawn));
        out.flush();
        List<FileProblem> problems = Checked.graphProblems(loaded, graph);
        problems.forEach(problem -> err.println(secrets.mask(problem.toString())));
        err.flush();
        return problems.isEmpty() ? 0 : 1;
    }
}
