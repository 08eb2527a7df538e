package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share of malformed pipelines reported clearly before start, measured on a corpus of our
 * own: the demo's pipeline file with one mistake each — a misspelt or missing option, a wrong
 * value, bad SQL, a wrong connector, output mode or trigger, a structural slip. "Clearly" means
 * what a user needs: {@code sluice validate} refuses (exit 1) with a line at the mistake's place
 * in the file ({@code FILE:LINE:COL:}) that names the mistaken token, and no Java trace. It
 * prints the share and holds it at every case of the corpus; a case that regresses is named.
 */
class MalformedPipelinesTest {
    @TempDir
    Path dir;

    /** One mistake: what is replaced in the valid file, by what, and a token the message must name. */
    private record Mistake(String what, String find, String replace, String named) {}

    private static final List<Mistake> CORPUS = List.of(
            // misspelt option keys
            new Mistake("source key", "kafka.bootstrap.servers:", "kafka.bootstrap.server:", "kafka.bootstrap.server"),
            new Mistake("source key", "subscribe:", "subscrbe:", "subscrbe"),
            new Mistake("source key", "startingOffsets:", "startingOffset:", "startingOffset"),
            new Mistake("source key", "maxOffsetsPerTrigger:", "maxOffsetPerTrigger:", "maxOffsetPerTrigger"),
            new Mistake("source key", "value.format:", "value.fromat:", "value.fromat"),
            new Mistake("source key", "value.schema:", "value.shema:", "value.shema"),
            new Mistake("source key", "badRecords:", "badRecord:", "badRecord"),
            new Mistake("source key", "deadLetter.path:", "deadletter.path:", "deadletter.path"),
            new Mistake("sink key", "partitionBy:", "partitonBy:", "partitonBy"),
            new Mistake("sink key", "        path: ${WORK:-/tmp/sluice-orders}/orders", "        pth: x", "pth"),
            new Mistake("pipeline key", "checkpointLocation:", "checkpointLocaton:", "checkpointLocaton"),
            new Mistake("pipeline key", "    trigger:", "    triger:", "triger"),
            new Mistake("pipeline key", "    transforms:", "    transform:", "transform"),
            new Mistake("file key", "pipelines:", "pipeline:", "pipeline"),
            new Mistake(
                    "spark setting",
                    "spark.sql.shuffle.partitions:",
                    "spark.sql.shufle.partitions:",
                    "spark.sql.shufle.partitions"),
            // wrong values
            new Mistake("value", "maxOffsetsPerTrigger: 10000", "maxOffsetsPerTrigger: ten", "ten"),
            new Mistake("value", "maxOffsetsPerTrigger: 10000", "maxOffsetsPerTrigger: -5", "-5"),
            new Mistake("value", "startingOffsets: earliest", "startingOffsets: first", "first"),
            new Mistake("value", "value.format: json", "value.format: jsn", "jsn"),
            new Mistake("value", "badRecords: dead_letter", "badRecords: drop", "drop"),
            new Mistake(
                    "value", "order_id BIGINT, customer STRING", "order_id BIGINTEGER, customer STRING", "BIGINTEGER"),
            new Mistake("value", "partitionBy: status", "partitionBy: state", "state"),
            new Mistake("value", "trigger: availableNow", "trigger: sometimes", "sometimes"),
            new Mistake("value", "trigger: availableNow", "trigger: availableNow\n    outputMode: appnd", "appnd"),
            new Mistake(
                    "value", "trigger: availableNow", "trigger: availableNow\n    outputMode: complete", "COMPLETE"),
            new Mistake(
                    "value",
                    "kafka.bootstrap.servers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
                    "kafka.bootstrap.servers: ''",
                    "kafka.bootstrap.servers"),
            new Mistake("value", "subscribe: ${TOPIC:-orders}", "subscribe: ''", "subscribe"),
            new Mistake("value", "spark.sql.shuffle.partitions: 4", "spark.sql.shuffle.partitions: four", "four"),
            new Mistake(
                    "value",
                    "kafka.bootstrap.servers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
                    "kafka.bootstrap.servers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}\n        kafka.max.poll.record: 5",
                    "kafka.max.poll.record"),
            // missing required options and rules between options
            new Mistake(
                    "missing",
                    "        kafka.bootstrap.servers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}\n",
                    "",
                    "kafka.bootstrap.servers"),
            new Mistake("missing", "        subscribe: ${TOPIC:-orders}\n", "", "subscribe"),
            new Mistake("missing", "        value.schema: >-", "        value.other: >-", "value.schema"),
            new Mistake(
                    "missing",
                    "        deadLetter.path: ${WORK:-/tmp/sluice-orders}/dead-letter\n",
                    "",
                    "deadLetter.path"),
            new Mistake(
                    "rule",
                    "subscribe: ${TOPIC:-orders}",
                    "subscribe: ${TOPIC:-orders}\n        subscribePattern: ord.*",
                    "subscribePattern"),
            new Mistake(
                    "rule",
                    "startingOffsets: earliest",
                    "startingOffsets: earliest\n        startingTimestamp: 1700000000000",
                    "startingTimestamp"),
            new Mistake("rule", "badRecords: dead_letter", "badRecords: skip", "deadLetter"),
            // connectors
            new Mistake("connector", "connector: kafka", "connector: kafak", "kafak"),
            new Mistake("connector", "connector: parquet", "connector: parqet", "parqet"),
            new Mistake("connector", "connector: parquet", "connector: kafka", "kafka"),
            // SQL
            new Mistake("sql", "size(items) AS item_count", "size(itms) AS item_count", "itms"),
            new Mistake("sql", "size(items) AS item_count", "sizee(items) AS item_count", "sizee"),
            new Mistake("sql", "SELECT order_id,", "SELEC order_id,", "SELEC"),
            new Mistake("sql", "FROM input", "FROM orders", "orders"),
            new Mistake("sql", "FROM input", "FROM input; DROP TABLE input", ";"),
            new Mistake(
                    "sql",
                    "          SELECT order_id, customer, status, amount, size(items) AS item_count, created_at, partition, offset\n          FROM input",
                    "          DROP TABLE input",
                    "DROP"),
            new Mistake(
                    "sql", "created_at, partition, offset", "created_at, partition, offset, count(*) AS n", "GROUP BY"),
            // variables and structure
            new Mistake("variable", "${WORK:-/tmp/sluice-orders}/orders", "${WROK}/orders", "WROK"),
            new Mistake("structure", "- name: orders", "- name: ''", "name"),
            new Mistake("structure", "    sink:\n", "    sinks:\n", "sinks"));

