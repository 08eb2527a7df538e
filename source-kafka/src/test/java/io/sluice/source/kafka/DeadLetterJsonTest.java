package io.sluice.source.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
