package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelinePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Every problem of a set of pipeline files: the files' own, then what the engine's validation
 * finds in each pipeline — the same checks as the Java {@code validate()} — placed at the
 * line that holds the part at fault.
 */
final class Checked {
    private Checked() {}

    /** Each pipeline of the files with its plan, in file order, and every problem of the files and the plans. */
    record Plans(
            List<PipelineFile.FilePipeline> filePipelines,
            List<Pipeline> pipelines,
            List<PipelinePlan> plans,
            List<FileProblem> problems) {}

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

    static Plans plan(List<PipelineFile> files, Sluice sluice) {
        List<PipelineFile.FilePipeline> filePipelines = new ArrayList<>();
        List<Pipeline> pipelines = new ArrayList<>();
        List<PipelinePlan> plans = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        for (PipelineFile file : files) {
            problems.addAll(file.problems());
            for (PipelineFile.FilePipeline filePipeline : file.pipelines()) {
                Pipeline pipeline = pipeline(sluice, filePipeline);
                PipelinePlan plan = pipeline.validate();
                filePipelines.add(filePipeline);
                pipelines.add(pipeline);
                own(filePipeline, plan.problems())
                        .forEach(problem -> problems.add(placed(file, filePipeline, problem)));
                plan.conflictsWith(plans).forEach(problem -> problems.add(placed(file, filePipeline, problem)));
                plans.add(plan);
            }
        }
        return new Plans(
                filePipelines, pipelines, plans, problems.stream().sorted().toList());
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
