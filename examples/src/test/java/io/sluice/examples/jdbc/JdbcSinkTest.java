package io.sluice.examples.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.Batch;
import io.sluice.core.BatchSink;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.BatchSinkContract;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.RefusedOptions;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example plugin as its author would test it: the testkit's contract, then a real Kafka pipeline Spark replays. */
@ExtendWith(EmbeddedKafkaExtension.class)
class JdbcSinkTest extends BatchSinkContract {
    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    @BeforeEach
    void createTables() throws SQLException {
        try (Connection db = DriverManager.getConnection(url())) {
            db.createStatement()
                    .execute(
                            "CREATE TABLE contract_rows (id BIGINT PRIMARY KEY, name VARCHAR, amount DOUBLE PRECISION)");
            db.createStatement()
                    .execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, amount DOUBLE PRECISION, \"OFFSET\" BIGINT)");
        }
    }

    @Override
    protected BatchSink sink() {
        return new JdbcSink();
    }

    @Override
    protected Map<String, String> validOptions() {
        return Map.of("url", url(), "table", "contract_rows", "key", "id");
    }

    @Override
    protected List<RefusedOptions> refusedOptions() {
        return List.of(
                RefusedOptions.of(
                        Map.of(),
                        "sink 'jdbc': missing required option 'key'",
                        "sink 'jdbc': missing required option 'table'",
                        "sink 'jdbc': missing required option 'url'"),
                RefusedOptions.of(
                        Map.of("url", "h2:mem:x", "table", "orders", "key", "id", "password", "hunter2"),
                        "sink 'jdbc': option 'url' = 'h2:mem:x' must be a JDBC URL (jdbc:...)"),
                RefusedOptions.of(
                        Map.of("url", url(), "table", "orders; DROP TABLE orders", "key", "id"),
                        "sink 'jdbc': option 'table' = 'orders; DROP TABLE orders' must be a plain SQL identifier"),
                RefusedOptions.of(
                        Map.of("url", url(), "table", "orders", "key", "id,order_id", "password", "hunter2"),
                        "sink 'jdbc': option 'key' names column 'order_id', which the query does not have (columns: id, name, amount)"));
    }

    @Override
    protected List<Row> readBack() throws Exception {
        try (Connection db = DriverManager.getConnection(url());
                ResultSet rows = db.createStatement().executeQuery("SELECT id, name, amount FROM contract_rows")) {
            List<Row> result = new ArrayList<>();
            while (rows.next()) {
                result.add(RowFactory.create(rows.getObject(1), rows.getObject(2), rows.getObject(3)));
            }
            return result;
        }
    }

    @Override
    protected Set<String> nonNullColumns() {
        return Set.of("id");
    }

    private String url() {
        return "jdbc:h2:file:" + workDir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private PipelineBuilder ordersToJdbc(String topic) {
        return sluice.pipeline("orders_jdbc")
                .source(
                        "kafka",
                        kafka.readFromStart(
                                topic,
                                "maxOffsetsPerTrigger",
                                "10",
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT, amount DOUBLE"))
                .sql("SELECT id, amount, offset FROM input")
                .sink("jdbc", Map.of("url", url(), "table", "orders", "key", "id"))
                .checkpointLocation(workDir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow());
    }

    private List<String> query(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(url());
                ResultSet rows = db.createStatement().executeQuery(sql)) {
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
    void aBatchSparkReplaysLandsOnce() throws Exception {
        String topic = "jdbc-replay";
        kafka.createTopic(topic, 1);
        kafka.produce(
                topic,
                IntStream.range(0, 30)
                        .mapToObj(i -> KafkaRecord.value("{\"id\":" + i + ",\"amount\":" + i + ".5}"))
                        .toList());
        PipelineHandle first = ordersToJdbc(topic).build().start();
        assertTrue(first.awaitTermination(Duration.ofMinutes(2)));
        assertEquals(List.of("30,450.0"), query("SELECT count(*), CAST(sum(amount) AS DOUBLE PRECISION) FROM orders"));
        String queryId = first.id().toString();
        assertEquals(
                List.of(queryId + ",0,0", queryId + ",1,0", queryId + ",2,0"),
                query("SELECT * FROM sluice_batches ORDER BY batch_id"));

        // Forget that batch 2 was committed: Spark replays it on restart, as after a crash between write and commit.
        Path commits = workDir.resolve("checkpoint/commits");
        Files.delete(commits.resolve("2"));
        Files.deleteIfExists(commits.resolve(".2.crc"));
        PipelineHandle restart = ordersToJdbc(topic).build().start();
        assertTrue(restart.awaitTermination(Duration.ofMinutes(2)));
        assertEquals(queryId, restart.id().toString(), "the query id lives in the checkpoint");
        List<Long> replayed = restart.recentProgress().stream()
                .map(StreamingQueryProgress::batchId)
                .distinct()
                .toList();
        assertEquals(List.of(2L), replayed, "Spark replayed batch 2");

        assertEquals(List.of("30,450.0"), query("SELECT count(*), CAST(sum(amount) AS DOUBLE PRECISION) FROM orders"));
        assertEquals(3, query("SELECT * FROM sluice_batches").size());
    }

    @Test
    void theLedgerIgnoresADeliveryItHasSeenEvenWithOtherRows() throws Exception {
        Batch seven = new Batch("query-a", "contract", 7);
        deliver(seven, List.of(RowFactory.create(1L, "ada", 10.0), RowFactory.create(2L, "brian", 20.0)));
        deliver(seven, List.of(RowFactory.create(1L, "ada", 99.0), RowFactory.create(3L, "chen", 30.0)));
        deliver(new Batch("query-a", "contract", 8), List.of(RowFactory.create(2L, "brian", 25.0)));
        assertEquals(List.of("1,10.0", "2,25.0"), query("SELECT id, amount FROM contract_rows ORDER BY id"));
    }

    @Test
    void thePasswordIsNeverShown() {
        List<String> problems = ordersToJdbc("t")
                .sink("jdbc", Map.of("url", "h2:mem:x", "password", "hunter2"))
                .build()
                .validate()
                .problems()
                .stream()
                .map(Problem::toString)
                .toList();
        assertFalse(problems.isEmpty());
        assertFalse(problems.toString().contains("hunter2"), problems.toString());
    }
}
