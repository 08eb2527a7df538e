package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * The identity of one micro-batch, handed to a {@link BatchSink}'s writer.
 *
 * <p>Spark delivers a batch at least once: after a crash between writing a batch and
 * committing it, the restarted query delivers the same batch id again, with the same rows.
 * {@code (queryId, id)} names that delivery uniquely and stably, so a sink that records it
 * with its writes (a ledger row in the same transaction, a file named after it, Delta's
 * {@code txnAppId}/{@code txnVersion}) can recognise the replay and make the write
 * idempotent. The query id is Spark's, kept in the checkpoint: it survives restarts from the
 * same checkpoint and changes with a new checkpoint, when batch ids start again at 0 — which
 * is why a ledger keyed by the query <em>name</em> would wrongly skip a new query's batches.
 *
 * @param queryId Spark's id of the query, stable across restarts from one checkpoint
 * @param queryName the query's name, for messages and for naming things after the query
 * @param id the batch id, increasing by one per batch that Spark commits
 */
public record Batch(String queryId, String queryName, long id) implements Serializable {
    public Batch {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(queryName, "queryName is null");
        if (id < 0) {
            throw new IllegalArgumentException("batch id must not be negative: " + id);
        }
    }
}
