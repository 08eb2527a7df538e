package io.sluice.source.kafka;

import static io.sluice.source.kafka.KafkaSourceOptions.*;

import io.sluice.core.option.ConnectorOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What the source asks the cluster before a query starts, through an admin client made from
 * its {@code kafka.*} options: its partitions (real-time mode needs a core each), the earliest
 * offsets (records deleted by retention).
 */
final class KafkaOffsets {
    private KafkaOffsets() {}

    /** The partitions the source's options name: assigned ones, or every partition of the subscribed or matching topics. */
    static List<TopicPartition> partitions(Admin admin, ConnectorOptions options) throws Exception {
        if (options.isSet(ASSIGN)) {
            return KafkaJson.assignment(options.get(ASSIGN));
        }
        List<String> topics;
        if (options.isSet(SUBSCRIBE)) {
            topics = KafkaJson.topicList(options.get(SUBSCRIBE));
        } else {
            Pattern pattern = Pattern.compile(options.get(SUBSCRIBE_PATTERN));
            topics = admin.listTopics(new ListTopicsOptions()).names().get(60, TimeUnit.SECONDS).stream()
                    .filter(topic -> pattern.matcher(topic).matches())
                    .toList();
        }
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
        return descriptions.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }
}
