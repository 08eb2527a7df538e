package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.ReadmeTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user installs it: the tar.gz that {@code package} builds, unpacked into
 * an empty directory and run from there with {@code bin/sluice} — its version, a plugin dropped
 * into {@code plugins/} listed like a built-in connector, a jar given with {@code --jars} and
 * {@code SLUICE_CLASSPATH} likewise, a file validated, a Java too old refused in words, the
 * class-data archive the first command saves and later ones start from.
 */
class DistributionIT {
    private static final Path ROOT = ReadmeTables.projectReadme().getParent();
    /** The plugin project the build makes (plugin-parent's invoker run), as a user would build it. */
    private static final Path PLUGIN = ROOT.resolve("plugin-parent/target/it/lines-sink/target/lines-sink-1.0.jar");

    /** Where the distribution is unpacked, once for the class (it is 300 MB: Spark is in lib/). */
    @TempDir
    static Path installed;

    private static Path home;

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("sluice.distribution"));
        assertTrue(Files.isRegularFile(archive), "package builds the distribution before this test: " + archive);
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", installed.toString())
                .inheritIO()
                .start();
        assertEquals(0, tar.waitFor());
        home = installed.resolve("sluice-" + System.getProperty("sluice.version"));
    }

    record Run(int exit, String output) {}

    private Run sluice(Path home, Map<String, String> environment, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/sluice").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // the class-data archive is made in the background by the first command: one test makes it
        builder.environment().put("SLUICE_CDS", "off");
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "sluice " + String.join(" ", args) + " ended");
        return new Run(process.exitValue(), output);
    }

    @Test
    void unpackedAndRunFromAnywhereWithPluginsAndExtraJars() throws Exception {
        for (String part :
                List.of("bin/sluice", "lib", "plugins", "conf/jvm-options", "conf/log4j2.properties", "README.md")) {
            assertTrue(Files.exists(home.resolve(part)), part);
        }
        for (String part : List.of("bin/sluice.cmd", "conf/class-data.yaml")) {
            assertTrue(Files.exists(home.resolve(part)), part);
        }
        assertTrue(
                Files.exists(home.resolve("spark/sluice-cli-" + System.getProperty("sluice.version") + "-spark.jar")));

        Run version = sluice(home, Map.of(), "--version");
        assertEquals(new Run(0, "sluice " + System.getProperty("sluice.version") + "\n"), version);

        assertTrue(Files.isRegularFile(PLUGIN), "plugin-parent's invoker run builds " + PLUGIN);
        Run without = sluice(home, Map.of(), "connectors");
        assertEquals(0, without.exit(), without.output());
        assertTrue(!without.output().contains("lines "), without.output());
        // given on the command line, or in the environment, or dropped into plugins/: found like a built-in
        Run jars = sluice(home, Map.of(), "connectors", "--jars", PLUGIN.toString());
        assertTrue(jars.output().contains("lines    Writes each micro-batch as JSON lines files"), jars.output());
        Run environment = sluice(home, Map.of("SLUICE_CLASSPATH", PLUGIN.toString()), "connectors");
        assertTrue(environment.output().contains("lines    Writes each micro-batch"), environment.output());
        Path dropped = Files.copy(PLUGIN, home.resolve("plugins").resolve(PLUGIN.getFileName()));
        Run plugins = sluice(home, Map.of(), "connectors");
        assertEquals(0, plugins.exit(), plugins.output());
        assertTrue(plugins.output().contains("lines    Writes each micro-batch"), plugins.output());
        assertTrue(!plugins.output().contains("WARNING"), "nothing but the command's lines: " + plugins.output());

        Path file = Files.copy(ROOT.resolve("examples/pipelines/orders.yaml"), dir.resolve("orders.yaml"));
        Run valid = sluice(home, Map.of(), "validate", file.toString());
        assertEquals(new Run(0, file + ": valid (1 pipeline: orders)\n"), valid);
        Path typo = Files.writeString(
                dir.resolve("typo.yaml"), Files.readString(file).replace("subscribe:", "subscrbe:"));
        Run problem = sluice(home, Map.of(), "validate", typo.toString());
        assertEquals(1, problem.exit(), problem.output());
        assertTrue(
                problem.output().contains("unknown option 'subscrbe' — did you mean 'subscribe'?"), problem.output());

        Files.delete(dropped);
        Run missingJar = sluice(
                home,
                Map.of(),
                "connectors",
                "--jars",
                dir.resolve("nowhere.jar").toString());
        assertEquals(
                new Run(2, "sluice connectors: --jars: " + dir.resolve("nowhere.jar") + " does not exist\n"),
                missingJar);
    }

    @Test
    void theFirstCommandSavesTheClassesLaterCommandsStartFrom() throws Exception {
        Path cache = dir.resolve("cache/sluice");
        Map<String, String> on = Map.of("SLUICE_CDS", "on");
        assertEquals(
                new Run(0, "sluice " + System.getProperty("sluice.version") + "\n"), sluice(home, on, "--version"));
        // made in the background, from conf/class-data.yaml: the command above did not wait for it
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        List<Path> left = List.of();
        // done when the archive is there and nothing else: no lock, no partial archive
        while ((left.size() != 1 || !left.get(0).toString().endsWith(".jsa")) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            if (Files.isDirectory(cache)) {
                try (var files = Files.list(cache)) {
                    left = files.toList();
                }
            }
        }
        assertEquals(1, left.size(), "one archive in " + cache + ": " + left);
        assertTrue(left.get(0).toString().endsWith(".jsa"), left.toString());

        Path file = Files.copy(ROOT.resolve("examples/pipelines/orders.yaml"), dir.resolve("orders.yaml"));
        Map<String, String> traced = Map.of(
                "SLUICE_CDS", "on", "SLUICE_JAVA_OPTS", "-Xlog:class+load=info -Xlog:cds=info -Xlog:class+path=info");
        Run valid = sluice(home, traced, "validate", file.toString());
        assertEquals(0, valid.exit(), valid.output());
        assertTrue(valid.output().contains("\n" + file + ": valid (1 pipeline: orders)\n"), valid.output());
        // the command's own classes, the file reader's and Spark's SQL analysis come from the archive
        for (String loaded : List.of(
                "io.sluice.cli.Main",
                "com.fasterxml.jackson.dataformat.yaml.YAMLParser",
                "org.apache.spark.sql.catalyst.analysis.Analyzer")) {
            assertTrue(
                    valid.output().contains(" " + loaded + " source: shared objects file (top)"),
                    loaded + " from the archive: "
                            + valid.output()
                                    .lines()
                                    .filter(l -> l.contains(" " + loaded + " ")
                                            || ((l.contains("[cds") || l.contains("[class,path"))
                                                    && !l.endsWith("] ok")
                                                    && !l.contains("checking shared classpath entry")
                                                    && !l.contains("Expecting -Djava.class.path")))
                                    .toList()
                            + " in " + left);
        }
    }

    @Test
    void windowsHasACommandScriptLikeBinSluice() throws Exception {
        // no Windows here to run it on: it is checked for what bin/sluice has
        String cmd = Files.readString(home.resolve("bin/sluice.cmd"));
        assertTrue(cmd.contains("\r\n") && !cmd.replace("\r\n", "").contains("\n"), "CRLF line endings");
        for (String part : List.of(
                "io.sluice.cli.Main",
                "conf\\jvm-options",
                "conf/log4j2.properties",
                "lib\\*",
                "plugins\\*",
                "SLUICE_CLASSPATH",
                "SLUICE_JAVA_OPTS",
                "JAVA_HOME",
                "Sluice needs Java 17 or later")) {
            assertTrue(cmd.contains(part), part);
        }
    }

    @Test
    void aJavaTooOldOrMissingIsSaidInWords() throws Exception {
        Path fakeJava = dir.resolve("old-java/bin/java");
        Files.createDirectories(fakeJava.getParent());
        Files.writeString(fakeJava, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        fakeJava.toFile().setExecutable(true);
        Run old = sluice(home, Map.of("JAVA_HOME", dir.resolve("old-java").toString()), "--version");
        assertEquals(
                new Run(
                        2,
                        "sluice: " + fakeJava + " is Java 11.0.2; Sluice needs Java 17 or later: install one, or set"
                                + " JAVA_HOME to it\n"),
                old);
        Run none = sluice(home, Map.of("JAVA_HOME", dir.resolve("no-java").toString()), "--version");
        assertEquals(
                new Run(
                        2,
                        "sluice: no Java found in JAVA_HOME (" + dir.resolve("no-java")
                                + "): install Java 17 or later, or set JAVA_HOME to one\n"),
                none);
    }
}
