package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.TaskFailureListener;

/**
 * Sets a bad record aside from inside the task that read it, so the dead letter needs no
 * second query and no second read of Kafka. It is the filter's condition for bad records
 * only ({@code when(bad, deadLetter(...)).otherwise(true)}), so good records never reach it,
 * and it always answers false: the record leaves the main stream once it is in the spool.
 *
 * <p>Why every bad record is kept exactly once at rest: a micro-batch's offsets are in the
 * checkpoint's offset log before any task runs, and a replay of the batch reads the same
 * records into the same tasks. A task writes its bad records to a hidden spool named after
 * its first bad record and publishes it when the task succeeds — before the task reports
 * success, so before Spark can commit the batch. A replay (after a crash, a retried task, a
 * speculative copy) produces the same records under the same name, and an already published
 * spool is kept instead of written twice. A failed task's spool is discarded; its retry
 * writes it again. A dead letter on a topic is flushed at the same point, so no batch commits
 * before its bad records are acknowledged by Kafka (at least once, as Kafka sinks are).
 */
final class DeadLetterFunction implements UDF7<String, Integer, Long, Long, byte[], byte[], String, Boolean> {
    private static final long serialVersionUID = 1L;

    /** How a failure to write the dead letter begins: the source tells it apart by these words. */
    static final String CANNOT_WRITE = "cannot write a bad record to the dead letter";

    /** The open spools of the running tasks in this JVM, by task attempt and destination. */
    private static final Map<String, DeadLetter.Spool> SPOOLS = new ConcurrentHashMap<>();

    private final DeadLetter deadLetter;
    private final String destination;
    private final Counter deadLettered;
    private final Counter writeFailures;
    private final BadRecordReason reason;

    DeadLetterFunction(DeadLetter deadLetter, Counter deadLettered, Counter writeFailures, BadRecordReason reason) {
        this.deadLetter = requireNonNull(deadLetter, "deadLetter is null");
        this.destination = deadLetter.description();
        this.deadLettered = requireNonNull(deadLettered, "deadLettered is null");
        this.writeFailures = requireNonNull(writeFailures, "writeFailures is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    @Override
    public Boolean call(
            String topic,
            Integer partition,
            Long offset,
            Long timestampMicros,
            byte[] key,
            byte[] value,
            String error) {
        DeadLetterRecord record = new DeadLetterRecord(
                topic, partition, offset, timestampMicros, key, value, reason.explain(error, key, value));
        try {
            spool(deadLetter, destination, writeFailures, record).write(record);
            deadLettered.add(DecodeFailure.label(error), 1);
        } catch (IOException e) {
            writeFailures.add(1);
            throw new UncheckedIOException(CANNOT_WRITE + " (" + destination + "): " + e.getMessage(), e);
        }
        return false;
    }

    /**
     * The spool of the calling task for {@code destination}, opened on its first record and
     * published when the task succeeds (discarded when it fails): what the decoder's dead letter and
     * the expectations' quarantine share, so that one task's set-aside records go to one spool.
     */
    static DeadLetter.Spool spool(
            DeadLetter deadLetter, String destination, Counter writeFailures, DeadLetterRecord first)
            throws IOException {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("the dead letter is written by Spark tasks only");
        }
        String id = task.taskAttemptId() + " " + destination;
        DeadLetter.Spool open = SPOOLS.get(id);
        if (open != null) {
            return open;
        }
        DeadLetter.Spool spool = deadLetter.open(first, task.taskAttemptId());
        SPOOLS.put(id, spool);
        boolean[] failed = {false};
        task.addTaskFailureListener((TaskFailureListener) (context, failure) -> failed[0] = true);
        task.addTaskCompletionListener((TaskCompletionListener) context -> {
            DeadLetter.Spool done = SPOOLS.remove(id);
            if (failed[0]) {
                done.discard();
                return;
            }
            try {
                done.commit();
            } catch (IOException e) {
                writeFailures.add(1);
                throw new UncheckedIOException(
                        "cannot publish the dead letter (" + destination + "): " + e.getMessage(), e);
            }
        });
        return spool;
    }
}
