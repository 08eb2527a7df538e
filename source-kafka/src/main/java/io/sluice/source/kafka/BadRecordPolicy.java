package io.sluice.source.kafka;

/**
 * What happens to a record whose key or value does not decode. No choice drops a record
 * silently: it stops the query, or is counted, or is kept where the user said.
 */
public enum BadRecordPolicy {
    /** Stop the query with an error naming the record's topic, partition and offset. */
    FAIL,
    /** Leave the record out, counted in the progress's observed metrics ({@code skipped}). */
    SKIP,
    /** Write the raw record, its coordinates and the error to {@code deadLetter.path}, and count it. */
    DEAD_LETTER
}
