package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.LocalPostgres;
import io.sluice.testkit.ReadmeTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example change stream into PostgreSQL ({@code examples/pipelines/customers-to-postgres.yaml})
 * as a user runs it: {@code sluice validate --connect} asks the real database and says what is
 * missing at the sink's line; once the table exists, {@code sluice run} keeps it equal to the
 * changes, read back with SQL.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class JdbcCommandTest {
    private static final Path EXAMPLE =
            ReadmeTables.projectReadme().getParent().resolve("examples/pipelines/customers-to-postgres.yaml");
    private static EmbeddedKafka kafka;
    private static LocalPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void tearDown() {
        postgres.close();
    }

    /** The example as it is, read to its end: {@code trigger: availableNow} added after its last line. */
    private Path file() throws java.io.IOException {
        Path file = dir.resolve("customers-to-postgres.yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, Files.readString(EXAMPLE) + "    trigger: availableNow\n");
        }
        return file;
    }

    private List<String> command(String... command) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(
                file().toString(),
                "--set",
                "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
                "--set",
                "DATABASE_URL=" + postgres.jdbcUrl(),
                "--set",
                "DATABASE_USER=postgres",
                "--set",
                "WORK=" + dir));
        return args;
    }

    @Test
    void validateConnectAsksTheDatabaseAndRunKeepsTheTableEqualToTheChanges() throws Exception {
        kafka.createTopic("customer-changes", 2);
        Cli.Result missing = Cli.run(command("validate", "--connect").toArray(String[]::new));
        assertEquals(
                new Cli.Result(
                        1,
                        file() + ":17:5: sink 'jdbc': option 'dbtable' names table 'customers', which the database at "
                                + postgres.jdbcUrl() + " as user 'postgres' does not have (tables: none): create it"
                                + " first — the sink writes an existing table\n1 problem\n",
                        ""),
                missing);

        postgres.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, name TEXT, email TEXT, version BIGINT)");
        Cli.Result ready = Cli.run(command("validate", "--connect").toArray(String[]::new));
        assertEquals(0, ready.exit(), ready.all());

        kafka.produce(
                "customer-changes",
                List.of(
                        change(1, "Ada", "ADA@EXAMPLE.COM", 1, "upsert"),
                        change(2, "Bob", "bob@example.com", 1, "upsert"),
                        change(1, "Ada L.", "ada@example.com", 3, "upsert"),
                        change(1, "Ada (old)", "old@example.com", 2, "upsert"),
                        change(2, "Bob", "bob@example.com", 2, "delete"),
                        change(3, "Chen", "chen@example.com", 1, "upsert")));
        Cli.Result result = Cli.run(command("run").toArray(String[]::new));
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("started pipeline 'customers' (kafka -> jdbc)"), result.out());
        assertEquals(
                List.of("1,Ada L.,ada@example.com,3", "3,Chen,chen@example.com,1"),
                postgres.query("SELECT id, name, email, version FROM customers ORDER BY id"));

        // a rewind asks the sink's ledger whether a batch stopped in the middle was written
        Path checkpoint = dir.resolve("checkpoint");
        long committed = last(checkpoint.resolve("commits"));
        String queryId = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(checkpoint.resolve("metadata")))
                .get("id")
                .asText();
        Files.copy(checkpoint.resolve("offsets/" + committed), checkpoint.resolve("offsets/" + (committed + 1)));
        postgres.execute("INSERT INTO sluice_batches VALUES ('public.customers', '" + queryId + "', " + (committed + 1)
                + ", 0, 0, now())");
        List<String> rewind = command("checkpoint", "rewind");
        rewind.add("--to-latest");
        Cli.Result closed = Cli.run(rewind.toArray(String[]::new));
        assertEquals(0, closed.exit(), closed.all());
        assertTrue(
                closed.out()
                        .startsWith("pipeline 'customers': rewound (batch " + (committed + 1) + ", written by the sink"
                                + " and not committed, is closed at the new place)"),
                closed.out());
        assertTrue(Files.exists(checkpoint.resolve("commits/" + (committed + 1))));
        Files.copy(checkpoint.resolve("offsets/" + (committed + 1)), checkpoint.resolve("offsets/" + (committed + 2)));
        Cli.Result replanned = Cli.run(rewind.toArray(String[]::new));
        assertEquals(0, replanned.exit(), replanned.all());
        assertTrue(
                replanned
                        .out()
                        .startsWith("pipeline 'customers': rewound (batch " + (committed + 2) + ", planned and not"
                                + " written, is planned again from the new place)"),
                replanned.out());
        assertEquals(0, Cli.run(command("run").toArray(String[]::new)).exit());
    }

    private static long last(Path log) {
        return java.util.Arrays.stream(log.toFile().list())
                .filter(n -> n.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .max()
                .orElseThrow();
    }

    private static KafkaRecord change(long id, String name, String email, long version, String op) {
        return KafkaRecord.of(
                String.valueOf(id),
                "{\"id\":" + id + ",\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"version\":" + version
                        + ",\"op\":\"" + op + "\"}");
    }
}
