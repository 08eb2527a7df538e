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
            "Generated from the connectors on the class path: completion and checks while typing."
        })
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        out.println(Catalogue.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(PipelineSchema.of(registry)));
        out.flush();
        return 0;
    }
}
