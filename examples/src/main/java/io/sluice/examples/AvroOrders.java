package io.sluice.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.ConfluentFrames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * The orders of {@link Orders} as a registry-aware producer writes them: Avro in Confluent's
 * wire format (the magic byte, the schema id, the datum). The malformed ones stay what a
 * misconfigured producer sends — JSON text or nothing, without the framing — so they become
 * bad records with their reason.
 */
public final class AvroOrders {
    /** The orders' Avro schema, registered under the topic's value subject. */
    public static final String SCHEMA = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "order_id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "status", "type": "string"},
              {"name": "amount", "type": "double"},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                {"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AvroOrders() {}

    /** {@code orders} (customer → JSON) as framed Avro written with schema {@code id}; malformed ones as they are. */
    public static List<Map.Entry<String, byte[]>> frames(List<Map.Entry<String, String>> orders, int id) {
        Schema schema = new Schema.Parser().parse(SCHEMA);
        Schema item = schema.getField("items").schema().getElementType();
        List<Map.Entry<String, byte[]>> frames = new ArrayList<>(orders.size());
        for (Map.Entry<String, String> order : orders) {
            JsonNode json;
            try {
                json = JSON.readTree(order.getValue());
            } catch (java.io.IOException e) {
                json = null;
            }
            if (json == null || !json.path("order_id").isNumber()) {
                frames.add(new SimpleEntry<>(order.getKey(), order.getValue().getBytes(StandardCharsets.UTF_8)));
                continue;
            }
            List<GenericRecord> items = new ArrayList<>();
            json.path("items")
                    .forEach(line -> items.add(new GenericRecordBuilder(item)
                            .set("sku", line.path("sku").asText())
                            .set("qty", line.path("qty").asInt())
                            .build()));
            GenericRecord record = new GenericRecordBuilder(schema)
                    .set("order_id", json.path("order_id").asLong())
                    .set("customer", json.path("customer").asText())
                    .set("status", json.path("status").asText())
                    .set("amount", json.path("amount").asDouble())
                    .set(
                            "items",
                            new GenericData.Array<>(schema.getField("items").schema(), items))
                    .set(
                            "created_at",
                            Instant.parse(json.path("created_at").asText()).toEpochMilli())
                    .build();
            frames.add(new SimpleEntry<>(order.getKey(), ConfluentFrames.avro(id, schema, record)));
        }
        return frames;
    }
}
