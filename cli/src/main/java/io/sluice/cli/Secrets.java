package io.sluice.cli;

import io.sluice.cli.file.PipelineFile;
import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.engine.catalog.SecretMask;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of every option declared secret in a set of pipelines, to mask them in anything
 * the command prints — the resolved pipeline, Spark's plan, a failure's message or trace —
 * whether they were written in the file or came from a variable.
 */
final class Secrets {
    static final String MASK = SecretMask.MASK;
    private final SecretMask mask;

    private Secrets(Set<String> values) {
        this.mask = SecretMask.of(values);
    }

    static Secrets of(List<PipelineFile> files, ConnectorRegistry registry) {
        Set<String> values = new LinkedHashSet<>();
        for (PipelineFile file : files) {
            for (PipelineFile.FilePipeline pipeline : file.pipelines()) {
                var definition = pipeline.definition();
                registry.source(definition.sourceName())
                        .connector()
                        .ifPresent(c -> collect(c, definition.sourceOptions(), values));
                definition
                        .sinks()
                        .forEach(sink -> registry.sink(sink.connector())
                                .connector()
                                .ifPresent(c -> collect(c, sink.options(), values)));
            }
        }
        return new Secrets(values);
    }

    private static void collect(Connector connector, Map<String, String> options, Set<String> values) {
        options.forEach((key, value) -> {
            if (isSecret(connector, key)) {
                values.add(value);
            }
        });
    }

    /** Whether {@code key} is declared secret by the connector, by name or through a prefix. */
    static boolean isSecret(Connector connector, String key) {
        return OptionsValidator.isSecret(connector, key);
    }

    String mask(String text) {
        return mask.mask(text);
    }
}
