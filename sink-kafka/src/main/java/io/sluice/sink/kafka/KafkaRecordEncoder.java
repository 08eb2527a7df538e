package io.sluice.sink.kafka;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.sluice.core.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a query's rows into the columns Spark's Kafka writer takes — {@code value}, and
 * {@code key}, {@code topic}, {@code headers} when used — by the sink's encoding options, and
 * says before start what cannot be encoded. The same projection serves validation (over an
 * empty frame of the query's schema) and writing, so what validates is what runs.
 *
 * <p>Only those columns are handed to Spark: a column of the query that happens to be named
 * {@code partition} (the kafka source has one) never picks the target partition.
 */
final class KafkaRecordEncoder {
    /** Spark's type for Kafka record headers, as the kafka source gives them. */
    static final DataType HEADERS_TYPE = DataTypes.createArrayType(DataTypes.createStructType(List.of(
            DataTypes.createStructField("key", DataTypes.StringType, true),
            DataTypes.createStructField("value", DataTypes.BinaryType, true))));

    record Encoding(String valueFormat, Optional<String> keyColumn, Optional<String> headers, boolean topicColumn) {
        boolean writesColumns() {
            return valueFormat.equals("json") || RegistryValue.FORMATS.contains(valueFormat);
        }
    }

    private KafkaRecordEncoder() {}

    /** The problems of encoding {@code schema}; each a sentence without the connector prefix. */
    static List<String> problems(StructType schema, Encoding encoding) {
        List<String> problems = new ArrayList<>();
        List<String> columns = List.of(schema.fieldNames());
        String listing = " (columns: " + String.join(", ", columns) + ")";
        problems.addAll(Messages.missingColumns(
                "key.column", encoding.keyColumn().stream().toList(), schema));
        encoding.headers().ifPresent(headers -> {
            if (!columns.contains(headers)) {
                problems.addAll(Messages.missingColumns("headers", List.of(headers), schema));
            } else if (!schema.apply(headers).dataType().sameType(HEADERS_TYPE)) {
                problems.add("column '" + headers + "' is "
                        + schema.apply(headers).dataType().simpleString()
                        + ": headers must be array<struct<key: string, value: binary>> (the kafka source's 'headers'"
                        + " with includeHeaders, or array(named_struct('key', 'k', 'value', CAST(v AS BINARY))))");
            }
        });
        if (encoding.topicColumn()) {
            if (!columns.contains("topic")) {
                problems.add("no topic: set option 'topic', or give each row its topic in a string column 'topic'"
                        + listing);
            } else if (!(schema.apply("topic").dataType() instanceof StringType)) {
                problems.add(
                        "column 'topic' is " + schema.apply("topic").dataType().simpleString()
                                + ": a topic is a string (CAST(topic AS STRING)), or set option 'topic'");
            }
        }
        if (encoding.writesColumns()) {
            if (valueColumns(schema, encoding).isEmpty()) {
                problems.add("value.format '" + encoding.valueFormat()
                        + "' writes every column but the key, topic and headers, and none is left" + listing);
            }
        } else if (!columns.contains("value")) {
            problems.add(
                    "value.format '" + encoding.valueFormat() + "' writes the " + Messages.notInQuery("value", schema)
                            + ": select one (e.g. CAST(x AS STRING) AS value), or use value.format json");
        } else {
            DataType type = schema.apply("value").dataType();
            DataType wanted = encoding.valueFormat().equals("string") ? DataTypes.StringType : DataTypes.BinaryType;
            if (!type.sameType(wanted)) {
                problems.add("column 'value' is " + type.simpleString() + ": value.format '" + encoding.valueFormat()
                        + "' needs a " + wanted.simpleString() + " column (CAST(value AS " + wanted.sql()
                        + ")), or use value.format json");
            }
        }
        return problems;
    }

    /** The columns a value in a registry format holds, as one struct type: what its schema is derived from. */
    static StructType valueType(StructType schema, Encoding encoding) {
        List<String> names = valueColumns(schema, encoding);
        return new StructType(names.stream().map(schema::apply).toArray(StructField[]::new));
    }

    /** The rows as Spark's Kafka writer wants them; {@code registry} is the value's schema in a registry format. */
    static Dataset<Row> encode(Dataset<Row> data, Encoding encoding, Optional<RegistryValue> registry) {
        return encode(data, encoding, registry, Optional.empty());
    }

    /** As above, with {@code registryKey} the key's schema when the key is written in a registry format. */
    static Dataset<Row> encode(
            Dataset<Row> data,
            Encoding encoding,
            Optional<RegistryValue> registry,
            Optional<RegistryValue> registryKey) {
        List<Column> columns = new ArrayList<>();
        if (encoding.writesColumns()) {
            Column[] fields = valueColumns(data.schema(), encoding).stream()
                    .map(name -> col(quote(name)))
                    .toArray(Column[]::new);
            columns.add(registry.map(value -> value.encode(struct(fields)))
                    .orElseGet(() -> to_json(struct(fields)))
                    .as("value"));
        } else {
            columns.add(col("value"));
        }
        encoding.keyColumn()
                .ifPresent(key -> columns.add(registryKey
                        .map(schema -> schema.encode(col(quote(key))))
                        .orElseGet(() -> key(data.schema().apply(key)))
                        .as("key")));
        if (encoding.topicColumn()) {
            columns.add(col("topic"));
        }
        encoding.headers().ifPresent(headers -> columns.add(col(quote(headers)).as("headers")));
        return data.select(columns.toArray(Column[]::new));
    }

    private static List<String> valueColumns(StructType schema, Encoding encoding) {
        Set<String> excluded = Stream.of(
                        encoding.keyColumn(),
                        encoding.headers(),
                        encoding.topicColumn() ? Optional.of("topic") : Optional.<String>empty())
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        return Stream.of(schema.fieldNames())
                .filter(name -> !excluded.contains(name))
                .toList();
    }

    private static Column key(StructField field) {
        DataType type = field.dataType();
        Column column = col(quote(field.name()));
        if (type instanceof StringType || type instanceof BinaryType) {
            return column;
        }
        if (type instanceof StructType || type instanceof MapType || type instanceof ArrayType) {
            return to_json(column);
        }
        return column.cast(DataTypes.StringType);
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
