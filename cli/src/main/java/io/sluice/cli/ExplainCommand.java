package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.Connector;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.Sluice;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.Transform;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice explain}: the pipelines as resolved (variables, defaults, secrets masked) and Spark's plan for each. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Shows each pipeline as it will run — variables substituted, defaults filled in, secrets masked — and Spark's plan.")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files (YAML)")
    List<Path> files;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() {
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        PrintWriter out = spec.commandLine().getOut();
        List<PipelineFile> loaded = fileOptions.load(files);
        int unused = fileOptions.checkUnused(spec, loaded);
        if (unused != 0) {
            return unused;
        }
        java.util.Map<String, String> settings = fileOptions.sparkSettings(loaded);
        List<FileProblem> problems = ValidateCommand.check(loaded, settings);
        if (!problems.isEmpty()) {
            problems.forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().flush();
            return 1;
        }
        Sluice sluice = Sessions.forChecking(settings);
        Secrets secrets = Secrets.of(loaded, sluice.connectors());
        Checked.Plans plans = Checked.plan(loaded, sluice);
        if (plans.graph().connected()) {
            out.print(secrets.mask("graph (each pipeline starts after what it reads; `sluice graph` draws it):\n"
                    + plans.graph().text() + "\n"));
        }
        int index = 0;
        for (PipelineFile file : loaded) {
            for (PipelineFile.FilePipeline pipeline : file.pipelines()) {
                io.sluice.engine.pipeline.Pipeline checked = plans.checkedAs().get(index++);
                PipelineDefinition definition = pipeline.definition();
                StringBuilder text = new StringBuilder("pipeline '" + definition.name() + "' (" + file.file() + ")\n");
                Connector source = sluice.connectors()
                        .source(definition.sourceName())
                        .connector()
                        .orElseThrow();
                connector(text, "  ", "source", source, definition.sourceOptions());
                if (!definition.tables().isEmpty()) {
                    text.append("  tables:\n");
                    for (io.sluice.engine.plan.ReferenceTable table : definition.tables()) {
                        text.append("    ")
                                .append(table.name())
                                .append(": ")
                                .append(table.format())
                                .append(", refresh ")
                                .append(table.refresh())
                                .append(' ')
                                .append(io.sluice.engine.plan.ReferenceTables.mask(table)
                                        .mask(new java.util.TreeMap<>(table.options()).toString()))
                                .append('\n');
                    }
                }
                List<Transform> transforms = definition.transforms();
                if (!transforms.isEmpty()) {
                    text.append("  transforms:\n");
                    for (int i = 0; i < transforms.size(); i++) {
                        text.append("    ")
                                .append(i + 1)
                                .append(". ")
                                .append(transforms.get(i).text())
                                .append('\n');
                    }
                }
                sinks(text, sluice, definition);
                text.append("  outputMode: ")
                        .append(definition.outputMode().name().toLowerCase(java.util.Locale.ROOT))
                        .append('\n')
                        .append("  trigger: ")
                        .append(definition.trigger())
                        .append('\n')
                        .append("  checkpointLocation: ")
                        .append(definition
                                .checkpointLocation()
                                .orElse("(none: a temporary directory, deleted when the pipeline stops)"))
                        .append('\n')
                        .append("  queryName: ")
                        .append(definition.queryName().orElse(definition.name()))
                        .append("\n")
                        .append(
                                definition.acceptedChanges().isEmpty()
                                        ? ""
                                        : "  acceptChanges: "
                                                + definition.acceptedChanges().stream()
                                                        .map(io.sluice.engine.plan.CheckpointChange::fileName)
                                                        .sorted()
                                                        .toList()
                                                + "\n")
                        .append("\n")
                        .append(graphLine(plans.graph(), definition.name()))
                        .append(checked.explain())
                        .append('\n');
                out.print(secrets.mask(text.toString()));
            }
        }
        out.flush();
        return 0;
    }

    /** What feeds the pipeline and what it feeds, among the run's pipelines; nothing when neither. */
    private static String graphLine(io.sluice.engine.graph.PipelineGraph graph, String name) {
        StringBuilder text = new StringBuilder();
        for (io.sluice.engine.graph.PipelineGraph.Edge edge : graph.into(name)) {
            text.append("reads what pipeline '")
                    .append(edge.upstream())
                    .append("' writes (")
                    .append(edge.place())
                    .append("): starts after it, checked against the columns it writes\n");
        }
        List<String> downstream = graph.downstream(name);
        if (!downstream.isEmpty()) {
            text.append("read by pipeline")
                    .append(downstream.size() == 1 ? " " : "s ")
                    .append(String.join(
                            ", ", downstream.stream().map(n -> "'" + n + "'").toList()))
                    .append('\n');
        }
        return text.length() == 0 ? "" : text.append('\n').toString();
    }

    /**
     * The sink, or each of several with its rows and columns — and how often each gets a batch
     * that Spark gives again (after a failure, a kill): once, or at least once.
     */
    private static void sinks(StringBuilder text, Sluice sluice, PipelineDefinition definition) {
        io.sluice.engine.plan.Declarations declared =
                io.sluice.engine.plan.Declarations.check(sluice.connectors(), definition);
        if (!definition.fansOut()) {
            io.sluice.core.StreamSink sink = declared.sink().orElseThrow();
            connector(text, "  ", "sink", sink, definition.sinkOptions());
            text.append("    delivery: ")
                    .append(delivery(sink.deliversOnce(declared.sinkOptions().orElseThrow())))
                    .append('\n');
            return;
        }
        text.append("  sinks (each batch read once, written to each):\n");
        io.sluice.engine.plan.FanOut fanOut =
                (io.sluice.engine.plan.FanOut) declared.sink().orElseThrow();
        for (io.sluice.engine.plan.FanOut.Route route : fanOut.routes()) {
            io.sluice.engine.plan.SinkSpec spec = route.spec();
            connector(text, "    ", spec.name(), route.sink(), spec.options());
            spec.where()
                    .ifPresent(
                            where -> text.append("      where: ").append(where).append('\n'));
            if (!spec.columns().isEmpty()) {
                text.append("      columns: ")
                        .append(String.join(", ", spec.columns()))
                        .append('\n');
            }
            text.append("      delivery: ")
                    .append(delivery(route.sink().deliversOnce(route.options())))
                    .append('\n');
        }
    }

    private static String delivery(boolean once) {
        return once
                ? "exactly once (a batch given again is skipped)"
                : "at least once (a batch given again after a failure may be written again)";
    }

    private static void connector(
            StringBuilder text, String indent, String part, Connector connector, Map<String, String> raw) {
        text.append(indent).append(part).append(": ").append(connector.name()).append('\n');
        Map<String, String> shown = new TreeMap<>();
        raw.forEach((key, value) -> shown.put(key, Secrets.isSecret(connector, key) ? Secrets.MASK : value));
        for (OptionSpec<?> option : Catalogue.options(connector)) {
            Optional.of(option.defaultText())
                    .filter(d -> !d.isEmpty() && !raw.containsKey(option.name()))
                    .ifPresent(d -> shown.put(option.name(), d + "  (default)"));
        }
        shown.forEach((key, value) -> text.append(indent)
                .append("  ")
                .append(key)
                .append(": ")
                .append(value)
                .append('\n'));
    }
}
