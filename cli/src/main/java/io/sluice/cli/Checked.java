package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.Sluice;
import io.sluice.core.definition.Problem;
import io.sluice.core.engine.Pipeline;
import java.util.ArrayList;
import java.util.List;

/**
 * Every problem of a set of pipeline files: the files' own, then what core's validation
 * finds in each pipeline — the same checks as the Java {@code validate()} — placed at the
 * line that holds the part at fault.
 */
final class Checked {
    private Checked() {}

    static List<FileProblem> problems(List<PipelineFile> files, Sluice sluice) {
        List<FileProblem> problems = new ArrayList<>();
        for (PipelineFile file : files) {
            problems.addAll(file.problems());
            for (PipelineFile.FilePipeline pipeline : file.pipelines()) {
                for (Problem problem : pipeline(sluice, pipeline).validate()) {
                    problems.add(new FileProblem(file.file(), pipeline.positionOf(problem.path()), problem.subject(),
                            problem.message()));
                }
            }
        }
        return problems.stream().sorted().toList();
    }

    static Pipeline pipeline(Sluice sluice, PipelineFile.FilePipeline pipeline) {
        return new Pipeline(sluice.spark(), sluice.connectors(), pipeline.definition());
    }
}
