package io.sluice.engine.pipeline;

import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.catalog.Lookup;
import io.sluice.engine.catalog.OptionsValidator;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.plan.PlanningContext;
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
        Lookup<StreamSource> lookup = registry.source(sourceName);
        StreamSource source = lookup.connector()
                .orElseThrow(() -> new ValidationException(
                        List.of(Problem.of(lookup.problem().orElseThrow()))));
        String subject = source.kind().subject(source.name());
        OptionsValidator.Result result = OptionsValidator.validate(source, List.of(), options);
        if (!result.valid()) {
            throw new ValidationException(subject, result.problems());
        }
        SourceContext context = PlanningContext.outsidePipeline(spark, sourceName);
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
