package io.sluice.engine.testing;

import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A test source: JSON-lines files in a directory, read with a DDL schema. Registered in test resources. */
public final class JsonDirSource implements StreamSource {
    public static final OptionSpec<String> PATH = OptionSpec.stringOption("path")
            .required()
            .description("Directory of JSON-lines files")
            .build();
    public static final OptionSpec<String> SCHEMA = OptionSpec.stringOption("schema")
            .required()
            .description("Spark DDL schema of the records")
            .build();
    public static final OptionSpec<Integer> MAX_FILES = OptionSpec.intOption("maxFilesPerTrigger")
            .defaultValue(100)
            .check(OptionCheck.positive())
            .description("Files per micro-batch")
            .build();
    public static final OptionSpec<String> TOKEN = OptionSpec.stringOption("token")
            .secret()
            .description("A secret that must never be printed")
            .build();

    @Override
    public String name() {
        return "json-dir";
    }

    @Override
    public String description() {
        return "JSON-lines files in a directory (test source)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(PATH, SCHEMA, MAX_FILES, TOKEN);
    }

    @Override
    public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
        return context.spark()
                .readStream()
                .schema(options.get(SCHEMA))
                .option("maxFilesPerTrigger", options.get(MAX_FILES))
                .json(options.get(PATH));
    }
}
