package io.sluice.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry for tests: Apicurio Registry, which speaks Confluent's API at
 * {@code /apis/ccompat/v7}, run as its own JVM on loopback ports, its data in memory.
 *
 * <p>Apicurio comes from Maven Central ({@code io.apicurio:apicurio-registry-app}, classifier
 * {@code all}, a tar.gz) unpacked by the build; the system property {@code sluice.registry.home}
 * names the directory (a module's pom sets it, see source-kafka's). It needs Java 21 or later:
 * this JVM when it is one, else the newest JDK in {@code /usr/lib/jvm}, or
 * {@code SLUICE_REGISTRY_JAVA} (a java executable). Like Confluent's registry, and unlike
 * Apicurio's own default (NONE), it starts with BACKWARD compatibility.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int JAVA_NEEDED = 21;

    private final Process process;
    private final Path log;
    private final String url;
    private final HttpClient http;

    private SchemaRegistry(Process process, Path log, String url, HttpClient http) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.http = http;
    }

    /** Starts a registry and waits until it is ready (a few seconds). */
    public static SchemaRegistry start() {
        return start(Optional.empty());
    }

    /**
     * Starts a registry that answers over https only, with a certificate for 127.0.0.1 made now
     * by the JDK's keytool in {@code dir}; clients trust it with {@link Tls#trustStore()}.
     */
    public static SchemaRegistry startWithTls(Path dir) {
        return start(Optional.of(Tls.create(dir)));
    }

    /** The stores of a registry started with TLS: its key store, and a trust store with its certificate. */
    public record Tls(Path keyStore, Path trustStore, String password) {
        static Tls create(Path dir) {
            Path keyStore = dir.resolve("registry-keystore.p12");
            Path certificate = dir.resolve("registry.pem");
            Path trustStore = dir.resolve("registry-truststore.p12");
            String password = "registry-secret";
            keytool(
                    "-genkeypair",
                    "-alias",
                    "registry",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-dname",
                    "CN=127.0.0.1",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    password,
                    "-keypass",
                    password);
            keytool(
                    "-exportcert",
                    "-alias",
                    "registry",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    password,
                    "-rfc",
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "registry",
                    "-file",
                    certificate.toString(),
                    "-keystore",
                    trustStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    password);
            return new Tls(keyStore, trustStore, password);
        }

        private static void keytool(String... args) {
            List<String> command = new ArrayList<>();
            command.add(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            try {
                Process process =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** A TLS context trusting the registry, for this fixture's own requests. */
        javax.net.ssl.SSLContext context() {
            try (java.io.InputStream in = Files.newInputStream(trustStore)) {
                java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the registry's trust store", e);
            }
        }
    }

    private static SchemaRegistry start(Optional<Tls> tls) {
        Path home = home();
        String java = java();
        int[] ports = EmbeddedKafka.freePorts(3);
        int port = ports[0];
        int management = ports[1];
        long started = System.nanoTime();
        try {
            Path log = Files.createTempFile("sluice-registry-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-Xmx384m",
                    "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.management.host=127.0.0.1",
                    "-Dquarkus.management.port=" + management));
            if (tls.isPresent()) {
                command.addAll(List.of(
                        "-Dquarkus.http.port=" + ports[2],
                        "-Dquarkus.http.ssl-port=" + port,
                        "-Dquarkus.http.insecure-requests=disabled",
                        "-Dquarkus.http.ssl.certificate.key-store-file="
                                + tls.get().keyStore(),
                        "-Dquarkus.http.ssl.certificate.key-store-password="
                                + tls.get().password()));
            } else {
                command.add("-Dquarkus.http.port=" + port);
            }
            command.addAll(List.of("-jar", home.resolve("quarkus-run.jar").toString()));
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            HttpClient.Builder http = HttpClient.newBuilder();
            tls.ifPresent(stores -> http.sslContext(stores.context()));
            SchemaRegistry registry = new SchemaRegistry(
                    process,
                    log,
                    (tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port + "/apis/ccompat/v7",
                    http.build());
            registry.awaitReady(URI.create("http://127.0.0.1:" + management + "/health/ready"), Duration.ofSeconds(90));
            registry.setCompatibilityOnceListening("BACKWARD", Duration.ofSeconds(30));
            LOG.info("schema registry ready at {} in {} ms", registry.url, (System.nanoTime() - started) / 1_000_000);
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry from " + home, e);
        }
    }

    /** Where the build unpacked Apicurio. */
    private static Path home() {
        String property = System.getProperty("sluice.registry.home");
        if (property == null) {
            throw new IllegalStateException("the system property sluice.registry.home does not say where Apicurio"
                    + " Registry is unpacked: run the tests through Maven (the module's pom unpacks it) or set it");
        }
        Path home = Path.of(property);
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("no quarkus-run.jar in " + home + " (sluice.registry.home): run the tests"
                    + " through Maven, whose dependency plugin unpacks Apicurio Registry there");
        }
        return home;
    }

    /** A java executable of version 21 or later. */
    static String java() {
        String given = System.getenv("SLUICE_REGISTRY_JAVA");
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (Runtime.version().feature() >= JAVA_NEEDED) {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> list = Files.list(jvms)) {
                list.filter(dir -> feature(dir) >= JAVA_NEEDED && Files.isExecutable(dir.resolve("bin/java")))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .max(Comparator.comparingInt(SchemaRegistry::feature))
                .map(dir -> dir.resolve("bin/java").toString())
                .orElseThrow(
                        () -> new IllegalStateException(
                                "the schema registry (Apicurio Registry) needs Java "
                                        + JAVA_NEEDED + " or later, and neither this JVM ("
                                        + Runtime.version().feature()
                                        + ") nor any JDK in /usr/lib/jvm is one: install one, or set SLUICE_REGISTRY_JAVA to its java"));
    }

    /** A JDK directory's feature version, from its {@code release} file; 0 when unknown. */
    private static int feature(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try {
            return Files.readAllLines(release, UTF_8).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> version.startsWith("1.") ? version.substring(2) : version)
                    .map(version -> version.split("[.+-]")[0])
                    .mapToInt(Integer::parseInt)
                    .findFirst()
                    .orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void awaitReady(URI health, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry stopped while starting (exit "
                        + process.exitValue() + "); its output:\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(health)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(
                "the schema registry was not ready after " + timeout.toSeconds() + " s; its output:\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The base URL clients use ({@code schemaRegistry.url}). */
    public String url() {
        return url;
    }

    /** Registers an Avro schema under a subject and returns its global id. */
    public int register(String subject, String avroSchema) {
        return register(subject, "AVRO", avroSchema, List.of());
    }

    /**
     * Registers a schema of a type (AVRO, PROTOBUF, JSON) with references ({@code name, subject,
     * version} each) and returns its global id; a schema the subject's compatibility refuses fails
     * with the registry's words.
     */
    public int register(String subject, String type, String schema, List<Map<String, Object>> references) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("schema", requireNonNull(schema, "schema is null"));
        if (!type.equals("AVRO")) {
            body.put("schemaType", type);
        }
        if (!references.isEmpty()) {
            body.put("references", references);
        }
        return send("POST", "/subjects/" + subject + "/versions", body)
                .path("id")
                .asInt();
    }

    /** Sets the registry's default compatibility (BACKWARD, FORWARD, FULL, NONE, ...). */
    public void setCompatibility(String level) {
        send("PUT", "/config", Map.of("compatibility", level));
    }

    /**
     * The first request after start: the management interface can say ready a moment before the
     * API's listener (over TLS, seen once in CI) accepts connections, so a refused connection is
     * tried again until {@code timeout}.
     */
    private void setCompatibilityOnceListening(String level, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                setCompatibility(level);
                return;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.net.ConnectException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Sets one subject's compatibility. */
    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + subject, Map.of("compatibility", level));
    }

    /** The id of a subject's latest version. */
    public int latestId(String subject) {
        return send("GET", "/subjects/" + subject + "/versions/latest", null)
                .path("id")
                .asInt();
    }

    /** The text of the schema with a global id. */
    public String schema(int id) {
        return send("GET", "/schemas/ids/" + id, null).path("schema").asText();
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", CONTENT_TYPE)
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    /** The registry's own output, for a test that wants to show it. */
    public Optional<String> output() {
        try {
            return Optional.of(Files.readString(log, UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops the registry (its schemas are gone: they live in its memory). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", log, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
