package io.sluice.cli;

import io.sluice.core.catalog.ConnectorRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice schema}: the pipeline file's JSON Schema, for editors with a YAML language server. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the pipeline file's JSON Schema, for editors with a YAML language server.",
            "Generated from the connectors on the class path: completion and checks while typing.",
            "With --tests, the schema of test files (NAME.test.yaml) instead."
        })
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(
            names = "--tests",
            description = "Print the schema of test files (NAME.test.yaml, run by sluice test)")
    boolean tests;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Object schema = tests
                ? TestSchema.file()
                : PipelineSchema.of(
                        ConnectorRegistry.load(Thread.currentThread().getContextClassLoader()));
        out.println(Catalogue.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema));
        out.flush();
        return 0;
    }
}
