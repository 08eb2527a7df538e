package io.sluice.examples.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.Problem;
import io.sluice.core.Sluice;
import io.sluice.core.pipeline.PipelineBuilder;
import io.sluice.core.pipeline.PipelineHandle;
import io.sluice.core.pipeline.StreamTrigger;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin as its author would test it: found by name, validated, and writing each batch once. */
@ExtendWith(EmbeddedKafkaExtension.class)
class JdbcSinkTest {
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private PipelineBuilder ordersToJdbc(String topic, Map<String, String> sink) {
        return sluice.pipeline("orders_jdbc")
                .source("kafka", kafka.readFromStart(topic, "maxOffsetsPerTrigger", "10", "value.format", "json",
                        "value.schema", "id BIGINT, amount DOUBLE"))
                .sql("SELECT id, amount, offset FROM input")
                .sink("jdbc", sink)
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow());
    }

    private List<String> query(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(url()); ResultSet rows = db.createStatement().executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.add(String.valueOf(rows.getObject(i)));
                }
                result.add(String.join(",", row));
            }
            return result;
        }
    }

    @Test
    void isFoundByNameAndFollowsTheConventions() {
        assertEquals(List.of(), ConnectorConventions.violations(sluice.connectors().sink("jdbc").orElseThrow()));
    }

    @Test
    void aReplayedBatchLandsOnce() throws Exception {
        String topic = "jdbc-replay";
        kafka.createTopic(topic, 1);
        kafka.produce(topic, IntStream.range(0, 30).mapToObj(i -> KafkaRecord.value("{\"id\":" + i + ",\"amount\":" + i + ".5}")).toList());
        Map<String, String> sink = Map.of("url", url(), "table", "orders", "key", "id");
        assertTrue(ordersToJdbc(topic, sink).build().start().awaitTermination(Duration.ofMinutes(2)));
        assertEquals(List.of("30,450.0"), query("SELECT count(*), CAST(sum(amount) AS DOUBLE PRECISION) FROM orders"));
        assertEquals(List.of("orders_jdbc,0", "orders_jdbc,1", "orders_jdbc,2"), query("SELECT * FROM sluice_batches ORDER BY batch_id"));

        // Forget that batch 2 was committed: Spark replays it on restart, as after a crash between write and commit.
        Path commits = dir.resolve("checkpoint/commits");
        Files.delete(commits.resolve("2"));
        Files.deleteIfExists(commits.resolve(".2.crc"));
        PipelineHandle restart = ordersToJdbc(topic, sink).build().start();
        assertTrue(restart.awaitTermination(Duration.ofMinutes(2)));
        List<Long> replayed = restart.recentProgress().stream().filter(p -> p.numInputRows() > 0)
                .map(StreamingQueryProgress::batchId).toList();
        assertEquals(List.of(2L), replayed, "Spark replayed batch 2");

        assertEquals(List.of("30,450.0"), query("SELECT count(*), CAST(sum(amount) AS DOUBLE PRECISION) FROM orders"));
        assertEquals(List.of("orders_jdbc,0", "orders_jdbc,1", "orders_jdbc,2"), query("SELECT * FROM sluice_batches ORDER BY batch_id"));
    }

    @Test
    void theLedgerIgnoresABatchIdItHasSeenEvenWithOtherRows() throws Exception {
        StructType schema = StructType.fromDDL("id BIGINT, amount DOUBLE");
        JdbcBatchWriter writer = new JdbcBatchWriter(url(), "", "", "payments", List.of("id"), "payments", schema);
        assertTrue(writer.write(7, List.<Row>of(RowFactory.create(1L, 10.0), RowFactory.create(2L, 20.0))));
        assertFalse(writer.write(7, List.<Row>of(RowFactory.create(1L, 99.0), RowFactory.create(3L, 30.0))));
        assertTrue(writer.write(8, List.<Row>of(RowFactory.create(2L, 25.0))));
        assertEquals(List.of("1,10.0", "2,25.0"), query("SELECT id, amount FROM payments ORDER BY id"));
    }

    @Test
    void mistakesAreReportedBeforeStartAndThePasswordIsNeverShown() {
        List<String> problems = ordersToJdbc("t", Map.of("url", "h2:mem:x", "table", "orders", "key", "order_id", "password", "hunter2"))
                .sql("SELECT id, amount, offset, array(1, 2) AS tags FROM input")
                .build().validate().stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "sink 'jdbc': option 'url' = 'h2:mem:x' must be a JDBC URL (jdbc:...)"), problems);
        problems = ordersToJdbc("t", Map.of("url", "jdbc:h2:mem:x", "table", "orders", "key", "order_id", "password", "hunter2"))
                .sql("SELECT id, amount, offset, array(1, 2) AS tags FROM input")
                .build().validate().stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "sink 'jdbc': option 'key' names column 'order_id', which the query does not have (columns: id, amount, offset, tags)",
                "sink 'jdbc': column 'tags' of type array<int> has no SQL type here: select it as a string, e.g. to_json(tags)"),
                problems);
        assertFalse(problems.toString().contains("hunter2"));
        assertEquals(List.of("sink 'jdbc': missing required option 'key'", "sink 'jdbc': missing required option 'table'",
                        "sink 'jdbc': missing required option 'url'"),
                ordersToJdbc("t", Map.of()).build().validate().stream().map(Problem::toString).toList());
    }
}
