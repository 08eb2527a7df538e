package io.sluice.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --pipeline NAME}: which pipeline of a file a command about one pipeline means. */
final class PipelineName {
    @Option(names = "--pipeline", paramLabel = "NAME", description = "The pipeline of the file, when it has several")
    String name;

    Optional<String> get() {
        return Optional.ofNullable(name);
    }
}
