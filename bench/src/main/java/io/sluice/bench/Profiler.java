package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Runs a job under Java Flight Recorder (the JDK's own profiler, the "profile" settings) and
 * prints where the executor threads spent their time: the methods most often on top of the
 * stack, and the Sluice-, Spark- or Kafka-level methods most often anywhere on it.
 */
final class Profiler {
    private static final int TOP = 12;

    private Profiler() {}

    static void profile(String name, Job job, Path out) throws Exception {
        Files.createDirectories(out);
        Path file = out.resolve("profile-" + name.replaceAll("[^A-Za-z0-9_]+", "_") + ".jfr");
        String polls;
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"));
                PollCounter counter = PollCounter.listen()) {
            recording.start();
            job.run();
            recording.stop();
            recording.dump(file);
            polls = counter.summary();
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Long> parked = new HashMap<>();
        Map<String, Integer> inNative = new HashMap<>();
        long socketReadNanos = 0;
        Map<String, Integer> anywhere = new HashMap<>();
        Map<String, Integer> sluice = new HashMap<>();
        int samples = 0;
        int all = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (isTaskThread(event) && event.getStackTrace() != null) {
                // where task threads wait, which execution samples (running threads only) never show
                switch (type) {
                    case "jdk.ThreadPark" ->
                        parked.merge(
                                caller(event.getStackTrace().getFrames()),
                                event.getDuration().toNanos(),
                                Long::sum);
                    case "jdk.NativeMethodSample" ->
                        inNative.merge(caller(event.getStackTrace().getFrames()), 1, Integer::sum);
                    case "jdk.SocketRead" ->
                        socketReadNanos += event.getDuration().toNanos();
                    default -> {}
                }
            }
            if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            all++;
            event.getStackTrace().getFrames().stream()
                    .map(Profiler::method)
                    .filter(m -> m.startsWith("io.sluice.") && !m.startsWith("io.sluice.bench."))
                    .distinct()
                    .forEach(m -> sluice.merge(m, 1, Integer::sum));
            String thread = event.getThread("sampledThread") == null
                    ? ""
                    : event.getThread("sampledThread").getJavaName();
            if (thread == null
                    || !thread.startsWith("Executor task")) { // Spark renames them: "launch worker", "idle worker"
                continue;
            }
            samples++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(method(frames.get(0)), 1, Integer::sum);
            }
            frames.stream()
                    .map(Profiler::method)
                    .filter(m -> m.startsWith("io.sluice.")
                            || m.contains("GeneratedClass")
                            || m.startsWith("org.apache.spark.sql.catalyst.json")
                            || m.startsWith("org.apache.kafka."))
                    .distinct()
                    .forEach(m -> anywhere.merge(m, 1, Integer::sum));
        }
        System.out.printf("profile of %s: %,d samples of executor threads (%s)%n", name, samples, file);
        print("  on top of the stack:", self, samples);
        print("  anywhere on the stack (Sluice, generated code, Spark's JSON, Kafka):", anywhere, samples);
        print(String.format("  Sluice's own methods on any thread (of %,d samples of all threads):", all), sluice, all);
        int nativeSamples =
                inNative.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "  task threads waiting: parked %.1f s, in socket reads %.1f s, %,d samples in native code (20 ms"
                        + " each)%n",
                parked.values().stream().mapToLong(Long::longValue).sum() / 1e9, socketReadNanos / 1e9, nativeSamples);
        parked.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(5)
                .forEach(e -> System.out.printf("    parked %6.1f s  in %s%n", e.getValue() / 1e9, e.getKey()));
        print("    in native code, by the caller outside the JDK:", inNative, nativeSamples);
        System.out.println("  Spark's Kafka consumer: " + polls);
    }

    private static boolean isTaskThread(RecordedEvent event) {
        String field = event.hasField("sampledThread") ? "sampledThread" : "eventThread";
        jdk.jfr.consumer.RecordedThread thread = event.hasField(field) ? event.getThread(field) : null;
        String name = thread == null ? null : thread.getJavaName();
        return name != null && name.startsWith("Executor task");
    }

    /** The first frame outside the JDK: who waited (Kafka's client, Spark's shuffle, ...). */
    private static String caller(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String method = method(frame);
            if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
                return method;
            }
        }
        return frames.isEmpty() ? "?" : method(frames.get(0));
    }

    private static void print(String title, Map<String, Integer> counts, int samples) {
        System.out.println(title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP)
                .forEach(e -> System.out.printf(
                        "    %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
