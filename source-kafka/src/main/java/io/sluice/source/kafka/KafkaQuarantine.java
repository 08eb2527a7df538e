package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import io.sluice.core.Quarantine;
import io.sluice.core.QuarantinedRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Kafka source's dead letter as the expectations' quarantine: a row that breaks a
 * {@code quarantine} rule is written as a dead-letter record — the row's JSON as its value, the
 * rules it broke as its error, the source record's topic, partition, offset and time when the
 * row carries them — into the same spool as the task's undecodable records, published with the
 * task, so it is kept exactly once at rest as they are.
 */
final class KafkaQuarantine implements Quarantine {
    private static final long serialVersionUID = 1L;
    private final DeadLetter deadLetter;
    private final String destination;
    private final Counter writeFailures;

    KafkaQuarantine(DeadLetter deadLetter, Counter writeFailures) {
        this.deadLetter = requireNonNull(deadLetter, "deadLetter is null");
        this.destination = deadLetter.description();
        this.writeFailures = requireNonNull(writeFailures, "writeFailures is null");
    }

    @Override
    public void put(QuarantinedRow row) {
        DeadLetterRecord record = new DeadLetterRecord(
                row.topic(),
                row.partition(),
                row.offset(),
                row.timestampMicros(),
                null,
                row.json().getBytes(StandardCharsets.UTF_8),
                row.reason());
        try {
            DeadLetterFunction.spool(deadLetter, destination, writeFailures, record)
                    .write(record);
        } catch (IOException e) {
            writeFailures.add(1);
            throw new UncheckedIOException(
                    DeadLetterFunction.CANNOT_WRITE + " (" + destination + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return destination;
    }
}
