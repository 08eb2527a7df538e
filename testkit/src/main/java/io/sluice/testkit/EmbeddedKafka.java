package io.sluice.testkit;

import static java.util.Objects.requireNonNull;

import io.sluice.engine.util.Directories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM, in KRaft combined mode (broker and controller in one
 * node), on free loopback ports, with its data in a temporary directory and no retention by time.
 *
 * <p>It is Kafka's own server, not a fake: what passes here passes against a real cluster
 * of the same version. Starting takes a few seconds cold and well under one once the
 * classes are loaded, so tests share one broker per JVM (see {@link EmbeddedKafkaExtension})
 * and give each test its own topics. {@link #close()} stops it and deletes its data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final java.util.concurrent.atomic.AtomicInteger TOPICS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final Path logDir;
    private final boolean owned;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private EmbeddedKafka(Path logDir, boolean owned, KafkaRaftServer server, String bootstrapServers) {
        this.logDir = logDir;
        this.owned = owned;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.producer = new KafkaProducer<>(
                producerSettings(bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Producer settings for tests and examples, in order and without stalls: one request in
     * flight keeps records in order through retries, and without idempotence no producer id
     * is needed — on a broker that has just started, the idempotent producer's first
     * InitProducerId round trip was seen to stall a send until its delivery timeout.
     * Duplicates would need a lost acknowledgement, which loopback does not lose.
     */
    public static Map<String, Object> producerSettings(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers; {@link #close()} deletes its data. */
    public static EmbeddedKafka start() {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("sluice-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = freePorts(2);
        return start(logDir, ports[0], ports[1], true);
    }

    /** As {@link #start()}, on a chosen port (0: a free one) — what {@code sluice dev kafka} runs. */
    public static EmbeddedKafka start(int brokerPort) {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("sluice-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = freePorts(2);
        int broker = brokerPort == 0 ? ports[0] : brokerPort;
        return start(logDir, broker, ports[0] == broker ? ports[1] : ports[0], true);
    }

    /**
     * Starts a broker on a given log directory and ports — formatting the directory first if
     * it is new — so that a broker killed ({@code kill -9}) can be started again on the same
     * data and port, as an operator restarts one. {@link #close()} keeps the data.
     */
    public static EmbeddedKafka startAt(Path logDir, int brokerPort, int controllerPort) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(logDir, brokerPort, controllerPort, false);
    }

    private static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort, boolean owned) {
        long started = System.nanoTime();
        boolean fresh = !Files.exists(logDir.resolve("meta.properties"));
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // Keep every record, whatever its timestamp: tests and quick tries write event times of
        // the past (windows at 1970's first minutes, yesterday's files replayed), and a broker
        // that keeps seven days by time deletes them at its next retention check — a query
        // reading them then fails with "Some data may have been lost", or reads nothing. The
        // check runs every second so that a topic that does set retention.ms behaves at once.
        props.put("log.retention.ms", "-1");
        props.put("log.retention.check.interval.ms", "1000");
        props.put("log.initial.task.delay.ms", "1000");
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (fresh) {
            format(logDir, owned);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, owned, server, "127.0.0.1:" + brokerPort);
        kafka.awaitReady(Duration.ofSeconds(60));
        if (fresh) {
            kafka.warmUp();
        }
        LOG.info(
                "embedded Kafka broker ready on {} in {} ms",
                kafka.bootstrapServers,
                (System.nanoTime() - started) / 1_000_000);
        return kafka;
    }

    private static void format(Path logDir, boolean owned) {
        try {
            new Formatter()
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .run();
        } catch (Exception e) {
            if (owned) {
                Directories.deleteRecursively(logDir);
            }
            throw new IllegalStateException("could not format the embedded broker's log directory " + logDir, e);
        }
    }

    /** Options of the {@code kafka} source for this broker: {@code kafka.bootstrap.servers} plus {@code pairs}. */
    public Map<String, String> sourceOptions(String... pairs) {
        return OptionPairs.with(Map.of("kafka.bootstrap.servers", bootstrapServers), pairs);
    }

    /** Options of the {@code kafka} source reading {@code topic} from its first offset, plus {@code pairs}. */
    public Map<String, String> readFromStart(String topic, String... pairs) {
        return OptionPairs.with(sourceOptions("subscribe", topic, "startingOffsets", "earliest"), pairs);
    }

    /** {@code host:port} for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates a topic named {@code prefix-N}, unique in this JVM, and returns its name: tests sharing a broker stay apart. */
    public String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + TOPICS.incrementAndGet();
        createTopic(topic, partitions);
        return topic;
    }

    public void createTopic(String topic, int partitions) {
        requireNonNull(topic, "topic is null");
        await(
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                        .all(),
                "create topic " + topic);
    }

    /** Produces and waits until every record is acknowledged. */
    public void produce(String topic, List<KafkaRecord> records) {
        requireNonNull(topic, "topic is null");
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
        for (KafkaRecord record : records) {
            ProducerRecord<byte[], byte[]> producerRecord = new ProducerRecord<>(
                    topic,
                    record.partition().orElse(null),
                    record.timestamp().orElse(null),
                    bytes(record.key()),
                    bytes(record.value()),
                    record.headers().entrySet().stream()
                            .map(h -> new RecordHeader(h.getKey(), bytes(h.getValue())))
                            .collect(Collectors.toList()));
            sent.add(producer.send(producerRecord));
        }
        awaitSent(topic, sent);
    }

    /** Produces binary values without keys (Avro, Protobuf, bytes that are not text), and waits for them. */
    public void produceBytes(String topic, List<byte[]> values) {
        requireNonNull(topic, "topic is null");
        send(values.stream()
                .map(value -> new ProducerRecord<byte[], byte[]>(topic, null, value))
                .toList());
    }

    /** Produces Kafka's own records as they are (binary keys and values, partitions, headers) and waits for them. */
    public void send(List<ProducerRecord<byte[], byte[]>> records) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
        records.forEach(record -> sent.add(producer.send(record)));
        awaitSent(records.isEmpty() ? "" : records.get(0).topic(), sent);
    }

    private void awaitSent(String topic, List<java.util.concurrent.Future<?>> sent) {
        producer.flush();
        for (java.util.concurrent.Future<?> future : sent) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not produce to " + topic, e);
            }
        }
    }

    /** Produces values without keys. */
    public void produceValues(String topic, List<String> values) {
        produce(topic, values.stream().map(KafkaRecord::value).toList());
    }

    /** Reads {@code count} records from the start of every partition, or fails after {@code timeout}. */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "sluice-testkit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        if (records.size() < count) {
            throw new IllegalStateException(
                    "consumed " + records.size() + " of " + count + " records from " + topic + " in " + timeout);
        }
        return records;
    }

    /** The next offset of each partition of a topic (the number of records written to it). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        List<TopicPartition> partitions = await(
                        admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
                .get(topic)
                .partitions()
                .stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        Map<TopicPartition, OffsetSpec> latest =
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return await(admin.listOffsets(latest).all(), "list offsets of " + topic).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Where the broker keeps its logs; deleted by {@link #close()}. */
    public Path dataDirectory() {
        return logDir;
    }

    public Admin admin() {
        return admin;
    }

    /** Stops the broker, and deletes its data unless it was started on a given directory ({@link #startAt}). */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (owned) {
            Directories.deleteRecursively(logDir);
        }
    }

    /**
     * Creates a topic and produces one record before any test does, so that the first
     * producer id and partition leadership are settled while nobody is waiting on them.
     */
    private void warmUp() {
        createTopic("__sluice_warm_up", 1);
        produceValues("__sluice_warm_up", List.of("ready"));
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("embedded Kafka broker did not answer within " + timeout, last);
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code count} different ports free on the loopback interface now: held open together while
     * chosen, since two calls of {@link #freePort()} may be given the same port (a broker's and its
     * controller's listeners then clash).
     */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // the port is free again either way
                }
            }
        }
    }

    /** A port free on the loopback interface now, for a broker that must keep its port across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
