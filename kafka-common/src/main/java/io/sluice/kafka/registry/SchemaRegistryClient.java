package io.sluice.kafka.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads schemas from a registry that speaks Confluent's REST API (Confluent Schema Registry,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda): by global id, and by subject and
 * version. Schemas by id never change, so they are cached for the client's life.
 *
 * <p>Written on the JDK's HTTP client and Jackson rather than Confluent's client, which is not
 * on Maven Central and would bring its own Avro and Jackson. Several URLs (comma-separated) are
 * tried in turn when one cannot be reached, as Confluent's client does. Credentials go in
 * headers only; every message names the registry by its URL without them.
 */
public final class SchemaRegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<Integer, RegisteredSchema> byId = new ConcurrentHashMap<>();

    /**
     * @param urls one or more base URLs, comma-separated ({@code http://registry:8081})
     * @param basicUserInfo {@code user:password} for HTTP basic authentication
     * @param bearerToken a token for {@code Authorization: Bearer}
     */
    public SchemaRegistryClient(
            String urls, Optional<String> basicUserInfo, Optional<String> bearerToken, Duration timeout) {
        this(urls, basicUserInfo, bearerToken, Optional.empty(), timeout);
    }

    /** As above, over TLS with {@code tls} (trust and key stores) instead of the JVM's defaults. */
    public SchemaRegistryClient(
            String urls,
            Optional<String> basicUserInfo,
            Optional<String> bearerToken,
            Optional<javax.net.ssl.SSLContext> tls,
            Duration timeout) {
        this.urls = parseUrls(requireNonNull(urls, "urls is null"));
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.authorization = requireNonNull(basicUserInfo, "basicUserInfo is null")
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(UTF_8)))
                .or(() -> requireNonNull(bearerToken, "bearerToken is null").map(token -> "Bearer " + token));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        requireNonNull(tls, "tls is null").ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** Each URL, parsed; a URL that is not http(s) with a host is refused with the reason. */
    static List<URI> parseUrls(String urls) {
        List<URI> parsed = new ArrayList<>();
        for (String part : urls.split(",")) {
            String text = part.strip();
            URI uri;
            try {
                uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + redact(text) + "' is not a URL: " + e.getMessage(), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "'" + redact(text) + "' is not an http(s) URL with a host, like http://registry:8081");
            }
            parsed.add(uri);
        }
        return List.copyOf(parsed);
    }

    /** A URL as it may be shown: without the user and password some write into it. */
    public static String redact(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    /** The registry's URL as messages name it. */
    public String url() {
        return redact(urls.get(0).toString());
    }

    /** Every subject the registry has. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        get("/subjects").forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    /** The versions registered under {@code subject}, oldest first. */
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        get("/subjects/" + encode(subject) + "/versions").forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** One version of a subject: a number, or {@code latest}. */
    public RegisteredSchema version(String subject, String version) {
        JsonNode node = get("/subjects/" + encode(subject) + "/versions/" + encode(version));
        RegisteredSchema schema = schema(
                node, node.path("subject").asText(subject), node.path("version").asInt());
        byId.putIfAbsent(schema.id(), schema);
        return schema;
    }

    /** The schema with a global id (cached: an id's schema never changes). */
    public RegisteredSchema byId(int id) {
        return byId.computeIfAbsent(id, key -> {
            JsonNode node = get("/schemas/ids/" + key);
            return schema(((com.fasterxml.jackson.databind.node.ObjectNode) node).put("id", key), "", 0);
        });
    }

    /**
     * Registers an Avro schema under {@code subject} and returns its id; a schema the subject
     * already has keeps its id (the registry's answer), so registering at every start is safe.
     */
    public int register(String subject, String avroSchema) {
        return register(subject, RegisteredSchema.AVRO, avroSchema);
    }

    /** Registers a schema of {@code type} (AVRO, PROTOBUF, JSON) under {@code subject} and returns its id. */
    public int register(String subject, String type, String schema) {
        return send("POST", "/subjects/" + encode(subject) + "/versions", body(type, schema))
                .path("id")
                .asInt();
    }

    private static Map<String, String> body(String type, String schema) {
        return type.equals(RegisteredSchema.AVRO)
                ? Map.of("schema", schema)
                : Map.of("schema", schema, "schemaType", type);
    }

    /**
     * Why the subject's compatibility setting refuses {@code avroSchema} as its next version, in the
     * registry's words; empty when it accepts it, or when the subject does not exist yet.
     */
    public Optional<String> incompatibility(String subject, String avroSchema) {
        return incompatibility(subject, RegisteredSchema.AVRO, avroSchema);
    }

    /** As {@link #incompatibility(String, String)}, for a schema of {@code type} (AVRO, PROTOBUF, JSON). */
    public Optional<String> incompatibility(String subject, String type, String schema) {
        JsonNode answer;
        try {
            answer = send(
                    "POST",
                    "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    body(type, schema));
        } catch (RegistryException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
        if (answer.path("is_compatible").asBoolean(true)) {
            return Optional.empty();
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        return Optional.of(messages.isEmpty() ? "not compatible with the latest version" : String.join("; ", messages));
    }

    private static RegisteredSchema schema(JsonNode node, String subject, int version) {
        List<RegisteredSchema.Reference> references = new ArrayList<>();
        node.path("references")
                .forEach(ref -> references.add(new RegisteredSchema.Reference(
                        ref.path("name").asText(),
                        ref.path("subject").asText(),
                        ref.path("version").asInt())));
        return new RegisteredSchema(
                subject,
                version,
                node.path("id").asInt(),
                node.path("schemaType").asText(RegisteredSchema.AVRO),
                node.path("schema").asText(),
                references);
    }

    private JsonNode get(String path) {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write a request to the schema registry", e);
        }
        IOException unreachable = null;
        for (URI base : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(timeout)
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .method(method, publisher);
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unreachable = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while asking the schema registry at " + url(), 0, e);
            }
            return answer(method, path, response);
        }
        throw new RegistryException(
                "cannot reach the schema registry at " + url() + ": " + describe(unreachable)
                        + (unreachable instanceof javax.net.ssl.SSLHandshakeException
                                ? ""
                                : " — check schemaRegistry.url and that the registry is up"),
                0,
                unreachable);
    }

    private JsonNode answer(String method, String path, HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() / 100 == 2 && body != null) {
            return body;
        }
        int code = body == null ? 0 : body.path("error_code").asInt(0);
        String said = body == null ? "" : body.path("message").asText("");
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException(
                    "the schema registry at " + url() + " refused the credentials (HTTP " + response.statusCode()
                            + "): check schemaRegistry.basic.auth.user.info or schemaRegistry.bearer.auth.token",
                    code,
                    null);
        }
        if (response.statusCode() == 409) {
            throw new RegistryException(
                    "the schema registry at " + url() + " refuses the schema as the next version of subject '"
                            + java.net.URLDecoder.decode(path.split("/")[2], UTF_8) + "'"
                            + (said.isEmpty() ? "" : ": " + said),
                    code == 0 ? 409 : code,
                    null);
        }
        if (response.statusCode() == 404) {
            // the registry's own words vary by product ("Version 9 not found.", "No version '9' found for artifact
            // ..."): what was missing, named by what was asked, says it the same for all
            throw new RegistryException(
                    "the schema registry at " + url() + " has no " + what(path, code), code == 0 ? 40400 : code, null);
        }
        throw new RegistryException(
                "the schema registry at " + url() + " answered HTTP " + response.statusCode() + " to " + method + " "
                        + path
                        + (said.isEmpty() ? "" : ": " + said),
                code,
                null);
    }

    /** What a 404 says is missing, from the path asked and the registry's error code. */
    private static String what(String path, int code) {
        String[] parts = path.split("/");
        if (path.startsWith("/schemas/ids/")) {
            return "schema with id " + parts[3];
        }
        if (parts.length >= 3 && parts[1].equals("subjects")) {
            String subject = java.net.URLDecoder.decode(parts[2], UTF_8);
            if (parts.length >= 5 && code != 40401) {
                return "version " + parts[4] + " of subject '" + subject + "'";
            }
            return "subject '" + subject + "'";
        }
        return path;
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "no URL";
        }
        if (e instanceof java.net.http.HttpConnectTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof javax.net.ssl.SSLHandshakeException) {
            return "the TLS handshake failed (" + e.getMessage() + "): when the registry's certificate is from a"
                    + " private CA, set schemaRegistry.ssl.truststore.location to a trust store that has it";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        Throwable cause = e.getCause();
        if (message.isEmpty() && cause != null && cause.getMessage() != null) {
            message = cause.getMessage();
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, UTF_8).replace("+", "%20");
    }
}
