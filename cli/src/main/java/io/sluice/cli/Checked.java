package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.Sluice;
import io.sluice.core.definition.Problem;
import io.sluice.core.engine.Pipeline;
import io.sluice.core.engine.PipelinePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Every problem of a set of pipeline files: the files' own, then what core's validation
 * finds in each pipeline — the same checks as the Java {@code validate()} — placed at the
 * line that holds the part at fault.
 */
final class Checked {
    private Checked() {}

    /** Each pipeline of the files with its plan, in file order, and every problem of the files and the plans. */
    record Plans(List<Pipeline> pipelines, List<PipelinePlan> plans, List<FileProblem> problems) {}

    static Plans plan(List<PipelineFile> files, Sluice sluice) {
        List<Pipeline> pipelines = new ArrayList<>();
        List<PipelinePlan> plans = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        for (PipelineFile file : files) {
            problems.addAll(file.problems());
            for (PipelineFile.FilePipeline filePipeline : file.pipelines()) {
                Pipeline pipeline = pipeline(sluice, filePipeline);
                PipelinePlan plan = pipeline.validate();
                pipelines.add(pipeline);
                plans.add(plan);
                for (Problem problem : plan.problems()) {
                    problems.add(new FileProblem(
                            file.file(),
                            filePipeline.positionOf(problem.path()),
                            problem.subject(),
                            problem.message()));
                }
            }
        }
        return new Plans(pipelines, plans, problems.stream().sorted().toList());
    }

    static List<FileProblem> problems(List<PipelineFile> files, Sluice sluice) {
        return plan(files, sluice).problems();
    }

    static Pipeline pipeline(Sluice sluice, PipelineFile.FilePipeline pipeline) {
        return new Pipeline(sluice.spark(), sluice.connectors(), pipeline.definition());
    }
}
