package io.sluice.core.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One fate for a pipeline's queries: when one fails — the main query, or a side output such as
 * the dead letter — the others are stopped too. Otherwise a dead letter that cannot write
 * would die alone while the main query commits batch after batch whose bad records went
 * nowhere. The pipeline then reports the failure of the query that failed.
 *
 * <p>A listener, so it reacts when the failure happens rather than when someone next looks;
 * the queries are stopped from a thread of its own, as Spark's listener bus must not block.
 */
final class OneFate extends StreamingQueryListener {
    private final List<StreamingQuery> queries;
    private final Set<UUID> ids;
    private final AtomicBoolean fired = new AtomicBoolean();

    OneFate(List<StreamingQuery> queries) {
        this.queries = List.copyOf(requireNonNull(queries, "queries is null"));
        this.ids = queries.stream().map(StreamingQuery::id).collect(Collectors.toUnmodifiableSet());
    }

    /** Starts watching; a query that failed before it could watch is handled at once. */
    void watch() {
        queries.get(0).sparkSession().streams().addListener(this);
        if (queries.stream().anyMatch(q -> q.exception().isDefined())) {
            stopTheOthers();
        }
    }

    void unwatch() {
        queries.get(0).sparkSession().streams().removeListener(this);
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (ids.contains(event.id()) && event.exception().isDefined()) {
            stopTheOthers();
        }
    }

    private void stopTheOthers() {
        if (!fired.compareAndSet(false, true)) {
            return;
        }
        Thread stopper = new Thread(() -> queries.stream().filter(StreamingQuery::isActive)
                .forEach(q -> PipelineHandle.stopAfterFailure(q, new IllegalStateException("stopping " + q.name()))),
                "sluice-one-fate-" + queries.get(0).name());
        stopper.setDaemon(true);
        stopper.start();
    }
}
