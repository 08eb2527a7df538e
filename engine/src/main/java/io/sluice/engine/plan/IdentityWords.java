package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a connector reads or writes ({@link io.sluice.core.Connector#identity}) as a person
 * reads it — {@code path: /data/orders} — in every message and report that names a place: two
 * sinks writing one place, a sink that moved since its checkpoint, {@code checkpoint show}.
 */
public final class IdentityWords {
    private IdentityWords() {}

    /** {@code path: /data/orders, table: t}: the options set, in their order; unset ones left out. */
    public static String of(Map<String, String> identity) {
        requireNonNull(identity, "identity is null");
        List<String> set = new ArrayList<>();
        identity.forEach((key, value) -> {
            if (value != null) {
                set.add(key + ": " + value);
            }
        });
        return String.join(", ", set);
    }

    /** {@code parquet (path: /data/orders)}: a connector and its place; the name alone when it has none. */
    public static String of(String connector, Map<String, String> identity) {
        requireNonNull(connector, "connector is null");
        String place = of(identity);
        return place.isEmpty() ? connector : connector + " (" + place + ")";
    }
}
