package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the JSON dead letter writes a raw key or value: text a person reads, base64 only when it is not text. */
class DeadLetterJsonTest {
    @Test
    void validUtf8IsTextAndAnythingElseIsBase64UnderItsOwnName() {
        assertEquals(
                Map.entry("value", "{\"id\":2,"),
                DeadLetterFiles.textOrBase64("value", "{\"id\":2,".getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                Map.entry("value", "prix: 12 €"),
                DeadLetterFiles.textOrBase64("value", "prix: 12 €".getBytes(StandardCharsets.UTF_8)));
        // a lone continuation byte, an overlong encoding, a truncated sequence: kept exactly, as base64
        assertEquals(Map.entry("valueBase64", "gA=="), DeadLetterFiles.textOrBase64("value", new byte[] {(byte) 0x80}));
        assertEquals(
                Map.entry("keyBase64", "wK8="),
                DeadLetterFiles.textOrBase64("key", new byte[] {(byte) 0xC0, (byte) 0xAF}));
        assertEquals(
                Map.entry("valueBase64", "YeKC"),
                DeadLetterFiles.textOrBase64("value", new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    }

    private static java.util.Optional<String> explain(String schema, String value) {
        return new JsonMismatch(org.apache.spark.sql.types.StructType.fromDDL(schema))
                .explain(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDeadLettersErrorNamesTheFieldAndWhatWasWrong() {
        String schema =
                "id BIGINT, amount DOUBLE, paid BOOLEAN, at TIMESTAMP, lines ARRAY<STRUCT<sku: STRING, n: INT>>";
        assertEquals(
                java.util.Optional.of("field 'amount' is \"abc\", not a DOUBLE"),
                explain(schema, "{\"id\":1,\"amount\":\"abc\"}"));
        assertEquals(java.util.Optional.of("field 'id' is 1.5, not a BIGINT"), explain(schema, "{\"id\":1.5}"));
        assertEquals(
                java.util.Optional.of("field 'paid' is \"yes\", not a BOOLEAN (true or false)"),
                explain(schema, "{\"paid\":\"yes\"}"));
        assertEquals(
                java.util.Optional.of("field 'at' is \"yesterday\", not a TIMESTAMP (e.g. 2026-11-25T10:00:00Z)"),
                explain(schema, "{\"at\":\"yesterday\"}"));
        assertEquals(
                java.util.Optional.of("field 'lines[1].n' is \"two\", not an INT"),
                explain(schema, "{\"lines\":[{\"n\":1},{\"sku\":\"a\",\"n\":\"two\"}]}"));
        assertEquals(
                java.util.Optional.of("field 'id' is 99999999999999999999, out of the range of a BIGINT"),
                explain(schema, "{\"id\":99999999999999999999}"));
        assertEquals(java.util.Optional.of("a JSON array, not an object"), explain(schema, "[1,2]"));
        assertTrue(explain(schema, "{\"id\":2,").orElseThrow().startsWith("not JSON: Unexpected end-of-input"));
        // what Spark takes is not blamed: a missing field, a null, any JSON for a string, a timestamp form
        assertEquals(
                java.util.Optional.empty(),
                explain(schema, "{\"amount\":null,\"at\":\"2026-11-25 10:00:00\",\"lines\":[{\"sku\":5}]}"));
    }
}
