package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;
import static java.util.Objects.requireNonNull;

import io.sluice.spi.SampleRecord;
import io.sluice.spi.SourceFixture;
import io.sluice.spi.option.ConnectorOptions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Records given by hand as Spark's Kafka source gives them: the same columns (headers when
 * {@code includeHeaders} is on), the first topic the options name, the partition the record
 * asks for (0 by default), offsets counted per partition across every batch of the fixture,
 * CreateTime timestamps. Used by a test run's stream and by a preview of given records.
 */
final class KafkaFixture implements SourceFixture {
    /** Kafka's timestampType for a timestamp the producer set. */
    private static final int CREATE_TIME = 0;

    private final ConnectorOptions options;
    private final String topic;
    private final Map<Integer, Long> nextOffset = new HashMap<>();

    KafkaFixture(ConnectorOptions options) {
        this.options = requireNonNull(options, "options is null");
        this.topic = options.isSet(SUBSCRIBE)
                ? KafkaJson.topicList(options.get(SUBSCRIBE)).get(0)
                : options.isSet(ASSIGN)
                        ? KafkaJson.topics(options.get(ASSIGN)).stream()
                                .sorted()
                                .findFirst()
                                .orElse("fixture")
                        : "fixture";
    }

    /** The topic the given records are said to come from. */
    String topic() {
        return topic;
    }

    @Override
    public StructType schema() {
        StructType schema = new StructType()
                .add("key", DataTypes.BinaryType)
                .add("value", DataTypes.BinaryType)
                .add("topic", DataTypes.StringType)
                .add("partition", DataTypes.IntegerType)
                .add("offset", DataTypes.LongType)
                .add("timestamp", DataTypes.TimestampType)
                .add("timestampType", DataTypes.IntegerType);
        return options.get(INCLUDE_HEADERS)
                ? schema.add(
                        "headers",
                        DataTypes.createArrayType(new StructType()
                                .add("key", DataTypes.StringType)
                                .add("value", DataTypes.BinaryType)))
                : schema;
    }

    @Override
    public synchronized List<Row> rows(List<SampleRecord> records) {
        requireNonNull(records, "records is null");
        boolean headers = options.get(INCLUDE_HEADERS);
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>(records.size());
        for (SampleRecord record : records) {
            int partition = record.partition().orElse(0);
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            Object[] values = {
                record.key().orElse(null),
                record.value(),
                topic,
                partition,
                offset,
                Timestamp.from(record.timestamp().orElse(now)),
                CREATE_TIME,
                // Spark's Kafka source gives null, not an empty array, for a record without headers
                record.headers().isEmpty()
                        ? null
                        : record.headers().stream()
                                .map(h -> RowFactory.create(h.key(), h.value()))
                                .toList()
            };
            rows.add(RowFactory.create(headers ? values : java.util.Arrays.copyOf(values, values.length - 1)));
        }
        return rows;
    }

    @Override
    public Dataset<Row> rejected(Dataset<Row> raw) {
        return RecordDecoder.sample(raw, KafkaSource.decoding(options), "").rejected();
    }
}
