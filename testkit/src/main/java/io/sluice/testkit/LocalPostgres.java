package io.sluice.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package (the CI script
 * installs it), a fresh cluster in a temporary directory on a free port, trust authentication
 * on 127.0.0.1, logical decoding on (for change data capture), no fsync (a test's data lives as
 * long as the test; a commit still survives the server's own crash, which tests cause). About half a second to start.
 *
 * <p>{@code initdb} refuses to run as root, so as root the server runs as the {@code postgres}
 * user through {@code runuser}; as anyone else, as that user. Not a mock and not a container:
 * the same server users run, so a message a test shows is the message they will see.
 *
 * <p>{@link #stop()} and {@link #start()} restart it on the same port and data, for tests of a
 * database that goes away under a pipeline.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final String JDBC_DRIVER_CLASS = "org.postgresql.Driver";
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean root;

    private LocalPostgres(Path bin, Path dir, int port, boolean root) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.root = root;
    }

    /** Creates a cluster and starts it; fails with what to install when PostgreSQL is missing. */
    public static LocalPostgres start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("sluice-postgres");
            if (root) {
                run(false, List.of("chown", "postgres:postgres", dir.toString()));
                run(false, List.of("chmod", "700", dir.toString()));
            }
            LocalPostgres server = new LocalPostgres(bin, dir, EmbeddedKafka.freePorts(1)[0], root);
            run(
                    root,
                    List.of(
                            bin.resolve("initdb").toString(),
                            "-D",
                            server.data().toString(),
                            "-U",
                            "postgres",
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"));
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    public void restart() {
        startServer();
    }

    /** Stops the server at once (connections are cut, as when a database host goes away). */
    public void stop() {
        run(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}; user {@code postgres}, any password. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + requireNonNull(database, "database is null");
    }

    /** A new connection as {@code postgres}, auto-commit on. */
    public Connection connect() throws SQLException {
        try {
            Class.forName(JDBC_DRIVER_CLASS);
        } catch (ClassNotFoundException e) {
            throw new SQLException(
                    "the PostgreSQL JDBC driver (org.postgresql:postgresql) is not on the test class path");
        }
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs statements (DDL, inserts) in one auto-committed connection. */
    public void execute(String... statements) throws SQLException {
        try (Connection db = connect();
                Statement statement = db.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The rows of a query, each row's values joined by commas ({@code "1,ada,12.5"}), in the query's order. */
    public List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = connect();
                Statement statement = db.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int width = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= width; i++) {
                    row.append(i > 1 ? "," : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** The server's log, for a test's failure message. */
    public String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.isReadable(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void startServer() {
        String settings = String.join(
                " ",
                "-p " + port,
                "-k " + dir,
                "-c listen_addresses=127.0.0.1",
                "-c wal_level=logical",
                "-c max_wal_senders=4",
                "-c max_replication_slots=4",
                "-c max_connections=100",
                "-c fsync=off",
                "-c full_page_writes=off");
        run(
                root,
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data().toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "30",
                        "-o",
                        settings,
                        "start"));
    }

    /** The newest installed server's {@code bin} directory. */
    private static Path binaries() {
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(LocalPostgres::major));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the tests"
                + " that need a database run a real server — install it with: apt-get install postgresql"
                + " (.ci/run does)");
    }

    private static int major(Path version) {
        try {
            return Integer.parseInt(version.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(boolean asPostgres, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full.get(0), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not a test failure
        }
    }
}
