package io.sluice.cli;

import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice connectors}: the catalogue of every source and sink on the class path. */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = "Lists the sources and sinks on the class path (plugins included), or one connector's options.")
final class ConnectorsCommand implements Callable<Integer> {
    enum Format {
        text,
        json,
        markdown
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ExtraJars extraJars;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "A connector's name: show its options")
    String name;

    @Option(names = "--format", defaultValue = "text", description = "text, json or markdown")
    Format format;

    @Override
    public Integer call() throws Exception {
        int badJars = extraJars.install(spec);
        if (badJars != 0) {
            return badJars;
        }
        PrintWriter out = spec.commandLine().getOut();
        ConnectorRegistry registry =
                ConnectorRegistry.load(Thread.currentThread().getContextClassLoader());
        registry.problems().forEach(p -> spec.commandLine().getErr().println("sluice connectors: " + p));
        List<Connector> all = Catalogue.all(registry);
        List<Connector> chosen = name == null
                ? all
                : all.stream().filter(c -> c.name().equals(name)).toList();
        if (chosen.isEmpty()) {
            List<String> names =
                    all.stream().map(Connector::name).distinct().sorted().toList();
            spec.commandLine()
                    .getErr()
                    .println("sluice connectors: no connector named '" + name + "'"
                            + Suggestions.didYouMean(name, names) + " (connectors: " + String.join(", ", names) + ")");
            return 1;
        }
        switch (format) {
            case json ->
                out.println(Catalogue.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Catalogue.json(chosen)));
            case markdown -> out.print(Catalogue.markdown(chosen));
            default -> out.print(Catalogue.text(chosen, name != null));
        }
        out.flush();
        return 0;
    }
}
