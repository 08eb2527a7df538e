package io.sluice.examples.tutorial;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The seed's first step: {@code readStream} from Kafka. Nothing is read yet — reading starts
 * with a query — but the stream's schema is known: Kafka's seven fixed columns.
 */
public final class ReadFromKafka {
    private ReadFromKafka() {}

    public static void main(String[] args) throws Exception {
        TutorialRun.run(10, (sluice, kafka) -> {
            Dataset<Row> df = sluice.read("kafka", kafka);
            System.out.println("isStreaming: " + df.isStreaming());
            df.printSchema();

            Dataset<Row> orders = sluice.read("kafka", TutorialRun.decoded(kafka));
            System.out.println("decoded as JSON, the value's fields become columns:");
            orders.printSchema();
        });
    }
}
