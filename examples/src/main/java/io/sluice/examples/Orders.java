package io.sluice.examples;

import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A realistic, repeatable stream of JSON orders for the examples, with a few malformed
 * records mixed in the way real producers get things wrong (truncated JSON, a string where a
 * number belongs, an empty value).
 */
public final class Orders {
    /** The Spark DDL schema of an order, as the Kafka source's {@code value.schema}. */
    public static final String SCHEMA = "order_id BIGINT, customer STRING, status STRING, amount DOUBLE,"
            + " items ARRAY<STRUCT<sku: STRING, qty: INT>>, created_at TIMESTAMP";

    private static final String[] STATUSES = {"PAID", "PAID", "PAID", "SHIPPED", "SHIPPED", "CANCELLED"};
    private static final String[] SKUS = {"TEA-01", "MUG-02", "KETTLE-03", "FILTER-04", "SPOON-05"};

    private Orders() {}

    /** {@code count} records keyed by customer; every {@code badEvery}-th is malformed (0 for none). */
    public static List<Map.Entry<String, String>> generate(int count, int badEvery) {
        Random random = new Random(42);
        Instant start = Instant.parse("2026-11-23T09:00:00Z");
        List<Map.Entry<String, String>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String customer = "c-" + (1 + random.nextInt(500));
            if (badEvery > 0 && i % badEvery == badEvery - 1) {
                records.add(new SimpleEntry<>(customer, malformed(i, random)));
                continue;
            }
            StringBuilder items = new StringBuilder();
            int lines = 1 + random.nextInt(3);
            for (int line = 0; line < lines; line++) {
                items.append(line == 0 ? "" : ",")
                        .append(String.format(
                                Locale.ROOT,
                                "{\"sku\":\"%s\",\"qty\":%d}",
                                SKUS[random.nextInt(SKUS.length)],
                                1 + random.nextInt(4)));
            }
            records.add(new SimpleEntry<>(
                    customer,
                    String.format(
                            Locale.ROOT,
                            "{\"order_id\":%d,\"customer\":\"%s\",\"status\":\"%s\",\"amount\":%.2f,\"items\":[%s],\"created_at\":\"%s\"}",
                            100_000 + i,
                            customer,
                            STATUSES[random.nextInt(STATUSES.length)],
                            5 + random.nextInt(20_000) / 100.0,
                            items,
                            start.plusSeconds(i))));
        }
        return records;
    }

    private static String malformed(int i, Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> "{\"order_id\":" + (100_000 + i) + ",\"customer\":\"c-1\",\"amount\":";
            case 1 -> "{\"order_id\":\"" + (100_000 + i) + "-X\",\"amount\":\"twelve\"}";
            default -> "";
        };
    }
}
