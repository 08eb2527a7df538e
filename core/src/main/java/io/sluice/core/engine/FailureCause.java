package io.sluice.core.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a pipeline failed, in words an operator can act on: what failed, where, and what to do.
 * Spark reports a failure as an exception wrapped several times over, with the useful part
 * (a full disk, a path that cannot be written, a broker that does not answer, records gone
 * from Kafka) at the bottom; this finds it anywhere in the chain, by its class or by the text
 * the JDK, Hadoop, Kafka and Spark use for it. A failure it does not recognise is described by
 * its innermost exception's first line. The stack trace belongs in the log; this does not
 * print one.
 */
public final class FailureCause {
    private static final Pattern PATH = Pattern.compile("((?:file|hdfs|s3a?|gs|abfss?):/*[^\\s'\",;)]+|/[^\\s'\",;:)]+)");
    private static final Pattern TOPIC_PARTITION = Pattern.compile("(?i)(?:topic-?partition|partition)[:\\s]+([A-Za-z0-9._-]+-\\d+)");
    private static final String RESUMES = "then start the pipeline again: it resumes from its checkpoint";

    private FailureCause() {}

    /** The cause of {@code failure} in words; {@code silentFor}, when known, is how long the pipeline had not committed a batch. */
    public static String describe(Throwable failure, Optional<Duration> silentFor) {
        requireNonNull(failure, "failure is null");
        requireNonNull(silentFor, "silentFor is null");
        List<Throwable> chain = chain(failure);
        Optional<String> text;
        if ((text = find(chain, t -> contains(t, "No space left on device"))).isPresent()) {
            return "the disk is full" + where(chain) + ": free space there (or move the output elsewhere), " + RESUMES;
        }
        if ((text = find(chain, FailureCause::notWritable)).isPresent()) {
            return "cannot write" + where(chain) + " (" + reason(text.get()) + "): make it a writable directory or choose another"
                    + " path, " + RESUMES;
        }
        if ((text = find(chain, FailureCause::dataLost)).isPresent()) {
            Matcher partition = TOPIC_PARTITION.matcher(text.get());
            return "records were deleted from Kafka before the pipeline read them"
                    + (partition.find() ? " (at " + partition.group(1) + ")" : "")
                    + " — by retention, or the topic was deleted and created again: they are gone; set failOnDataLoss false"
                    + " to go on from the earliest records left, or start with a new checkpoint";
        }
        if (find(chain, FailureCause::stateIncompatible).isPresent()) {
            return "the checkpoint's state was kept by another version of the query (its keys or what it keeps per key"
                    + " changed: a GROUP BY, a deduplication, an aggregate function), and Spark cannot restore it into this one:"
                    + " give the changed pipeline a new checkpointLocation (it then starts from its startingOffsets), or undo"
                    + " the change";
        }
        if (find(chain, FailureCause::kafkaUnreachable).isPresent()) {
            return "Kafka did not answer" + silentFor.map(d -> " for " + Math.max(1, d.toSeconds()) + " s").orElse("")
                    + " (the brokers are down or cannot be reached from here): check the brokers and the network, " + RESUMES;
        }
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName() + firstLine(root).map(line -> ": " + line).orElse("");
    }

    private static boolean notWritable(Throwable t) {
        String name = t.getClass().getName();
        return name.endsWith("ParentNotDirectoryException") || name.endsWith("AccessDeniedException")
                || name.endsWith("ReadOnlyFileSystemException")
                || contains(t, "Permission denied") || contains(t, "Read-only file system") || contains(t, "Not a directory")
                || contains(t, "is not a directory") || contains(t, "Mkdirs failed");
    }

    private static boolean dataLost(Throwable t) {
        return contains(t, "Some data may have been lost") || t.getClass().getName().endsWith("OffsetOutOfRangeException")
                || contains(t, "KAFKA_DATA_LOSS");
    }

    /** Spark's error classes for state that does not fit the operator restoring it. */
    private static boolean stateIncompatible(Throwable t) {
        return contains(t, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE") || contains(t, "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE")
                || contains(t, "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA")
                || contains(t, "STATE_SCHEMA_NOT_COMPATIBLE");
    }

    private static boolean kafkaUnreachable(Throwable t) {
        String name = t.getClass().getName();
        return (name.startsWith("org.apache.kafka.") && (name.endsWith("TimeoutException") || name.endsWith("DisconnectException")))
                || contains(t, "Timed out waiting for a node assignment") || contains(t, "Failed to update metadata");
    }

    /** " at <path>" for the first path any exception of the chain names, or nothing. */
    private static String where(List<Throwable> chain) {
        for (Throwable t : chain) {
            Matcher path = PATH.matcher(t.getMessage() == null ? "" : t.getMessage());
            if (path.find()) {
                return " at " + path.group(1);
            }
        }
        return "";
    }

    /** The JDK's or Hadoop's words for why, without the path they repeat. */
    private static String reason(String message) {
        String line = message.lines().findFirst().orElse("").strip();
        return line.replaceAll(PATH.pattern(), "").replaceAll("[:\\s]+$", "").replaceAll("^[:\\s]+", "").replaceAll("\\s+:", ":");
    }

    private static Optional<String> find(List<Throwable> chain, Predicate<Throwable> test) {
        return chain.stream().filter(test).findFirst().map(t -> t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    private static boolean contains(Throwable t, String text) {
        return t.getMessage() != null && t.getMessage().contains(text);
    }

    private static Optional<String> firstLine(Throwable t) {
        return Optional.ofNullable(t.getMessage()).flatMap(m -> m.lines().findFirst()).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
