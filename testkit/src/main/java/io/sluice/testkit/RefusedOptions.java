package io.sluice.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A case for {@link SinkContract}: options a connector must refuse, and every message the
 * user sees for them, in full and in order — the messages are part of the connector's
 * interface, so the contract pins their text.
 */
public record RefusedOptions(Map<String, String> options, List<String> messages) {
    public RefusedOptions {
        options = Map.copyOf(requireNonNull(options, "options is null"));
        messages = List.copyOf(requireNonNull(messages, "messages is null"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("refused options need at least one expected message");
        }
    }

    public static RefusedOptions of(Map<String, String> options, String... messages) {
        return new RefusedOptions(options, List.of(messages));
    }
}
