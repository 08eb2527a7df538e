package io.sluice.cli;

import io.sluice.core.SampleRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice dev}: what a quick try needs beside Sluice — a Kafka broker, and records in it. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description =
                "Tools for a quick try without installing Kafka: a broker, a schema registry, topics and records.",
        subcommands = {
            DevCommand.Kafka.class,
            DevCommand.Registry.class,
            DevCommand.Topic.class,
            DevCommand.Produce.class
        })
final class DevCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sluice dev: name a tool: kafka, registry, topic or produce");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The broker a dev tool talks to: {@code sluice dev kafka}'s by default. */
    static final class Broker {
        @Option(
                names = "--bootstrap-server",
                defaultValue = "127.0.0.1:9092",
                paramLabel = "HOST:PORT",
                description = "The broker (default: ${DEFAULT-VALUE}, where sluice dev kafka listens)")
        String servers;
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

    /** {@code sluice dev registry}: an in-memory schema registry with Confluent's API, in the foreground. */
    @Command(
            name = "registry",
            mixinStandardHelpOptions = true,
            header = "Starts a local schema registry (Confluent's API, in memory) in the foreground.",
            description = {
                "Starts a schema registry speaking Confluent's REST API (subjects, versions, ids; no compatibility",
                "checks), keeping its schemas in memory until Ctrl-C or SIGTERM: for a quick try of Avro, Protobuf",
                "or JSON Schema values with sluice dev kafka and sluice dev produce."
            })
    static final class Registry implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--port",
                defaultValue = "8081",
                description = "The port (default: ${DEFAULT-VALUE}, Confluent's; 0: a free one)")
        int port;

        @Override
        public Integer call() throws InterruptedException {
            return DevRegistry.run(
                    port, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** {@code sluice dev topic TOPIC...}: topics on a running broker, which creates none by itself. */
    @Command(
            name = "topic",
            mixinStandardHelpOptions = true,
            header = "Creates topics on a running broker, such as the one sluice dev kafka started.",
            description = {
                "Creates topics on a running broker (sluice dev kafka's creates none on first write, as a",
                "production cluster should not), with one replica each."
            })
    static final class Topic implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "TOPIC")
        List<String> topics;

        @Option(
                names = "--partitions",
                defaultValue = "1",
                description = "Partitions of each topic (default: ${DEFAULT-VALUE})")
        int partitions;

        @Mixin
        Broker broker;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (partitions < 1) {
                err.println("sluice dev topic: --partitions is " + partitions + ": a topic has at least 1");
                err.flush();
                return 2;
            }
            Map<String, Object> settings = Map.of(
                    org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers,
                    org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                    org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(settings)) {
                var created = admin.createTopics(topics.stream()
                                .map(topic -> new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1))
                                .toList())
                        .values();
                int failed = 0;
                for (String topic : topics) {
                    try {
                        created.get(topic).get(30, TimeUnit.SECONDS);
                        out.println("created topic '" + topic + "' with " + partitions
                                + (partitions == 1 ? " partition" : " partitions") + " at " + broker.servers);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed++;
                        err.println("sluice dev topic: cannot create '" + topic + "' at " + broker.servers + ": "
                                + (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException
                                        ? "it exists"
                                        : e.getCause().getMessage()));
                    } catch (java.util.concurrent.TimeoutException e) {
                        failed++;
                        err.println("sluice dev topic: no broker answered at " + broker.servers
                                + " within 30 s (is one there? sluice dev kafka starts one)");
                    }
                }
                out.flush();
                err.flush();
                return failed == 0 ? 0 : 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
                "with --key-separator, the text before the first separator is the record's key.",
                "With --value-format avro, each value is a JSON document written as Avro in Confluent's wire",
                "format, with the schema of subject TOPIC-value (registered from --value-schema when given)."
            })
    static final class Produce implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Parameters(index = "1", paramLabel = "FILE", description = "One record per line; blank lines are skipped")
        Path file;

        @Mixin
        Broker broker;

        @Option(names = "--key-separator", paramLabel = "SEP", description = "Split each line into key SEP value")
        String keySeparator;

        @Option(
                names = "--value-format",
                defaultValue = "text",
                paramLabel = "FORMAT",
                description = "text (each line's bytes, the default) or avro (each line a JSON document)")
        String valueFormat;

        @Option(
                names = "--schema-registry",
                paramLabel = "URL",
                description = "The schema registry, for --value-format avro (sluice dev registry starts one)")
        String registry;

        @Option(
                names = "--value-schema",
                paramLabel = "FILE",
                description = "An Avro schema (.avsc) to register as the next version of TOPIC-value first")
        Path valueSchema;

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
            if (!valueFormat.equals("text") && !valueFormat.equals("avro")) {
                err.println("sluice dev produce: --value-format is text or avro, not '" + valueFormat + "'");
                err.flush();
                return 2;
            }
            if (valueFormat.equals("avro")) {
                if (registry == null) {
                    err.println("sluice dev produce: --value-format avro needs --schema-registry URL (sluice dev"
                            + " registry starts one)");
                    err.flush();
                    return 2;
                }
                try {
                    lines = AvroLines.frame(lines, topic + "-value", registry, Optional.ofNullable(valueSchema));
                } catch (IllegalArgumentException | IllegalStateException | IOException e) {
                    err.println("sluice dev produce: " + e.getMessage());
                    err.flush();
                    return 1;
                }
            } else if (valueSchema != null || registry != null) {
                err.println("sluice dev produce: --schema-registry and --value-schema are for --value-format avro");
                err.flush();
                return 2;
            }
            Map<String, Object> settings = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers,
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
                err.println("sluice dev produce: cannot produce to '" + topic + "' at " + broker.servers + ": "
                        + cause.getMessage() + " (is a broker there? sluice dev kafka starts one)");
                err.flush();
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("produced " + lines.size() + (lines.size() == 1 ? " record" : " records") + " to '" + topic
                    + "' at " + broker.servers);
            out.flush();
            return 0;
        }
    }
}
