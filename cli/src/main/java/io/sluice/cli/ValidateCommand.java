package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice validate}: every problem of every pipeline in the files, without starting a query or touching a broker. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks pipeline files as the Java validate() does, without starting a query or reaching a broker.",
            "Exit 0 when valid, 1 when any problem, 2 for a usage error."
        })
final class ValidateCommand implements Callable<Integer> {
    enum Format {
        text,
        json
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files (YAML)")
    List<Path> files;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text (one line per problem) or json (for editors and CI)")
    Format format;

    @Option(
            names = "--connect",
            description = "Also ask the outside world what start() would: brokers reachable, topics and partitions"
                    + " there, starting offsets in range, paths writable (validate alone stays offline)")
    boolean connect;

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
        Map<String, String> settings = fileOptions.sparkSettings(loaded);
        List<FileProblem> problems = connect ? checkConnected(loaded, settings) : check(loaded, settings);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(json(problems));
        } else {
            problems.forEach(out::println);
            if (problems.isEmpty()) {
                loaded.forEach(f ->
                        out.println(f.file() + ": valid (" + f.pipelines().size() + " pipeline"
                                + (f.pipelines().size() == 1 ? "" : "s") + ": "
                                + String.join(
                                        ", ",
                                        f.pipelines().stream()
                                                .map(p -> p.definition().name())
                                                .toList()) + ")"));
            } else {
                out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems"));
            }
        }
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    /** As {@link #check}, and when the pipelines are valid, what their connectors' checks before start find. */
    static List<FileProblem> checkConnected(List<PipelineFile> files, Map<String, String> settings) {
        if (files.stream().allMatch(f -> f.pipelines().isEmpty())) {
            return check(files, settings);
        }
        Sluice sluice = Sessions.forChecking(settings);
        Secrets secrets = Secrets.of(files, sluice.connectors());
        Checked.Plans plans = Checked.plan(files, sluice);
        List<FileProblem> problems = plans.problems().isEmpty() ? Checked.preflight(files, plans) : plans.problems();
        return problems.stream()
                .map(p -> new FileProblem(p.file(), p.position(), p.subject(), secrets.mask(p.message())))
                .toList();
    }

    /**
     * The files' own problems, and core's for every pipeline that could be read. Spark starts only
     * when it has something to add: SQL to analyse, or a pipeline whose declarations are valid (its
     * output is checked against its sink). A file with a misspelt option and no SQL is answered in
     * the JVM's time.
     */
    static List<FileProblem> check(List<PipelineFile> files, Map<String, String> settings) {
        if (files.stream().allMatch(f -> f.pipelines().isEmpty())) {
            return files.stream().flatMap(f -> f.problems().stream()).sorted().toList();
        }
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        List<FileProblem> declared = Checked.declarations(files, registry);
        // Spark's analysis adds nothing to a pipeline without SQL whose declarations are wrong: its source
        // cannot be read as declared, so neither its output nor its sink can be checked
        boolean sparkHasMore = files.stream()
                .flatMap(f -> f.pipelines().stream())
                .anyMatch(p -> !p.definition().transforms().isEmpty()
                        || io.sluice.engine.pipeline.Pipeline.checkDeclarations(registry, p.definition())
                                .isEmpty());
        if (!declared.isEmpty() && !sparkHasMore) {
            Secrets secrets = Secrets.of(files, registry);
            return declared.stream()
                    .map(p -> new FileProblem(p.file(), p.position(), p.subject(), secrets.mask(p.message())))
                    .toList();
        }
        Sluice sluice = Sessions.forChecking(settings);
        Secrets secrets = Secrets.of(files, sluice.connectors());
        return Checked.problems(files, sluice).stream()
                .map(p -> new FileProblem(p.file(), p.position(), p.subject(), secrets.mask(p.message())))
                .toList();
    }

    static String json(List<FileProblem> problems) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("valid", problems.isEmpty());
        ArrayNode list = root.putArray("problems");
        for (FileProblem problem : problems) {
            list.addObject()
                    .put("file", problem.file())
                    .put("line", problem.position().line())
                    .put("column", problem.position().column())
                    .put("subject", problem.subject())
                    .put("message", problem.message());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
