package io.sluice.core.engine;

import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.catalog.OptionsValidator;
import io.sluice.core.definition.Problem;
import io.sluice.core.definition.ValidationException;
import io.sluice.spi.SourceContext;
import io.sluice.spi.StreamSource;
import io.sluice.spi.StreamTrigger;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a source outside a pipeline — the streaming {@code Dataset} a source produces, after
 * the same validation a pipeline does — for exploring a stream's schema or writing it with
 * plain Spark.
 */
public final class SourceReader {
    private SourceReader() {}

    public static Dataset<Row> read(
            SparkSession spark, ConnectorRegistry registry, String sourceName, Map<String, String> options) {
        StreamSource source = registry.source(sourceName).orElseThrow();
        String subject = source.kind().subject(source.name());
        OptionsValidator.Result result = OptionsValidator.validate(source, List.of(), options);
        if (!result.valid()) {
            throw new ValidationException(subject, result.problems());
        }
        SourceContext context = new PlanningContext(
                spark,
                sourceName,
                StreamTrigger.processingTime(java.time.Duration.ZERO),
                java.util.Optional.empty(),
                counter -> {});
        List<String> preflight = source.preflight(context, result.options());
        if (!preflight.isEmpty()) {
            throw new ValidationException(
                    subject,
                    preflight.stream()
                            .map(message -> new Problem(subject, message))
                            .toList());
        }
        return source.read(context, result.options());
    }
}
