package io.sluice.engine.run;

import static java.util.Objects.requireNonNull;

import io.sluice.core.BatchWriteException;
import io.sluice.core.Connector;
import io.sluice.core.Messages;
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
 * from Kafka) at the bottom; this asks the pipeline's connectors first (they know their own
 * failures: {@link Connector#explainFailure}), then finds what the framework knows anywhere in
 * the chain, by its class or by the text the JDK, Hadoop and Spark use for it. A failure it does not recognise is described by
 * its innermost exception's first line. The stack trace belongs in the log; this does not
 * print one.
 */
public final class FailureCause {
    private static final Pattern PATH =
            // not a JVM class name's "/0x7f..." (Spark names its lambdas so in messages)
            Pattern.compile(
                    "((?:file|hdfs|s3a?|gs|abfss?):/*[^\\s'\",;)]+|(?<![\\w$])/(?!0x[0-9a-f]+)[^\\s'\",;:)`]+)");

    private FailureCause() {}

    /** The cause of {@code failure} in words; {@code silentFor}, when known, is how long the pipeline had not committed a batch. */
    public static String describe(
            Throwable failure, Optional<Duration> silentFor, List<? extends Connector> connectors) {
        requireNonNull(failure, "failure is null");
        requireNonNull(silentFor, "silentFor is null");
        requireNonNull(connectors, "connectors is null");
        List<Throwable> chain = chain(failure);
        for (Connector connector : connectors) {
            Optional<String> explained = connector.explainFailure(List.copyOf(chain), silentFor);
            if (explained.isPresent()) {
                return explained.get();
            }
        }
        Optional<String> text = io.sluice.engine.plan.ExpectationFailedException.in(chain);
        if (text.isPresent()) {
            return text.get();
        }
        if ((text = find(chain, t -> contains(t, RAISED))).isPresent()) {
            return raised(text.get());
        }
        if ((text = find(chain, t -> contains(t, "No space left on device"))).isPresent()) {
            return "the disk is full" + where(chain) + ": free space there (or move the output elsewhere), "
                    + Messages.RESUMES;
        }
        if ((text = find(innermostFirst(chain), FailureCause::notWritable)).isPresent()) {
            return "cannot write" + where(chain) + " (" + reason(text.get())
                    + "): make it a writable directory or choose another" + " path, " + Messages.RESUMES;
        }
        if (find(chain, FailureCause::stateIncompatible).isPresent()) {
            return "the checkpoint's state was kept by another version of the query (its keys or what it keeps per key"
                    + " changed: a GROUP BY, a deduplication, an aggregate function), and Spark cannot restore it into this one: "
                    + CheckpointGuard.NEW_CHECKPOINT;
        }
        Optional<BatchWriteException> sink = chain.stream()
                .filter(BatchWriteException.class::isInstance)
                .map(BatchWriteException.class::cast)
                .findFirst();
        if (sink.isPresent()) { // the batch is said before the cause
            return "sink '" + sink.get().sink() + "' failed: " + sink.get().reason();
        }
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName()
                + firstLine(root).map(line -> ": " + line).orElse("");
    }

    /** Spark's error class of {@code raise_error}, whose message a connector wrote in words already. */
    private static final String RAISED = "[USER_RAISED_EXCEPTION] ";

    /** The words given to {@code raise_error}, without Spark's error class and SQL state around them. */
    private static String raised(String message) {
        String line = message.substring(message.indexOf(RAISED) + RAISED.length())
                .lines()
                .findFirst()
                .orElse("");
        return line.replaceFirst("( SQLSTATE: \\w+)+$", "").strip();
    }

    private static boolean notWritable(Throwable t) {
        String name = t.getClass().getName();
        return name.endsWith("ParentNotDirectoryException")
                || name.endsWith("AccessDeniedException")
                || name.endsWith("ReadOnlyFileSystemException")
                || contains(t, "Permission denied")
                || contains(t, "Read-only file system")
                || contains(t, "Not a directory")
                || contains(t, "is not a directory")
                || contains(t, "Mkdirs failed");
    }

    /** Spark's error classes for state that does not fit the operator restoring it. */
    private static boolean stateIncompatible(Throwable t) {
        return contains(t, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE")
                || contains(t, "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE")
                || contains(t, "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA")
                || contains(t, "STATE_SCHEMA_NOT_COMPATIBLE");
    }

    /** " at <path>" for the path the innermost exception naming one names, or nothing. */
    private static String where(List<Throwable> chain) {
        for (Throwable t : innermostFirst(chain)) {
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
        return line.replaceAll(PATH.pattern(), "")
                .replaceAll("[:\\s]+$", "")
                .replaceAll("^[:\\s]+", "")
                .replaceAll("\\s+:", ":");
    }

    /**
     * The chain from its root outwards: the root says what happened in its own words, while the
     * wrappers above it (Spark's) repeat it inside pages of plan and class names.
     */
    private static List<Throwable> innermostFirst(List<Throwable> chain) {
        List<Throwable> reversed = new ArrayList<>(chain);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static Optional<String> find(List<Throwable> chain, Predicate<Throwable> test) {
        return chain.stream()
                .filter(test)
                .findFirst()
                .map(t -> t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    private static boolean contains(Throwable t, String text) {
        return t.getMessage() != null && t.getMessage().contains(text);
    }

    private static Optional<String> firstLine(Throwable t) {
        return Optional.ofNullable(t.getMessage())
                .flatMap(m -> m.lines().findFirst())
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    /** {@code failure} and its causes, outermost first. */
    public static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
