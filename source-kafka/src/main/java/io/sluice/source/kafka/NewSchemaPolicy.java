package io.sluice.source.kafka;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What becomes of a record written with a schema id its subject did not have when the pipeline
 * started ({@code value.onNewSchema}): a producer registered a new version mid-stream. The
 * pipeline's columns were settled at start from the subject's reader version, so only a new
 * start can take in the new version's fields.
 */
public enum NewSchemaPolicy {
    /**
     * The batch fails before anything of it is committed; the engine plans the pipeline again
     * (the subject's latest version becomes the reader schema, its new fields new columns) and
     * starts it on the same checkpoint, which redoes the batch: no record lost or written twice
     * where the sink is exactly once.
     */
    RESTART,
    /** The pipeline stops with a message naming the subject, the version it read and the new id. */
    FAIL,
    /** The record is a bad record: {@code badRecords} decides (fail, skip, dead_letter). */
    BAD_RECORD;

    /** What the words of a record stopped by {@link #RESTART} end with, which {@link #restartFor} finds. */
    private static final String RESTARTS = ": a new schema, which the pipeline restarts to read (";

    private static final Pattern NEW_ID = Pattern.compile(
            "(key|value) was written with schema id (\\d+), which subject '([^']*)' did not have when the pipeline"
                    + " started \\(version (\\d+)");

    /** The end of the error of a record written with an unknown id: what happens to it, what to do. */
    String whatNext(String part, String option) {
        return switch (this) {
            case RESTART -> RESTARTS + option + ": restart)";
            case FAIL ->
                ": start the pipeline again to read it with the subject's latest version, or set " + option
                        + " to restart to do that by itself";
            case BAD_RECORD ->
                ": a bad record (" + option + ": bad_record); start the pipeline again to read records of newer"
                        + " schemas";
        };
    }

    /** Whether records of unknown ids stop the batch, rather than follow badRecords. */
    boolean stops() {
        return this != BAD_RECORD;
    }

    /**
     * The restart a failure asks for, in words: {@code value records of subject 'orders-value'
     * are written with schema id 12, which it did not have at start (version 1)}.
     */
    static Optional<String> restartFor(List<Throwable> causes) {
        return newId(causes)
                .map(id -> id.group(1) + " records of subject '" + id.group(3) + "' are written with schema id "
                        + id.group(2) + ", new since the pipeline started (it read version " + id.group(4) + ")");
    }

    /**
     * A restart that did not help, in words: the new start still met a record whose id the
     * subject does not have — it belongs to another subject, or the registry lost it.
     */
    static Optional<String> notResolved(List<Throwable> causes) {
        return newId(causes)
                .map(id -> id.group(1) + " written with schema id " + id.group(2) + " is not a version of subject '"
                        + id.group(3) + "' even after the pipeline restarted to read it: its producer writes under"
                        + " another subject (set " + id.group(1) + ".subject to that one), or the registry lost the"
                        + " schema; set " + id.group(1) + ".onNewSchema to bad_record to let badRecords take such"
                        + " records");
    }

    /** The part, id, subject and version of the first cause that is a record stopped by {@link #RESTART}. */
    private static Optional<Matcher> newId(List<Throwable> causes) {
        for (Throwable cause : causes) {
            String message = cause.getMessage();
            if (message != null && message.contains(RESTARTS)) {
                Matcher id = NEW_ID.matcher(message);
                if (id.find()) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }
}
