package io.sluice.source.kafka;

import io.sluice.core.CommitListener;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.kafka.KafkaAdmin;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code commitOffsetsTo}: after each committed batch, its end offsets written to a consumer
 * group with the admin client — what {@code kafka-consumer-groups --describe}, Burrow and lag
 * exporters read, and Spark never writes (it keeps offsets in the checkpoint only). Each offset
 * carries metadata naming the pipeline and the batch. The write is asynchronous and its failure
 * only logged: this is monitoring, and the checkpoint stays the truth of what was read.
 */
final class GroupOffsets implements CommitListener {
    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String group;
    private final String pipeline;
    private final Map<String, Object> config;
    private Admin admin;
    private boolean warned;

    GroupOffsets(String group, String pipeline, ConnectorOptions options) {
        this.group = group;
        this.pipeline = pipeline;
        this.config = KafkaAdmin.config(options, TIMEOUT);
    }

    @Override
    public synchronized void committed(long batchId, SourceProgress progress) {
        Map<TopicPartition, Long> end = KafkaJson.partitionOffsets(progress.endOffset());
        if (end.isEmpty()) {
            return;
        }
        String metadata = "sluice pipeline '" + pipeline + "' batch " + batchId;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        end.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset, metadata)));
        if (admin == null) {
            admin = Admin.create(config);
        }
        admin.alterConsumerGroupOffsets(group, offsets).all().whenComplete((done, failure) -> {
            if (failure != null) {
                warn(batchId, failure);
            } else {
                LOG.debug("consumer group '{}': offsets of batch {} written", group, batchId);
            }
        });
    }

    private synchronized void warn(long batchId, Throwable failure) {
        // once at WARN, then at DEBUG: a group that gained members fails every batch the same way
        if (!warned) {
            LOG.warn(
                    "commitOffsetsTo: could not write the offsets of batch {} to consumer group '{}' (monitoring only,"
                            + " the pipeline goes on): {}",
                    batchId,
                    group,
                    failure.toString());
            warned = true;
        } else {
            LOG.debug("commitOffsetsTo: batch {} not written to '{}'", batchId, group, failure);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
