package io.sluice.engine.run;

import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * A listener for what must happen when a query ends — stopped or failed: a note removed from its
 * checkpoint, a cache dropped, a restart decided. Spark's listener has four callbacks; these need
 * one, so the other three are done here once.
 */
public abstract class QueryEndListener extends StreamingQueryListener {
    @Override
    public final void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public final void onQueryProgress(QueryProgressEvent event) {}

    @Override
    public final void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public abstract void onQueryTerminated(QueryTerminatedEvent event);
}
