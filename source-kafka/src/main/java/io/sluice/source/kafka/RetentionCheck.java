package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.FAIL_ON_DATA_LOSS;

import io.sluice.core.BatchLogs;
import io.sluice.core.option.ConnectorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a restarted query reads on from its checkpoint: are the records it would read next
 * still in Kafka? Retention may have deleted them while the pipeline was down. Spark finds out
 * only in the first batch ("Some data may have been lost ..."); this names each partition and
 * how many records are gone before any query starts, and fails or warns by
 * {@code failOnDataLoss}, as Spark would.
 */
final class RetentionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionCheck.class);

    private RetentionCheck() {}

    /**
     * Why the pipeline must not start: records it has yet to read ({@code next}, from its
     * checkpoint) are gone ({@code earliest}, from the cluster); empty when none are, or when
     * that is accepted.
     */
    static Optional<String> check(
            Map<TopicPartition, Long> next, Map<TopicPartition, Long> earliest, ConnectorOptions options) {
        List<String> lost = new ArrayList<>();
        inOrder(next).forEach(partition -> {
            long from = next.get(partition);
            long first = earliest.getOrDefault(partition, from);
            if (first > from) {
                lost.add(partition.topic() + " partition " + partition.partition() + ": " + (first - from)
                        + " records (offsets " + from + " to " + (first - 1) + ")");
            }
        });
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        String message =
                "records the checkpoint has not read yet are gone from Kafka (deleted by retention while the pipeline"
                        + " was stopped): " + String.join("; ", lost);
        if (options.get(FAIL_ON_DATA_LOSS)) {
            return Optional.of(message + " — set failOnDataLoss false to go on from the earliest records left,"
                    + " or replay them from a copy");
        }
        LOG.warn("source 'kafka': {} — going on from the earliest records left (failOnDataLoss is false)", message);
        return Optional.empty();
    }

    /**
     * Why the pipeline must not start: its checkpoint reads on from offsets past what the
     * partitions have ({@code latest}, from the cluster) — the topic was deleted and made again,
     * or the cluster is another one. Spark would report data lost and start the partition over
     * (or fail) only in the first batch; this names each partition and the way out before any
     * query starts. Empty when none is ahead, or when that is accepted ({@code failOnDataLoss} false).
     */
    static Optional<String> ahead(
            Map<TopicPartition, Long> next, Map<TopicPartition, Long> latest, ConnectorOptions options) {
        List<String> ahead = new ArrayList<>();
        inOrder(next).forEach(partition -> {
            long from = next.get(partition);
            Long last = latest.get(partition);
            if (last != null && from > last) {
                ahead.add(partition.topic() + " partition " + partition.partition() + ": the checkpoint reads on"
                        + " from offset " + from + ", the partition ends at " + last);
            }
        });
        if (ahead.isEmpty()) {
            return Optional.empty();
        }
        String message = "the checkpoint is ahead of what Kafka has (was the topic deleted and made again?): "
                + String.join("; ", ahead);
        if (options.get(FAIL_ON_DATA_LOSS)) {
            return Optional.of(message + " — move where the pipeline reads next with sluice checkpoint rewind FILE"
                    + " --to-offsets (-2 for a partition's earliest) or --to-latest, or give it a new"
                    + " checkpointLocation");
        }
        LOG.warn("source 'kafka': {} — Spark starts those partitions over (failOnDataLoss is false)", message);
        return Optional.empty();
    }

    /** The partitions, in the order a person reads them ({@code orders-0, orders-1, ...}). */
    private static java.util.Collection<TopicPartition> inOrder(Map<TopicPartition, Long> offsets) {
        return new TreeMap<>(offsets.keySet().stream().collect(Collectors.toMap(TopicPartition::toString, p -> p)))
                .values();
    }

    /** Where the query will read on: the end offsets of the last committed batch; empty before the first commit. */
    static Map<TopicPartition, Long> committedOffsets(SparkSession spark, String checkpoint) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OptionalLong last = BatchLogs.latest(hadoop, new Path(checkpoint, "commits"));
        if (last.isEmpty()) {
            return Map.of();
        }
        // a pipeline has one source: the first line of offsets
        return BatchLogs.sourceOffsets(hadoop, checkpoint, last.getAsLong())
                .filter(sources -> !sources.isEmpty())
                .map(sources -> KafkaJson.partitionOffsets(sources.get(0)))
                .orElse(Map.of());
    }
}
