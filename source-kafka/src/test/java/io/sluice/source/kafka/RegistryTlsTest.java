package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answers over https only, with a certificate of its own CA (made by keytool for
 * the test): read with {@code schemaRegistry.ssl.truststore.*}, and every mistake with the
 * stores a problem before start that never shows a password.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RegistryTlsTest {
    private static final String ORDER =
            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[" + "{\"name\":\"id\",\"type\":\"long\"}]}";

    @TempDir
    static Path stores;

    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;
    private static SchemaRegistry.Tls tls;
    private static Sluice sluice;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        registry = SchemaRegistry.startWithTls(stores);
        tls = new SchemaRegistry.Tls(
                stores.resolve("registry-keystore.p12"), stores.resolve("registry-truststore.p12"), "registry-secret");
        sluice = SharedSluice.withCollectingSink();
    }

    @AfterAll
    static void tearDown() {
        registry.close();
    }

    private static PipelineBuilder pipeline(String table, String topic, String... more) {
        Map<String, String> source = OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "avro", "schemaRegistry.url", registry.url()), more);
        return sluice.pipeline(table).source("kafka", source).sink("collect");
    }

    private static List<String> problems(PipelineBuilder pipeline) {
        return pipeline.build().validate().problems().stream()
                .map(Problem::toString)
                .toList();
    }

    private static String topicWithAnOrder(String prefix) {
        String topic = kafka.newTopic(prefix, 1);
        int id = registry.register(topic + "-value", ORDER);
        Schema schema = new Schema.Parser().parse(ORDER);
        kafka.produceBytes(
                topic,
                List.of(ConfluentFrames.avro(
                        id,
                        schema,
                        new GenericRecordBuilder(schema).set("id", 7L).build())));
        return topic;
    }

    @Test
    void aRegistryOfAPrivateCaIsReadWithItsTrustStore() throws Exception {
        assertTrue(registry.url().startsWith("https://127.0.0.1:"), registry.url());
        String topic = topicWithAnOrder("tls-read");
        runToEnd(pipeline(
                "tls_read",
                topic,
                "schemaRegistry.ssl.truststore.location",
                tls.trustStore().toString(),
                "schemaRegistry.ssl.truststore.password",
                tls.password()));
        assertEquals(
                List.of("[7]"),
                sluice.spark().sql("SELECT id FROM tls_read").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
    }

    @Test
    void storeMistakesAreProblemsBeforeStartWithoutThePassword() throws Exception {
        String topic = topicWithAnOrder("tls-mistakes");
        List<String> untrusted = problems(pipeline("tls_untrusted", topic));
        assertEquals(1, untrusted.size(), untrusted.toString());
        assertTrue(
                untrusted.get(0).contains("the TLS handshake failed (")
                        && untrusted
                                .get(0)
                                .endsWith("when the registry's certificate is from a private CA, set"
                                        + " schemaRegistry.ssl.truststore.location to a trust store that has it"),
                untrusted.get(0));

        List<String> wrongPassword = problems(pipeline(
                "tls_wrong",
                topic,
                "schemaRegistry.ssl.truststore.location",
                tls.trustStore().toString(),
                "schemaRegistry.ssl.truststore.password",
                "not-the-password"));
        assertEquals(
                List.of("source 'kafka': cannot read the stream: option 'schemaRegistry.ssl.truststore.location' = '"
                        + tls.trustStore() + "': cannot read it as a PKCS12 store (wrong password: check"
                        + " schemaRegistry.ssl.truststore.password)"),
                wrongPassword);
        assertFalse(wrongPassword.toString().contains("not-the-password"));

        Path missing = stores.resolve("missing.p12");
        assertEquals(
                List.of("source 'kafka': cannot read the stream: option 'schemaRegistry.ssl.truststore.location' = '"
                        + missing + "': no such file"),
                problems(pipeline("tls_missing", topic, "schemaRegistry.ssl.truststore.location", missing.toString())));

        Path notAStore = Files.writeString(stores.resolve("not-a-store.p12"), "hello");
        List<String> garbage = problems(
                pipeline("tls_garbage", topic, "schemaRegistry.ssl.truststore.location", notAStore.toString()));
        assertTrue(
                garbage.get(0)
                        .startsWith("source 'kafka': cannot read the stream: option"
                                + " 'schemaRegistry.ssl.truststore.location' = '" + notAStore
                                + "': cannot read it as a PKCS12 store ("),
                garbage.toString());
    }

    @Test
    void tlsOptionsNeedAnHttpsRegistryAndTheirStores() {
        String topic = kafka.newTopic("tls-rules", 1);
        Map<String, String> http = OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "avro", "schemaRegistry.url", "http://registry:8081"),
                "schemaRegistry.ssl.truststore.location",
                "/etc/ssl/registry.p12",
                "schemaRegistry.ssl.keystore.password",
                "hunter2");
        List<String> problems =
                sluice
                        .pipeline("tls_rules")
                        .source("kafka", http)
                        .sink("collect")
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList();
        assertEquals(
                List.of(
                        "source 'kafka': option 'schemaRegistry.ssl.keystore.password' needs option"
                                + " 'schemaRegistry.ssl.keystore.location' (the password of that store)",
                        "source 'kafka': options 'schemaRegistry.ssl.*' are for an https registry, and"
                                + " 'schemaRegistry.url' is not one (http://registry:8081): write the registry's https URL"),
                problems);
        assertFalse(problems.toString().contains("hunter2"));
    }
}
