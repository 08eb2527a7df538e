package io.sluice.source.kafka;

import io.sluice.core.option.ConnectorOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** An admin client's settings from the source's {@code kafka.*} options (security, addresses), with short timeouts. */
final class AdminConfig {
    private AdminConfig() {}

    static Map<String, Object> of(ConnectorOptions options, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        options.withPrefix("kafka.").forEach((key, value) -> config.put(key.substring("kafka.".length()), value));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }
}
