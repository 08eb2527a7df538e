package io.sluice.examples.jdbc;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.examples.ExampleKafka;
import io.sluice.examples.Orders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

/** The custom {@code jdbc} sink at work: Kafka orders upserted into an H2 database file by order id. */
public final class JdbcSinkExample {
    private JdbcSinkExample() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("sluice-jdbc-");
        String url = "jdbc:h2:file:" + work.resolve("orders") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection db = DriverManager.getConnection(url)) {
            db.createStatement()
                    .execute("CREATE TABLE orders (order_id BIGINT PRIMARY KEY, customer VARCHAR,"
                            + " status VARCHAR, amount DOUBLE PRECISION)");
        }
        try (ExampleKafka kafka = ExampleKafka.open()) {
            String topic = kafka.createTopic("jdbc-orders", 2);
            kafka.produce(topic, Orders.generate(500, 50));
            Sluice sluice = Sluice.embedded();
            try {
                PipelineHandle query = sluice.pipeline("orders_to_h2")
                        .source(
                                "kafka",
                                Map.of(
                                        "kafka.bootstrap.servers",
                                        kafka.bootstrapServers(),
                                        "subscribe",
                                        topic,
                                        "startingOffsets",
                                        "earliest",
                                        "value.format",
                                        "json",
                                        "value.schema",
                                        Orders.SCHEMA,
                                        "badRecords",
                                        "skip",
                                        "maxOffsetsPerTrigger",
                                        "200"))
                        .sql("SELECT order_id, customer, status, amount FROM input")
                        .sink("jdbc", Map.of("url", url, "table", "orders", "key", "order_id"))
                        .checkpointLocation(work.resolve("checkpoint").toString())
                        .trigger(StreamTrigger.availableNow())
                        .build()
                        .start();
                query.awaitTermination(Duration.ofMinutes(5));
            } finally {
                sluice.close();
            }
            try (Connection db = DriverManager.getConnection(url);
                    ResultSet rows = db.createStatement()
                            .executeQuery(
                                    "SELECT (SELECT count(*) FROM orders), (SELECT count(DISTINCT batch_id) FROM sluice_batches)")) {
                rows.next();
                System.out.printf(
                        "orders in H2: %d, batches in the ledger: %d (%s)%n", rows.getLong(1), rows.getLong(2), url);
            }
        }
    }
}
