package io.sluice.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM of its own for tests and benchmarks that need one (a signal, a {@code kill -9}, a
 * cluster, a cold start): started with Spark's module options (the system property
 * {@code sluice.javaOptions}, which the build sets), its output in a file, and always ended
 * with every process it started.
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String name;

    private JavaProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** The JVM options the build gives Spark's drivers (the pom passes them as sluice.javaOptions). */
    public static List<String> javaOptions() {
        return Arrays.stream(System.getProperty("sluice.javaOptions", "").trim().split("\\s+"))
                .filter(o -> !o.isEmpty())
                .toList();
    }

    /** This test JVM's class path as the build sees it (surefire runs tests from a manifest-only jar). */
    public static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static JavaProcess start(
            String name,
            Path output,
            Map<String, String> environment,
            List<String> jvmOptions,
            String classPath,
            String mainClass,
            List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().putAll(environment);
        return new JavaProcess(name, builder.start(), output);
    }

    public String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** Waits until a line of the output matches and returns it; fails with the output when the process ends or time runs out. */
    public String awaitLine(Pattern line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Optional<String> found =
                    output().lines().filter(l -> line.matcher(l).find()).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " ended (exit " + process.exitValue() + ") before printing " + line + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not print " + line + " within " + timeout + ":\n" + output()
                + "\n--- where its threads were (jcmd Thread.print) ---\n" + threadDump());
    }

    /** The process's threads and where they are, for a process that hangs; what went wrong when it cannot be had. */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(process.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            return dump.length() > 60_000 ? dump.substring(0, 60_000) + "\n[...]" : dump;
        } catch (IOException e) {
            return "no thread dump: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** Sends SIGTERM, as an operator's kill or a scheduler does. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGINT, as Ctrl-C in the terminal does. */
    public void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                .start()
                .waitFor();
    }

    /** Sends SIGKILL: the JVM ends at once, without shutdown hooks, as when a machine or a container dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** Ends the process and everything it started (a worker's executors), forcibly if it does not end by itself. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }
}
