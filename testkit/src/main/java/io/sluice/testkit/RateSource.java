package io.sluice.testkit;

import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark's {@code rate} source as a connector: rows of {@code (timestamp, value)}, for tests
 * that need a stream but no broker — such as validating a sink against a schema made with
 * SQL over it. Not registered with ServiceLoader, like {@link CollectingSink}: add it with
 * {@code ConnectorRegistry.withSource(new RateSource())}.
 */
public final class RateSource implements StreamSource {
    static final OptionSpec<Long> ROWS_PER_SECOND = OptionSpec.longOption("rowsPerSecond")
            .defaultValue(1L)
            .check(OptionCheck.positive())
            .description("Rows generated per second")
            .build();

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public String description() {
        return "Spark's rate source: (timestamp, value) rows at a fixed rate (tests only)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(ROWS_PER_SECOND);
    }

    @Override
    public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
        return context.spark()
                .readStream()
                .format("rate")
                .option("rowsPerSecond", options.get(ROWS_PER_SECOND))
                .load();
    }
}
