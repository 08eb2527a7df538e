package io.sluice.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's arguments: sizes, rounds, which parts run, and where the JSON goes.
 *
 * @param records P1/P2: JSON orders in the topic
 * @param rounds counted rounds per side, after one warm-up round
 * @param statefulRecords P3: records read, {@code statefulBatch} a batch
 * @param statefulBatch P3: records per batch
 * @param memoryRows P5: rows written to the memory sink
 * @param jdbcRecords P8: records written into PostgreSQL by each job
 * @param parts which of P1 … P12 run
 * @param profile whether P1 also records a Java Flight Recorder profile of each side
 * @param out directory of bench-results.json (and the profiles)
 * @param kafka Kafka consumer settings for the jobs' reads ({@code max.poll.records=5000}), without the
 *     {@code kafka.} prefix the source's options give them: to measure a setting before it becomes a default
 * @param kafkaByHand whether the hand-written jobs get {@code kafka} too (by default they keep Spark's
 *     defaults, as users run them); both figures are fair, and say different things
 * @param checkpointsByHand whether the hand-written jobs write their local checkpoints as Sluice's
 *     embedded default does ({@code LocalCheckpointFiles}) instead of with Spark's own manager
 */
record Settings(
        int records,
        int rounds,
        int statefulRecords,
        int statefulBatch,
        int memoryRows,
        int jdbcRecords,
        Set<String> parts,
        boolean profile,
        Path out,
        Map<String, String> kafka,
        boolean kafkaByHand,
        boolean checkpointsByHand) {
    static final String USAGE = "arguments: --records N (1000000), --rounds N (3), --stateful-records N (120000),"
            + " --stateful-batch N (10000), --memory-rows N (2000000), --jdbc-records N (200000), --parts P1,P2,P3,P4,P5,P6,P7,P8,P9,P10,P11,P12 (all),"
            + " --profile,"
            + " --out DIR (bench/target), --kafka KEY=VALUE,... (none: Spark's defaults), --kafka-by-hand,"
            + " --checkpoints-by-hand";

    static Settings parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(Map.of(
                "--records",
                "1000000",
                "--rounds",
                "3",
                "--stateful-records",
                "120000",
                "--stateful-batch",
                "10000",
                "--memory-rows",
                "2000000",
                "--jdbc-records",
                "200000",
                "--parts",
                "P1,P2,P3,P4,P5,P6,P7,P8,P9,P10,P11,P12",
                "--out",
                "bench/target",
                "--kafka",
                ""));
        boolean profile = false;
        boolean kafkaByHand = false;
        boolean checkpointsByHand = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile")) {
                profile = true;
            } else if (args[i].equals("--kafka-by-hand")) {
                kafkaByHand = true;
            } else if (args[i].equals("--checkpoints-by-hand")) {
                checkpointsByHand = true;
            } else if (values.containsKey(args[i]) && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete argument '" + args[i] + "' (" + USAGE + ")");
            }
        }
        return new Settings(
                positive(values, "--records"),
                positive(values, "--rounds"),
                positive(values, "--stateful-records"),
                positive(values, "--stateful-batch"),
                positive(values, "--memory-rows"),
                positive(values, "--jdbc-records"),
                Set.copyOf(List.of(
                        values.get("--parts").toUpperCase(java.util.Locale.ROOT).split(","))),
                profile,
                Path.of(values.get("--out")),
                kafka(values.get("--kafka")),
                kafkaByHand,
                checkpointsByHand);
    }

    private static Map<String, String> kafka(String text) {
        Map<String, String> settings = new java.util.TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int at = pair.indexOf('=');
            if (at <= 0 || pair.startsWith("kafka.")) {
                throw new IllegalArgumentException("--kafka takes KEY=VALUE pairs of consumer settings without the"
                        + " 'kafka.' prefix, e.g. max.poll.records=5000 (it is '" + pair + "'; " + USAGE + ")");
            }
            settings.put(pair.substring(0, at).trim(), pair.substring(at + 1).trim());
        }
        return Map.copyOf(settings);
    }

    private static int positive(Map<String, String> values, String name) {
        try {
            int value = Integer.parseInt(values.get(name).replace("_", ""));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a positive whole number (it is '" + values.get(name) + "'; " + USAGE + ")");
    }

    boolean runs(String part) {
        return parts.contains(part);
    }
}
