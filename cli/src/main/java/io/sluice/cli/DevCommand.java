package io.sluice.cli;

import io.sluice.core.SampleRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice dev}: what a quick try needs beside Sluice — a Kafka broker, and records in it. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Tools for a quick try without installing Kafka: a broker, and records for it.",
        subcommands = {DevCommand.Kafka.class, DevCommand.Produce.class})
final class DevCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sluice dev: name a tool: kafka or produce");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code sluice dev kafka}: the testkit's embedded KRaft broker, in the foreground until Ctrl-C. */
    @Command(
            name = "kafka",
            mixinStandardHelpOptions = true,
            header = "Starts a local Kafka broker in the foreground, for a quick try.",
            description = {
                "Starts a Kafka broker (KRaft, one node, data in a temporary directory, every record kept whatever",
                "its timestamp) in the foreground,",
                "prints its address and stops cleanly on Ctrl-C or SIGTERM, deleting its data."
            })
    static final class Kafka implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--port",
                defaultValue = "9092",
                description = "The port (default: ${DEFAULT-VALUE}; 0: a free one)")
        int port;

        @Option(
                names = "--topics",
                split = ",",
                paramLabel = "TOPIC",
                description = "Topics to create, comma-separated")
        List<String> topics = new ArrayList<>();

        @Option(
                names = "--partitions",
                defaultValue = "1",
                description = "Partitions of each topic (default: ${DEFAULT-VALUE})")
        int partitions;

        @Override
        public Integer call() throws InterruptedException {
            try {
                return DevKafka.run(
                        port,
                        topics,
                        partitions,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr());
            } catch (NoClassDefFoundError e) {
                // the spark-submit jar leaves the broker out: it is for a quick try, not for a cluster
                spec.commandLine()
                        .getErr()
                        .println("sluice dev kafka: the broker is not in this jar (" + e.getMessage()
                                + "): run it from the distribution's bin/sluice or ./sluice");
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }

    /** {@code sluice dev produce TOPIC FILE}: a file's lines as records. */
    @Command(
            name = "produce",
            mixinStandardHelpOptions = true,
            header = "Produces a file's lines to a topic, one record per line.",
            description = {
                "Produces a file's lines to a topic, one record per line (JSON lines, or text);",
                "with --key-separator, the text before the first separator is the record's key."
            })
    static final class Produce implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Parameters(index = "1", paramLabel = "FILE", description = "One record per line; blank lines are skipped")
        Path file;

        @Option(
                names = "--bootstrap-server",
                defaultValue = "127.0.0.1:9092",
                paramLabel = "HOST:PORT",
                description = "The broker (default: ${DEFAULT-VALUE}, where sluice dev kafka listens)")
        String servers;

        @Option(names = "--key-separator", paramLabel = "SEP", description = "Split each line into key SEP value")
        String keySeparator;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            List<SampleRecord> lines;
            try {
                lines = RecordLines.read(file, keySeparator);
            } catch (IOException e) {
                err.println("sluice dev produce: " + file + " cannot be read: " + e.getMessage());
                err.flush();
                return 2;
            }
            Map<String, Object> settings = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (SampleRecord line : lines) {
                    sent.add(
                            producer.send(new ProducerRecord<>(topic, line.key().orElse(null), line.value())));
                }
                producer.flush();
                for (Future<RecordMetadata> record : sent) {
                    record.get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                err.println("sluice dev produce: cannot produce to '" + topic + "' at " + servers + ": "
                        + cause.getMessage() + " (is a broker there? sluice dev kafka starts one)");
                err.flush();
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("produced " + lines.size() + (lines.size() == 1 ? " record" : " records") + " to '" + topic
                    + "' at " + servers);
            out.flush();
            return 0;
        }
    }
}
