package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.graph.PipelineGraph;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelinePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every problem of a set of pipeline files: the files' own, then what the engine's validation
 * finds in each pipeline — the same checks as the Java {@code validate()} — placed at the
 * line that holds the part at fault.
 */
final class Checked {
    private Checked() {}

    /**
     * Each pipeline of the files with its plan, in file order, every problem of the files and the
     * plans, and the graph of the pipelines. A plan {@code checkedAgainstUpstream()} was made
     * against the columns its upstream writes (its source's place may not exist yet): it shows
     * the problems, and the pipeline is planned again when it starts.
     */
    record Plans(
            List<PipelineFile.FilePipeline> filePipelines,
            List<Pipeline> pipelines,
            List<PipelinePlan> plans,
            List<FileProblem> problems,
            PipelineGraph graph,
            List<Pipeline> checkedAs) {}

    /**
     * The files' problems and those their pipelines' declarations show without a Spark session:
     * connectors by name, options. {@code sluice run} reports them before it builds a session,
     * which on a cluster registers an application and launches executors.
     */
    static List<FileProblem> declarations(List<PipelineFile> files, ConnectorRegistry registry) {
        List<FileProblem> problems = new ArrayList<>();
        for (PipelineFile file : files) {
            problems.addAll(file.problems());
            for (PipelineFile.FilePipeline pipeline : file.pipelines()) {
                own(pipeline, Pipeline.checkDeclarations(registry, pipeline.definition()))
                        .forEach(problem -> problems.add(placed(file, pipeline, problem)));
            }
        }
        return problems.stream().sorted().toList();
    }

    /**
     * Plans every pipeline of the files, upstream before downstream: a pipeline that reads what
     * another writes is checked against the columns the other writes, so a chain is checked
     * whole before its first table exists.
     */
    static Plans plan(List<PipelineFile> files, Sluice sluice) {
        List<PipelineFile.FilePipeline> filePipelines = new ArrayList<>();
        List<PipelineFile> fileOf = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        for (PipelineFile file : files) {
            problems.addAll(file.problems());
            for (PipelineFile.FilePipeline filePipeline : file.pipelines()) {
                filePipelines.add(filePipeline);
                fileOf.add(file);
            }
        }
        List<io.sluice.engine.plan.PipelineDefinition> definitions = filePipelines.stream()
                .map(PipelineFile.FilePipeline::definition)
                .toList();
        PipelineGraph graph = PipelineGraph.of(sluice.connectors(), definitions);
        List<Pipeline> pipelines = new ArrayList<>();
        PipelinePlan[] plans = new PipelinePlan[filePipelines.size()];
        Pipeline[] checkedAs = new Pipeline[filePipelines.size()];
        List<PipelinePlan> planned = new ArrayList<>();
        filePipelines.forEach(filePipeline -> pipelines.add(pipeline(sluice, filePipeline)
                .withNeighbours(graph.neighbours(filePipeline.definition().name()))));
        for (int i : graph.positions()) {
            String name = definitions.get(i).name();
            Pipeline pipeline = pipelines.get(i);
            Optional<Pipeline.Upstream> upstream = upstreamOf(graph, definitions, plans, name);
            checkedAs[i] = upstream.map(pipeline::downstreamOf).orElse(pipeline);
            PipelinePlan plan = checkedAs[i].validate();
            if (!plan.checkedAgainstUpstream()) { // one that was is planned again as it starts, against its place
                pipelines.set(i, checkedAs[i]); // read its place as it is: the plan it starts from
            }
            PipelineFile.FilePipeline filePipeline = filePipelines.get(i);
            List<Problem> own = own(filePipeline, plan.problems());
            List<String> feeding = graph.upstream(name);
            if (graph.inCycle(name)) {
                own = List.of(); // read before what it reads is written: the cycle is the problem, said once
            } else if (!own.isEmpty() && !feeding.isEmpty() && upstream.isEmpty()) {
                // what feeds it has problems: its place may not exist, and its columns are not known
                own = List.of(new Problem(
                        definitions.get(i).subject(),
                        "not checked against what it reads: "
                                + String.join(
                                        ", ",
                                        feeding.stream()
                                                .map(n -> "pipeline '" + n + "'")
                                                .toList())
                                + ", which writes it, has problems: mend them, then validate again",
                        io.sluice.engine.definition.Part.SOURCE));
            }
            own.forEach(problem -> problems.add(placed(fileOf.get(i), filePipeline, problem)));
            plan.conflictsWith(planned).forEach(problem -> problems.add(placed(fileOf.get(i), filePipeline, problem)));
            planned.add(plan);
            plans[i] = plan;
        }
        problems.addAll(graphProblems(files, graph));
        return new Plans(
                filePipelines,
                pipelines,
                List.of(plans),
                problems.stream().sorted().toList(),
                graph,
                List.of(checkedAs));
    }

