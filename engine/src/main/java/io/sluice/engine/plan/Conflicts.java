package io.sluice.engine.plan;

import io.sluice.core.Place;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two queries that must not run together: one name (Spark refuses the second with its own
 * error, late) or one checkpoint (neither would know the other writes there, and the
 * checkpoint would be corrupted). Checked for pipelines planned to run together before any
 * starts, and for each pipeline against the queries already running in this process.
 */
public final class Conflicts {
    private Conflicts() {}

    /** What a query named {@code name} with {@code checkpoint} has in common with another. */
    public record Query(String subject, String name, Optional<String> checkpoint) {}

    /**
     * The problems of running {@code query} beside {@code others}; {@code where} says where the
     * others are ({@code in the same run}, {@code which is running}).
     */
    public static List<Problem> between(Query query, List<Query> others, String where) {
        List<Problem> problems = new ArrayList<>();
        for (Query other : others) {
            if (other.name().equals(query.name())) {
                problems.add(new Problem(
                        query.subject(),
                        "its query name '" + query.name() + "' is taken by " + other.subject() + " " + where
                                + ": Spark runs one query of a name at a time — set another queryName on one of them",
                        Part.QUERY_NAME));
            }
            if (query.checkpoint().isPresent()
                    && other.checkpoint().isPresent()
                    && Place.directory(query.checkpoint().get())
                            .overlaps(Place.directory(other.checkpoint().get()))) {
                problems.add(new Problem(
                        query.subject(),
                        "its checkpointLocation '" + query.checkpoint().get() + "' is " + other.subject() + "'s too ("
                                + other.checkpoint().get() + ") " + where + ": two queries on one checkpoint corrupt it"
                                + " — give each pipeline a checkpointLocation of its own",
                        Part.CHECKPOINT_LOCATION));
            }
        }
        return problems;
    }
}
