package io.sluice.bench;

import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * P4's cold JVM: starts a session and a Kafka → parquet query (through Sluice, or by hand),
 * prints {@code committed <epoch ms>} when the first batch is committed, and exits.
 * Arguments: {@code sluice|hand <bootstrap servers> <topic> <work directory>}.
 */
public final class StartupProbe {
    static final String COMMITTED = "committed ";

    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        boolean sluice = args[0].equals("sluice");
        String bootstrap = args[1];
        String topic = args[2];
        Path work = Path.of(args[3]);
        StreamingQuery query;
        if (sluice) {
            Sluice embedded = Sluice.embedded();
            PipelineHandle handle = embedded.pipeline("startup")
                    .source(
                            "kafka",
                            Map.of(
                                    "kafka.bootstrap.servers",
                                    bootstrap,
                                    "subscribe",
                                    topic,
                                    "startingOffsets",
                                    "earliest",
                                    "value.format",
                                    "json",
                                    "value.schema",
                                    Workload.SCHEMA))
                    .sql("SELECT id, customer, amount, ts FROM input")
                    .sink("parquet", Map.of("path", work.resolve("data").toString()))
                    .checkpointLocation(work.resolve("checkpoint").toString())
                    .build()
                    .start();
            query = handle.query();
        } else {
            SparkSession spark = SparkSession.builder()
                    .config(Map.<String, Object>copyOf(Sluice.embeddedSettings()))
                    .getOrCreate();
            query = Workload.decodeByHand(spark.readStream()
                            .format("kafka")
                            .option("kafka.bootstrap.servers", bootstrap)
                            .option("subscribe", topic)
                            .option("startingOffsets", "earliest")
                            .load())
                    .writeStream()
                    .format("parquet")
                    .option("path", work.resolve("data").toString())
                    .option("checkpointLocation", work.resolve("checkpoint").toString())
                    .start();
        }
        while (query.recentProgress().length == 0) {
            if (query.exception().isDefined()) {
                throw query.exception().get();
            }
            Thread.sleep(5);
        }
        System.out.println(COMMITTED + System.currentTimeMillis());
        System.out.flush();
        Runtime.getRuntime().halt(0); // the figure is taken; the JVM's shutdown is not part of it
    }
}
