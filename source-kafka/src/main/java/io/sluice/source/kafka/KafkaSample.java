package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.SampleRequest;
import io.sluice.core.SourceContext;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.KafkaAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The raw records of a preview: the latest records of each partition, read from the cluster as
 * one bounded batch (Spark's Kafka batch source between offsets asked of the cluster, so no
 * consumer group commits anything), or records given by hand, in the columns Spark's Kafka
 * source has. {@link RecordDecoder} decodes either as it decodes a stream.
 */
final class KafkaSample {
    /** A person waits for the answer: a broker that does not answer in this time is said to. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a stream starts and how fast it goes: a sample reads between offsets of its own. */
    private static final Set<String> STREAM_ONLY = Set.of(
            SUBSCRIBE.name(),
            SUBSCRIBE_PATTERN.name(),
            ASSIGN.name(),
            STARTING_OFFSETS.name(),
            STARTING_OFFSETS_BY_TIMESTAMP.name(),
            STARTING_TIMESTAMP.name(),
            STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY.name(),
            MAX_OFFSETS_PER_TRIGGER.name(),
            MIN_OFFSETS_PER_TRIGGER.name(),
            MAX_TRIGGER_DELAY.name());

    /** The raw rows, and what they are in words. */
    record Raw(Dataset<Row> rows, String description) {}

    private KafkaSample() {}

    static Raw raw(SourceContext context, ConnectorOptions options, SampleRequest request) throws Exception {
        return request.given().isEmpty() ? read(context, options, request.limit()) : given(context, options, request);
    }

    private static Raw read(SourceContext context, ConnectorOptions options, int limit) throws Exception {
        Map<TopicPartition, long[]> ranges = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
        try (Admin admin = Admin.create(KafkaAdmin.config(options, TIMEOUT))) {
            List<TopicPartition> partitions = KafkaOffsets.partitions(admin, options);
            Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(admin, partitions, OffsetSpec.latest());
            for (TopicPartition partition : partitions) {
                long end = latest.get(partition).offset();
                long start = Math.max(earliest.get(partition).offset(), end - limit);
                ranges.put(partition, new long[] {start, end});
            }
        }
        Set<String> topics = new java.util.TreeSet<>();
        ranges.keySet().forEach(partition -> topics.add(partition.topic()));
        String description = "the latest " + limit + (limit == 1 ? " record" : " records") + " of each of "
                + ranges.size() + (ranges.size() == 1 ? " partition" : " partitions") + " of "
                + String.join(", ", topics.stream().map(t -> "'" + t + "'").toList());
        if (ranges.isEmpty()) {
            return new Raw(context.spark().createDataFrame(List.of(), rawSchema(options)), description);
        }
        Map<String, String> batch = new HashMap<>(options.asMap());
        SLUICE_ONLY.forEach(batch::remove);
        STREAM_ONLY.forEach(batch::remove);
        batch.put(ASSIGN.name(), offsetsJson(ranges, null));
        batch.put(STARTING_OFFSETS.name(), offsetsJson(ranges, 0));
        batch.put("endingOffsets", offsetsJson(ranges, 1));
        return new Raw(context.spark().read().format("kafka").options(batch).load(), description);
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(
            Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        partitions.forEach(partition -> asked.put(partition, spec));
        return admin.listOffsets(asked).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Spark's JSON of partitions ({@code which} null: {@code {"t":[0,1]}}) or of their start or end offsets. */
    private static String offsetsJson(Map<TopicPartition, long[]> ranges, Integer which)
            throws JsonProcessingException {
        Map<String, Object> byTopic = new TreeMap<>();
        ranges.forEach((partition, range) -> {
            if (which == null) {
                @SuppressWarnings("unchecked")
                List<Integer> numbers =
                        (List<Integer>) byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>());
                numbers.add(partition.partition());
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Long> offsets =
                        (Map<String, Long>) byTopic.computeIfAbsent(partition.topic(), t -> new TreeMap<>());
                offsets.put(String.valueOf(partition.partition()), range[which]);
            }
        });
        return JSON.writeValueAsString(byTopic);
    }

    /** The given records as the fixture gives them: the first topic the options name, partition 0. */
    private static Raw given(SourceContext context, ConnectorOptions options, SampleRequest request) {
        KafkaFixture fixture = new KafkaFixture(options);
        List<Row> rows = fixture.rows(request.given());
        int count = rows.size();
        return new Raw(
                context.spark().createDataFrame(rows, fixture.schema()),
                count + (count == 1 ? " record" : " records") + " given, as partition 0 of '" + fixture.topic() + "'");
    }

    /** The columns of Spark's Kafka source. */
    private static StructType rawSchema(ConnectorOptions options) {
        return new KafkaFixture(options).schema();
    }
}
