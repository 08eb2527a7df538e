package io.sluice.bench;

import io.sluice.source.kafka.DecoderProbe;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * P6: the JSON decoding alone, one thread, the workload's values in memory: the Kafka source's
 * decoder (its strict fast path, and without it Spark's parser fed a String) against the
 * evaluator Spark's {@code from_json} runs, all with a corrupt-record field as the source decodes. No Kafka, no Spark job: what P1's ratio owes to decoding.
 */
final class Decoding {
    private Decoding() {}

    static List<Figure> run(Settings settings) throws Exception {
        byte[][] values = new byte[settings.records()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = Workload.order(i, 0).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Job> jobs = new LinkedHashMap<>();
        jobs.put("Sluice's decoder", () -> decodeAll(DecoderProbe.sluice(Workload.SCHEMA), values));
        jobs.put("Spark's parser", () -> decodeAll(DecoderProbe.sparkParser(Workload.SCHEMA), values));
        jobs.put("from_json", () -> decodeAll(DecoderProbe.fromJson(Workload.SCHEMA), values));
        Map<String, Rounds.Timed> timed = Rounds.alternate(settings.rounds(), jobs);
        return List.of(
                Rounds.rateFigure(
                        "P6",
                        "JSON decoding alone, one thread, values in memory",
                        settings.records(),
                        timed.get("Sluice's decoder"),
                        "from_json's evaluator",
                        timed.get("from_json"),
                        0),
                Rounds.rateFigure(
                        "P6",
                        "the same without the strict fast path (Spark's parser fed a String)",
                        settings.records(),
                        timed.get("Spark's parser"),
                        "from_json's evaluator",
                        timed.get("from_json"),
                        0));
    }

    private static void decodeAll(Predicate<byte[]> decoder, byte[][] values) {
        int decoded = 0;
        for (byte[] value : values) {
            decoded += decoder.test(value) ? 1 : 0;
        }
        if (decoded != values.length) {
            throw new IllegalStateException(decoded + " of " + values.length + " values decoded");
        }
    }
}
