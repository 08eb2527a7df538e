package io.sluice.examples.jdbc;

import com.google.auto.service.AutoService;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A third-party sink, written only against Sluice's public SPI: upserts each micro-batch
 * into a JDBC table by key, exactly once per batch. Found by name ({@code jdbc}) because of
 * the {@code @AutoService} registration; nothing in Sluice knows about it.
 */
@AutoService(StreamSink.class)
public final class JdbcSink implements StreamSink {
    static final OptionSpec<String> URL = OptionSpec.stringOption("url").required()
            .check(url -> url.startsWith("jdbc:"), "must be a JDBC URL (jdbc:...)")
            .description("JDBC URL of the database, e.g. jdbc:h2:file:/data/orders").build();
    static final OptionSpec<String> TABLE = OptionSpec.stringOption("table").required()
            .check(t -> t.matches("[A-Za-z_][A-Za-z0-9_]*"), "must be a plain SQL identifier")
            .description("Table to upsert into; created from the query's schema when missing").build();
    static final OptionSpec<List<String>> KEY = OptionSpec.listOption("key").required()
            .description("Columns that identify a row: a row with the same key is replaced").build();
    static final OptionSpec<String> USER = OptionSpec.stringOption("user").defaultValue("")
            .description("Database user").build();
    static final OptionSpec<String> PASSWORD = OptionSpec.stringOption("password").secret().defaultValue("")
            .description("Database password").build();

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "Upserts each micro-batch into a JDBC table by key, once per batch (example plugin)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(URL, TABLE, KEY, USER, PASSWORD);
    }

    @Override
    public List<String> validate(SinkContext context, ConnectorOptions options, StructType schema) {
        List<String> problems = new ArrayList<>();
        List<String> columns = List.of(schema.fieldNames());
        for (String key : options.get(KEY)) {
            if (!columns.contains(key)) {
                problems.add("option 'key' names column '" + key + "', which the query does not have (columns: "
                        + String.join(", ", columns) + ")");
            }
        }
        for (StructField field : schema.fields()) {
            if (SqlTypes.of(field.dataType()).isEmpty()) {
                problems.add("column '" + field.name() + "' of type " + field.dataType().simpleString()
                        + " has no SQL type here: select it as a string, e.g. to_json(" + field.name() + ")");
            }
        }
        return problems;
    }

    @Override
    public DataStreamWriter<Row> write(SinkContext context, Dataset<Row> data, ConnectorOptions options) {
        JdbcBatchWriter writer = new JdbcBatchWriter(options.get(URL), options.get(USER), options.get(PASSWORD),
                options.get(TABLE), options.get(KEY), context.queryName(), data.schema());
        VoidFunction2<Dataset<Row>, Long> upsert = (batch, batchId) -> writer.write(batchId, batch.collectAsList());
        return data.writeStream().foreachBatch(upsert);
    }
}
