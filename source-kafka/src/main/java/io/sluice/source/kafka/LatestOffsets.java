package io.sluice.source.kafka;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.KafkaAdmin;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest offsets of a batch's partitions, asked of the cluster when Spark's progress does
 * not carry them (a replayed batch, the available-now trigger), for the backlog a progress line
 * and the metrics show. One admin client per cluster settings, kept for the process (its thread
 * is a daemon); a short timeout, and nothing — no backlog figure — when the cluster is slow:
 * this runs on the thread that reports every query's progress.
 */
final class LatestOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(LatestOffsets.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Map<Map<String, Object>, Admin> ADMINS = new ConcurrentHashMap<>();
    /**
     * The last answer, by cluster settings and end offsets: the progress line and the metrics
     * endpoint each ask for the same batch, and the cluster is asked once.
     */
    private static final Map<Map<String, Object>, Map.Entry<String, Map<String, Long>>> LAST =
            new ConcurrentHashMap<>();

    private LatestOffsets() {}

    /** Records behind the latest offsets per partition ({@code t-0}), from a batch's end offsets; empty when unknown. */
    static Map<String, Long> behind(ConnectorOptions options, String endOffsets) {
        Map<TopicPartition, Long> end = KafkaJson.partitionOffsets(endOffsets);
        if (end.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        end.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<String, Object> config = KafkaAdmin.config(options, TIMEOUT);
        Map.Entry<String, Map<String, Long>> last = LAST.get(config);
        if (last != null && last.getKey().equals(endOffsets)) {
            return last.getValue();
        }
        try {
            Admin admin = ADMINS.computeIfAbsent(config, Admin::create);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                    admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Long> behind = new TreeMap<>();
            end.forEach((partition, offset) -> {
                ListOffsetsResult.ListOffsetsResultInfo info = answer.get(partition);
                if (info != null) {
                    behind.put(partition.toString(), Math.max(0, info.offset() - offset));
                }
            });
            Map<String, Long> known = java.util.Collections.unmodifiableMap(behind);
            LAST.put(config, Map.entry(endOffsets, known));
            return known;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) { // the admin client's futures throw checked exceptions; no figure is better than a wait
            LOG.debug("could not read the latest offsets for the backlog", e);
            return Map.of();
        }
    }
}
