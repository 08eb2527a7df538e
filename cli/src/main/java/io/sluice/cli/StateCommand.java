package io.sluice.cli;

import io.sluice.engine.Sluice;
import io.sluice.engine.checkpoint.CheckpointReport;
import io.sluice.engine.checkpoint.StateRows;
import io.sluice.engine.text.RowTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice state}: a stateful operator's state as rows, read with Spark's state data source. */
@Command(
        name = "state",
        mixinStandardHelpOptions = true,
        header = "Shows the state a pipeline's stateful operator keeps, as rows of keys and values.",
        description = {
            "Reads a checkpoint's state at its last committed batch with Spark's state data source, for looking into",
            "an incident; works on a stopped pipeline. Exit 0, or 2 when there is no such state."
        })
final class StateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|DIR", description = "A pipeline file, or a checkpoint directory")
    Path path;

    @Mixin
    PipelineName pipeline;

    @Option(names = "--operator", paramLabel = "N", description = "The stateful operator (default: 0, the first)")
    int operator;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows (default: 20)")
    int limit = 20;

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1) {
            err.println("sluice state: --limit is " + limit + ": give 1 or more rows");
            err.flush();
            return 2;
        }
        Optional<CheckpointOf> of = CheckpointOf.resolve(spec, path, pipeline.get(), fileOptions, false);
        if (of.isEmpty()) {
            return 2;
        }
        Sluice sluice = Sessions.forChecking(of.get().settings());
        CheckpointReport report =
                CheckpointReport.read(sluice.spark(), of.get().checkpoint(), Optional.empty(), Optional.empty());
        List<CheckpointReport.StateOperator> operators = report.state();
        Optional<CheckpointReport.StateOperator> chosen =
                operators.stream().filter(o -> o.id() == operator).findFirst();
        if (chosen.isEmpty()) {
            err.println("sluice state: "
                    + (!report.exists()
                            ? "the checkpoint at " + report.checkpoint() + " does not exist"
                            : operators.isEmpty()
                                    ? "the checkpoint at " + report.checkpoint()
                                            + " keeps no state: its pipeline has no"
                                            + " stateful operator (an aggregation, a deduplication, a stream join)"
                                    : "the checkpoint has no stateful operator " + operator + " (it has: "
                                            + String.join(
                                                    ", ",
                                                    operators.stream()
                                                            .map(o -> o.id() + " " + o.name())
                                                            .toList())
                                            + ")"));
            err.flush();
            return 2;
        }
        Dataset<Row> rows = StateRows.read(sluice.spark(), report.checkpoint(), operator);
        List<Row> shown = rows.limit(limit + 1).collectAsList();
        PrintWriter out = spec.commandLine().getOut();
        out.println("state " + operator + " (" + chosen.get().name() + ") at batch "
                + report.log().lastCommitted().orElse(-1)
                + chosen.get().rows().stream()
                        .mapToObj(n -> ", " + n + " rows")
                        .findFirst()
                        .orElse("") + ":");
        out.print(RowTable.of(rows.schema(), shown.subList(0, Math.min(limit, shown.size()))));
        if (shown.size() > limit) {
            out.println("(the first " + limit + "; --limit N shows more)");
        }
        out.flush();
        return 0;
    }
}
