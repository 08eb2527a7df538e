package io.sluice.cli;

import io.sluice.cli.file.FileProblem;
import io.sluice.cli.file.PipelineFile;
import io.sluice.core.SampleRecord;
import io.sluice.core.SampleRequest;
import io.sluice.core.option.Suggestions;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelinePreview;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.text.RowTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice preview}: a pipeline run by hand on a bounded sample of its source, showing the
 * schema and first rows after the source and after every transform — before anything runs for
 * real. Nothing is written, no checkpoint kept, no offset committed, nothing left running.
 */
@Command(
        name = "preview",
        mixinStandardHelpOptions = true,
        header = "Shows what each step of a pipeline makes of a sample of its source; writes nothing.",
        description = {
            "Runs a pipeline on a sample of its source (the latest records of each partition, or a file of",
            "records) and shows the schema and first rows after the source and after each transform, and the",
            "records that do not decode and why. Writes nothing, commits nothing, leaves nothing running.",
            "Exit 0 when shown, 1 when the file has problems or the sample cannot be read, 2 for a usage error."
        })
final class PreviewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(index = "0", paramLabel = "FILE", description = "A pipeline file (YAML)")
    Path file;

    @Option(
            names = "--pipeline",
            paramLabel = "NAME",
            description = "The pipeline to preview, when the file has more than one")
    String pipelineName;

    @Option(
            names = "--limit",
            defaultValue = "20",
            paramLabel = "N",
            description = "How many records of each partition to read, the latest (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(
            names = "--rows",
            defaultValue = "20",
            paramLabel = "N",
            description = "How many rows of each step to show (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(
            names = "--from",
            paramLabel = "RECORDS",
            description = "Decode this file's records instead of reading the source: one per line, the value"
                    + " (a JSON line, or text), as sluice dev produce sends them")
    Path from;

    @Option(
            names = "--key-separator",
            paramLabel = "SEP",
            description = "With --from: split each line into key SEP value")
    String keySeparator;

    @Option(
            names = "--table",
            paramLabel = "NAME=ROWS",
            description = "Join these rows instead of reference table NAME: a file of JSON lines, one object a row"
                    + " (repeatable)")
    Map<String, Path> tables = new java.util.LinkedHashMap<>();

    @Mixin
    FileOptions fileOptions;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> usage = usageProblem();
        if (usage.isPresent()) {
            return usage(usage.get());
        }
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        List<SampleRecord> given = List.of();
        if (from != null) {
            try {
                given = RecordLines.read(from, keySeparator);
            } catch (IOException e) {
                return usage("--from: " + from + " cannot be read: " + e.getMessage());
            }
            if (given.isEmpty()) {
                return usage("--from: " + from + " has no records (one per line, blank lines skipped)");
            }
        }
        List<PipelineFile> loaded = fileOptions.load(List.of(file));
        int unused = fileOptions.checkUnused(spec, loaded);
        if (unused != 0) {
            return unused;
        }
        if (!tables.isEmpty()) {
            List<String> declared = loaded.get(0).pipelines().stream()
                    .flatMap(p -> p.definition().tables().stream())
                    .map(io.sluice.engine.plan.ReferenceTable::name)
                    .distinct()
                    .toList();
            for (Map.Entry<String, Path> table : tables.entrySet()) {
                Optional<String> notDeclared =
                        io.sluice.engine.plan.ReferenceTables.notDeclared(declared, table.getKey());
                if (notDeclared.isPresent()) {
                    return usage("--table: " + notDeclared.get().replace("the pipeline has", "the file has"));
                }
                if (!java.nio.file.Files.isReadable(table.getValue())) {
                    return usage("--table " + table.getKey() + ": " + table.getValue()
                            + " cannot be read (a file of JSON lines, one object a row)");
                }
            }
            loaded = List.of(standingIn(loaded.get(0)));
        }
        Map<String, String> settings = fileOptions.sparkSettings(loaded);
        List<FileProblem> problems = ValidateCommand.check(loaded, settings);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + ": nothing previewed (sluice validate " + file + " shows the same)");
            err.flush();
            return 1;
        }
        PipelineFile pipelineFile = loaded.get(0);
        List<String> names = pipelineFile.pipelines().stream()
                .map(p -> p.definition().name())
                .toList();
        Optional<PipelineFile.FilePipeline> chosen = choose(pipelineFile, names);
        if (chosen.isEmpty()) {
            return usage(
                    pipelineName == null
                            ? file + " has " + names.size() + " pipelines (" + String.join(", ", names)
                                    + "): choose one with --pipeline NAME"
                            : "--pipeline: " + file + " has no pipeline '" + pipelineName + "'"
                                    + Suggestions.didYouMean(pipelineName, names) + " (it has: "
                                    + String.join(", ", names)
                                    + ")");
        }
        Sluice sluice = Sessions.forChecking(settings);
        Secrets secrets = Secrets.of(loaded, sluice.connectors());
        Pipeline pipeline = Checked.pipeline(sluice, chosen.get());
        PipelinePreview preview;
        try {
            preview = pipeline.preview(pipeline.validate(), new SampleRequest(limit, given), rows);
        } catch (RuntimeException e) { // a broker that does not answer, a source that cannot sample: said in words
            Runner.TRACES.error("preview failed", e);
            err.println(secrets.mask("sluice preview: " + pipeline.definition().subject() + ": "
                    + Optional.ofNullable(e.getMessage()).orElse(e.toString())));
            err.flush();
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(secrets.mask(text(pipeline.definition(), preview)));
        out.flush();
        return 0;
    }

    /** The file with the tables given by {@code --table} standing in for the real ones, checked and read as such. */
    private PipelineFile standingIn(PipelineFile loaded) {
        Map<String, String> standIns = new java.util.LinkedHashMap<>();
        tables.forEach((name, rows) -> standIns.put(name, rows.toAbsolutePath().toString()));
        List<PipelineFile.FilePipeline> pipelines = loaded.pipelines().stream()
                .map(p -> new PipelineFile.FilePipeline(
                        p.definition()
                                .withTables(
                                        io.sluice.engine.plan.ReferenceTables.withStandIns(p.definition(), standIns)),
                        p.node()))
                .toList();
        return new PipelineFile(loaded.file(), loaded.spark(), loaded.metrics(), pipelines, loaded.problems());
    }

    private Optional<String> usageProblem() {
        if (limit < 1) {
            return Optional.of("--limit is " + limit + ": read at least 1 record of each partition");
        }
        if (rows < 1) {
            return Optional.of("--rows is " + rows + ": show at least 1 row");
        }
        if (keySeparator != null && from == null) {
            return Optional.of("--key-separator splits the lines of --from RECORDS: give --from too");
        }
        return Optional.empty();
    }

    private Optional<PipelineFile.FilePipeline> choose(PipelineFile pipelineFile, List<String> names) {
        if (pipelineName == null) {
            return names.size() == 1 ? Optional.of(pipelineFile.pipelines().get(0)) : Optional.empty();
        }
        return pipelineFile.pipelines().stream()
                .filter(p -> p.definition().name().equals(pipelineName))
                .findFirst();
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sluice preview: " + message);
        err.flush();
        return 2;
    }

    /** What the preview shows, step after step. */
    static String text(PipelineDefinition definition, PipelinePreview preview) {
        StringBuilder text = new StringBuilder()
                .append("pipeline '")
                .append(definition.name())
                .append("': a preview on ")
                .append(preview.sample())
                .append(" (nothing is written, no offset committed)\n");
        if (preview.rejectedCount() > 0) {
            text.append('\n')
                    .append(count(preview.rejectedCount(), "record"))
                    .append(" did not decode (in a run, the source's options say what becomes of them):\n");
            preview.rejected()
                    .forEach(row -> text.append("  ")
                            .append(row.getString(0))
                            .append(": ")
                            .append(row.getString(1))
                            .append('\n'));
            shownOf(text, preview.rejected().size(), preview.rejectedCount());
        }
        List<PipelinePreview.Step> steps = preview.steps();
        for (int i = 0; i < steps.size(); i++) {
            PipelinePreview.Step step = steps.get(i);
            text.append('\n').append(step.title()).append(": ").append(count(step.count(), "row"));
            if (i == steps.size() - 1) {
                text.append(
                                definition.fansOut()
                                        ? " — what the sinks " + definition.sinksInWords()
                                                + " would get, before each one's where and columns,"
                                        : " — what sink '" + definition.sinkName() + "' would get")
                        .append(" from this sample in one batch (outputMode ")
                        .append(definition.outputMode().name().toLowerCase(Locale.ROOT))
                        .append(')');
            }
            text.append('\n').append(step.schema().treeString());
            List<Row> shown = step.rows();
            if (!shown.isEmpty()) {
                text.append(RowTable.of(step.schema(), shown));
                shownOf(text, shown.size(), step.count());
            }
        }
        return text.toString();
    }

    private static void shownOf(StringBuilder text, int shown, long count) {
        if (shown < count) {
            text.append("(the first ")
                    .append(shown)
                    .append(" of ")
                    .append(count)
                    .append(")\n");
        }
    }

    private static String count(long count, String what) {
        return String.format(Locale.ROOT, "%,d", count) + " " + what + (count == 1 ? "" : "s");
    }
}
