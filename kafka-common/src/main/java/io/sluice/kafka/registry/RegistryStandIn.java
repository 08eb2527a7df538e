package io.sluice.kafka.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A schema registry in this process, for a test run ({@code sluice test}) of a pipeline that
 * reads through one: it serves what {@link SchemaRegistryClient} asks — subjects, their
 * versions, schemas by global id, registering a version — in Confluent's REST API and error
 * codes, on a port of the loopback interface, so the source under test resolves its schemas
 * exactly as it does against a real registry, without one.
 *
 * <p>It keeps schemas as given: no compatibility checks and no references (a test gives each
 * subject's versions as the real registry would hold them). As in Confluent's registry, ids are
 * global and the same schema text of the same type keeps its id across subjects, and
 * registering the text a subject already has returns that version's id.
 */
public final class RegistryStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
    private final List<RegisteredSchema> byId = new ArrayList<>();

    private RegistryStandIn(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts one on a free port of 127.0.0.1. */
    public static RegistryStandIn start() {
        return start(0);
    }

    /** Starts one on {@code port} of 127.0.0.1 (0: a free one) — what {@code sluice dev registry} serves. */
    public static RegistryStandIn start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open port " + port + " for a schema registry: " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "sluice-registry-stand-in");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        RegistryStandIn standIn = new RegistryStandIn(server, threads);
        server.createContext("/", standIn::answer);
        server.start();
        return standIn;
    }

    /** Its base URL, as {@code schemaRegistry.url} takes it. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /**
     * Registers {@code text} of {@code type} (AVRO, PROTOBUF, JSON) as the next version of
     * {@code subject}, or finds the version that has it; returns what is registered.
     */
    public synchronized RegisteredSchema register(String subject, String type, String text) {
        requireNonNull(subject, "subject is null");
        requireNonNull(type, "type is null");
        requireNonNull(text, "text is null");
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (RegisteredSchema version : versions) {
            if (version.type().equals(type) && version.text().equals(text)) {
                return version;
            }
        }
        int id = byId.stream()
                .filter(known -> known.type().equals(type) && known.text().equals(text))
                .findFirst()
                .map(RegisteredSchema::id)
                .orElse(byId.size() + 1);
        RegisteredSchema schema = new RegisteredSchema(subject, versions.size() + 1, id, type, text, List.of());
        versions.add(schema);
        if (id == byId.size() + 1) {
            byId.add(schema);
        }
        return schema;
    }

    /** The latest version of {@code subject}, if it has one. */
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** The subjects it has, in the order they were first registered. */
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = route(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestBody().readAllBytes());
            } catch (RuntimeException e) {
                answer = Answer.error(500, 50001, "the stand-in registry failed: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private synchronized Answer route(String method, String rawPath, byte[] body) throws IOException {
        String[] parts = rawPath.replaceAll("/+$", "").split("/");
        List<String> path = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            path.add(URLDecoder.decode(parts[i], UTF_8));
        }
        if (method.equals("GET") && path.equals(List.of("subjects"))) {
            ArrayNode names = JSON.createArrayNode();
            subjects.keySet().forEach(names::add);
            return Answer.ok(names);
        }
        if (path.size() == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids") && method.equals("GET")) {
            return id(path.get(2))
                    .filter(id -> id >= 1 && id <= byId.size())
                    .map(id -> Answer.ok(node(byId.get(id - 1), false)))
                    .orElse(Answer.error(404, 40403, "Schema " + path.get(2) + " not found"));
        }
        if (path.size() < 3 || !path.get(0).equals("subjects") || !path.get(2).equals("versions")) {
            return Answer.error(404, 404, "the stand-in registry does not serve " + method + " " + rawPath);
        }
        String subject = path.get(1);
        if (method.equals("POST") && path.size() == 3) {
            JsonNode request = JSON.readTree(body);
            RegisteredSchema schema = register(
                    subject,
                    request.path("schemaType").asText(RegisteredSchema.AVRO),
                    request.path("schema").asText());
            return Answer.ok(JSON.createObjectNode().put("id", schema.id()));
        }
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || !method.equals("GET")) {
            return Answer.error(404, 40401, "Subject '" + subject + "' not found.");
        }
        if (path.size() == 3) {
            ArrayNode numbers = JSON.createArrayNode();
            versions.forEach(version -> numbers.add(version.version()));
            return Answer.ok(numbers);
        }
        String asked = path.get(3);
        Optional<Integer> number = asked.equals("latest") ? Optional.of(versions.size()) : id(asked);
        return number.filter(n -> n >= 1 && n <= versions.size())
                .map(n -> Answer.ok(node(versions.get(n - 1), true)))
                .orElse(Answer.error(404, 40402, "Version " + asked + " not found."));
    }

    private static Optional<Integer> id(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode node(RegisteredSchema schema, boolean withSubject) {
        ObjectNode node = JSON.createObjectNode();
        if (withSubject) {
            node.put("subject", schema.subject()).put("version", schema.version());
        }
        node.put("id", schema.id()).put("schema", schema.text());
        if (!schema.type().equals(RegisteredSchema.AVRO)) {
            node.put("schemaType", schema.type());
        }
        return node;
    }

    private record Answer(int status, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }

        static Answer error(int status, int code, String message) {
            return new Answer(
                    status, JSON.createObjectNode().put("error_code", code).put("message", message));
        }
    }
}
