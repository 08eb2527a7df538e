package io.sluice.cli;

import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --jars a.jar,b.jar}: connector plugins and their libraries for one command, found like
 * the built-in connectors — put on the class path the connector catalogue is loaded from and,
 * for {@code run}, given to Spark ({@code spark.jars}) so that its tasks load them too. Beside
 * {@code plugins/} of the distribution and {@code SLUICE_CLASSPATH}, which the launcher adds.
 */
final class ExtraJars {
    @Option(
            names = "--jars",
            paramLabel = "JAR",
            split = ",",
            description = "Plugin jars (and their libraries), comma-separated: their connectors are found like the"
                    + " built-in ones")
    List<Path> jars = new ArrayList<>();

    /**
     * Puts the jars on this thread's class path; 0 when done, or 2 after saying which jar does
     * not exist.
     */
    int install(CommandSpec spec) {
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("sluice " + spec.name() + ": --jars: " + jar + " does not exist");
                err.flush();
                return 2;
            }
        }
        if (!jars.isEmpty()) {
            List<URL> urls = new ArrayList<>();
            for (Path jar : jars) {
                try {
                    urls.add(jar.toAbsolutePath().toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("not a file path: " + jar, e);
                }
            }
            Thread.currentThread()
                    .setContextClassLoader(new URLClassLoader(
                            urls.toArray(URL[]::new), Thread.currentThread().getContextClassLoader()));
        }
        return 0;
    }

    /** The jars as Spark's {@code spark.jars} setting; empty without {@code --jars}. */
    Optional<String> sparkJars() {
        return jars.isEmpty()
                ? Optional.empty()
                : Optional.of(jars.stream()
                        .map(jar -> jar.toAbsolutePath().toString())
                        .collect(Collectors.joining(",")));
    }
}
