package io.sluice.engine.run;

import io.sluice.core.CommitListener;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a source's {@link CommitListener} about each committed batch of one query: Spark reports
 * a batch's progress after its commit is written, so a progress event is a committed batch.
 * Added before the query starts (no batch is missed), it takes the query's id from the start
 * event of its name and removes itself, closing the listener, when that query ends.
 */
public final class CommitForwarder extends StreamingQueryListener {
    private static final Logger LOG = LoggerFactory.getLogger(CommitForwarder.class);

    private final SparkSession spark;
    private final String queryName;
    private final CommitListener listener;
    private volatile UUID id;

    private CommitForwarder(SparkSession spark, String queryName, CommitListener listener) {
        this.spark = spark;
        this.queryName = queryName;
        this.listener = listener;
    }

    public static CommitForwarder add(SparkSession spark, String queryName, CommitListener listener) {
        CommitForwarder forwarder = new CommitForwarder(spark, queryName, listener);
        spark.streams().addListener(forwarder);
        return forwarder;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        if (id == null && queryName.equals(event.name())) {
            id = event.id();
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        if (!event.progress().id().equals(id) || event.progress().sources().length == 0) {
            return;
        }
        SourceProgress source = event.progress().sources()[0];
        try {
            listener.committed(event.progress().batchId(), source);
        } catch (RuntimeException e) {
            LOG.warn("query '{}': the source's listener of committed batches failed", queryName, e);
        }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // nothing was committed
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (event.id().equals(id)) {
            remove();
        }
    }

    /** Stops forwarding and closes the listener; for a query that did not start, or ended. */
    public void remove() {
        spark.streams().removeListener(this);
        try {
            listener.close();
        } catch (RuntimeException e) {
            LOG.warn("query '{}': could not close the source's listener of committed batches", queryName, e);
        }
    }
}