    /** The graph's problems (cycles, two pipelines writing one place), each at the line of its pipeline's part. */
    static List<FileProblem> graphProblems(List<PipelineFile> files, PipelineGraph graph) {
        List<FileProblem> problems = new ArrayList<>();
        for (Problem problem : graph.problems()) {
            for (PipelineFile file : files) {
                file.pipelines().stream()
                        .filter(pipeline -> pipeline.definition().subject().equals(problem.subject()))
                        .findFirst()
                        .ifPresent(pipeline -> problems.add(placed(file, pipeline, problem)));
            }
        }
        return problems.stream().sorted().toList();
    }

    /** The columns the first ready upstream of {@code name} writes where {@code name} reads; empty when none is ready. */
    private static Optional<Pipeline.Upstream> upstreamOf(
            PipelineGraph graph,
            List<io.sluice.engine.plan.PipelineDefinition> definitions,
            PipelinePlan[] plans,
            String name) {
        for (PipelineGraph.Edge edge : graph.into(name)) {
            PipelinePlan upstream = plans[graph.position(edge.upstream())];
            if (upstream != null && upstream.isReady()) {
                return Optional.of(new Pipeline.Upstream(edge.upstream(), upstream.schemaOf(edge.sink())));
            }
        }
        return Optional.empty();
    }

    /**
     * What the ready plans' connectors find against the outside world (brokers, topics,
     * offsets, paths) — {@code sluice validate --connect} — placed as validation's problems are.
     */
    static List<FileProblem> preflight(List<PipelineFile> files, Plans plans) {
        List<FileProblem> problems = new ArrayList<>();
        for (int i = 0; i < plans.plans().size(); i++) {
            PipelinePlan plan = plans.plans().get(i);
            if (plan.isReady()) {
                problems.addAll(placed(files, plans, i, plans.pipelines().get(i).preflight(plan)));
            }
        }
        return problems.stream().sorted().toList();
    }

    /** Problems of the {@code index}th pipeline of {@code plans}, placed at their lines. */
    static List<FileProblem> placed(List<PipelineFile> files, Plans plans, int index, List<Problem> problems) {
        PipelineFile.FilePipeline filePipeline = plans.filePipelines().get(index);
        PipelineFile file = files.stream()
                .filter(f -> f.pipelines().contains(filePipeline))
                .findFirst()
                .orElseThrow();
        return problems.stream()
                .map(problem -> placed(file, filePipeline, problem))
                .toList();
    }

    static List<FileProblem> problems(List<PipelineFile> files, Sluice sluice) {
        return plan(files, sluice).problems();
    }

    static Pipeline pipeline(Sluice sluice, PipelineFile.FilePipeline pipeline) {
        return new Pipeline(sluice.spark(), sluice.connectors(), pipeline.definition());
    }

    /** The engine's problems of a pipeline, without those that only repeat a problem of the file's own. */
    private static List<Problem> own(PipelineFile.FilePipeline pipeline, List<Problem> problems) {
        return problems.stream()
                .filter(problem -> !pipeline.dropped(problem.path()))
                .toList();
    }

    private static FileProblem placed(PipelineFile file, PipelineFile.FilePipeline pipeline, Problem problem) {
        return new FileProblem(file.file(), pipeline.positionOf(problem.path()), problem.subject(), problem.message());
    }
}
