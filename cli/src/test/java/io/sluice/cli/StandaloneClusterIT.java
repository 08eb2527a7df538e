package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.JavaProcess;
import io.sluice.testkit.SharedSluice;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit jar on a real standalone Spark cluster: a Master and a Worker in JVMs of
 * their own, built from the Maven jars with none of what the spark-submit jar must bring
 * (Sluice, Spark's Kafka integration, the Kafka client), and Spark's own SparkSubmit in client
 * mode — the commands README's "Running on a cluster" gives. A Kafka → JSON → parquet
 * pipeline with a dead letter runs with executors in their own JVMs; every record lands once.
 * Sizes: {@code -Dsluice.cluster.records=N} (default 20,000).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class StandaloneClusterIT {
    private static final int RECORDS = Integer.getInteger("sluice.cluster.records", 20_000);
    private static final int BAD = RECORDS / 1_000;

    @TempDir
    Path dir;

    @Test
    void theSparkSubmitJarRunsAPipelineFileOnAStandaloneCluster(EmbeddedKafka kafka) throws Exception {
        Path sparkJar = Path.of(System.getProperty("sluice.sparkJar"));
        assertTrue(Files.isRegularFile(sparkJar), "the spark-submit jar is built before this test: " + sparkJar);
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(sparkJar.toFile())) {
            // every command's class is loaded: sluice test's machinery is in, the testkit's broker is not
            assertTrue(jar.getEntry("io/sluice/testkit/pipeline/PipelineTester.class") != null, "sluice test's tester");
            assertEquals(null, jar.getEntry("io/sluice/testkit/EmbeddedKafka.class"), "no broker on a cluster");
        }
        Path sparkHome = sparkHome(dir.resolve("spark"));
        String sparkClassPath = sparkHome.resolve("jars") + File.separator + "*";
        Map<String, String> environment = Map.of(
                "SPARK_HOME",
                sparkHome.toString(),
                "SPARK_SCALA_VERSION",
                "2.13",
                "SPARK_WORKER_DIR",
                dir.resolve("work").toString());

        String topic = kafka.newTopic("cluster-orders", 4);
        kafka.produceValues(topic, RunCommandTest.orders(RECORDS - BAD, BAD));
        Path pipeline = Files.writeString(
                dir.resolve("orders.yaml"),
                RunCommandTest.ordersFile("${WORK}/orders")
                        .replace("maxOffsetsPerTrigger: 40", "maxOffsetsPerTrigger: " + Math.max(1, RECORDS / 4)));

        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        List<String> daemon = List.of("-Xmx512m", "-Dspark.master.rest.enabled=false", "-Dspark.ui.enabled=false");
        long started = System.nanoTime();
        try (JavaProcess masterProcess = JavaProcess.start(
                        "master",
                        dir.resolve("master.log"),
                        environment,
                        daemon,
                        sparkClassPath,
                        "org.apache.spark.deploy.master.Master",
                        List.of(
                                "--host",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(masterPort),
                                "--webui-port",
                                String.valueOf(freePort())));
                JavaProcess worker = JavaProcess.start(
                        "worker",
                        dir.resolve("worker.log"),
                        environment,
                        daemon,
                        sparkClassPath,
                        "org.apache.spark.deploy.worker.Worker",
                        List.of(
                                "--host",
                                "127.0.0.1",
                                "--webui-port",
                                String.valueOf(freePort()),
                                "--cores",
                                "2",
                                "--memory",
                                "2g",
                                master))) {
            worker.awaitLine(Pattern.compile("Successfully registered with master"), Duration.ofMinutes(2));
            List<String> submit = new ArrayList<>(List.of(
                    "--master",
                    master,
                    "--deploy-mode",
                    "client",
                    "--class",
                    Main.class.getName(),
                    "--conf",
                    "spark.driver.host=127.0.0.1",
                    "--conf",
                    "spark.driver.bindAddress=127.0.0.1",
                    "--conf",
                    "spark.ui.enabled=false",
                    "--conf",
                    "spark.executor.memory=1g",
                    "--conf",
                    "spark.cores.max=2",
                    "--conf",
                    "spark.executor.extraJavaOptions=-Duser.timezone=UTC",
                    sparkJar.toString(),
                    "run",
                    pipeline.toString(),
                    "--set",
                    "BROKERS=" + kafka.bootstrapServers(),
                    "--set",
                    "TOPIC=" + topic,
                    "--set",
                    "WORK=" + dir,
                    // the jar carries what the metrics endpoint needs (Spark ships no Prometheus client)
                    "--metrics-port",
                    "0",
                    "--progress-log",
                    dir.resolve("progress.jsonl").toString()));
            try (JavaProcess driver = JavaProcess.start(
                    "spark-submit",
                    dir.resolve("driver.log"),
                    environment,
                    List.of("-Xmx1g", "-Duser.timezone=UTC"),
                    sparkClassPath,
                    "org.apache.spark.deploy.SparkSubmit",
                    submit)) {
                int exit = driver.awaitExit(Duration.ofMinutes(6));
                String output = driver.output();
                assertEquals(0, exit, output + "\n--- worker ---\n" + worker.output());
                assertTrue(output.contains("all pipelines finished"), output);
                assertTrue(output.contains("[orders] batch 0: "), output);
                assertTrue(output.contains("metrics at http://127.0.0.1:"), output);
                assertTrue(Files.readAllLines(dir.resolve("progress.jsonl")).size() >= 1, "a progress line per batch");
            }
            assertTrue(worker.output().contains("Asked to launch executor"), "executors ran in JVMs of their own");
        }
        System.out.printf(
                "standalone cluster: %,d records through spark-submit in %.1f s (jar %,d bytes)%n",
                RECORDS, (System.nanoTime() - started) / 1e9, Files.size(sparkJar));

        SparkSession spark = SharedSluice.get().spark();
        Dataset<Row> orders = spark.read().parquet(dir.resolve("orders").toString());
        assertEquals(RECORDS - BAD, orders.count());
        assertEquals(
                RECORDS - BAD, orders.select("partition", "offset").distinct().count());
        assertEquals(
                BAD, spark.read().json(dir.resolve("dead-letter").toString()).count());
        assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), "nothing left running");
    }

    /**
     * A Spark "distribution" made of links to the Maven jars of the test class path — without
     * Sluice, Spark's Kafka integration and the Kafka client, which a real distribution lacks
     * too and the spark-submit jar must bring.
     */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : JavaProcess.testClassPath().split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (!name.endsWith(".jar") || !Files.isRegularFile(jar) || notInADistribution(name)) {
                continue;
            }
            Path link = jars.resolve(name);
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        return home;
    }

    private static boolean notInADistribution(String jar) {
        return jar.startsWith("sluice-")
                || jar.startsWith("spark-sql-kafka")
                || jar.startsWith("spark-token-provider-kafka")
                || jar.startsWith("kafka")
                || jar.startsWith("commons-pool2")
                || jar.startsWith("picocli")
                || jar.startsWith("delta-")
                || jar.startsWith("unitycatalog")
                || jar.startsWith("h2-")
                || jar.startsWith("junit")
                || jar.startsWith("opentest4j");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