    @Test
    void everyMalformedPipelineOfTheCorpusIsReportedClearlyBeforeStart() throws Exception {
        String valid = Files.readString(CommandsTest.examplePipelines().resolve("orders.yaml"));
        Cli.Result clean = Cli.run(
                "validate", Files.writeString(dir.resolve("valid.yaml"), valid).toString());
        assertEquals(0, clean.exit(), clean.all());
        List<String> unclear = new ArrayList<>();
        int i = 0;
        for (Mistake mistake : CORPUS) {
            if (!valid.contains(mistake.find())) {
                unclear.add(mistake + ": the corpus's text is not in the file");
                continue;
            }
            Path file = Files.writeString(
                    dir.resolve("malformed-" + (++i) + ".yaml"), valid.replace(mistake.find(), mistake.replace()));
            Cli.Result result = Cli.run("validate", file.toString());
            boolean atItsPlace = result.all()
                    .lines()
                    .anyMatch(line -> line.matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: .*")
                            && line.contains(mistake.named()));
            if (result.exit() != 1 || !atItsPlace || result.all().contains("\tat ")) {
                unclear.add(mistake.what() + " '" + mistake.replace().strip() + "': exit " + result.exit() + "\n"
                        + result.all().strip());
            }
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "malformed pipelines reported clearly before start: %d of %d (%.1f %%)%n",
                CORPUS.size() - unclear.size(),
                CORPUS.size(),
                100.0 * (CORPUS.size() - unclear.size()) / CORPUS.size());
        assertEquals(List.of(), unclear);
    }
}
