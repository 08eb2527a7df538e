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
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            job.run();
            recording.stop();
            recording.dump(file);
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> anywhere = new HashMap<>();
        Map<String, Integer> sluice = new HashMap<>();
        int samples = 0;
        int all = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
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
