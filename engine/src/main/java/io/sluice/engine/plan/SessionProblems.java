package io.sluice.engine.plan;

import io.sluice.core.Connector;
import io.sluice.engine.catalog.SessionSettings;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** What a connector needs of the session that the session lacks: one message shape for every connector of a pipeline. */
public final class SessionProblems {
    private SessionProblems() {}

    /** A session adopted with {@code Sluice.using} may lack what the connector declared it needs. */
    public static Optional<Problem> of(SparkSession spark, Connector connector, Part part) {
        List<String> missing = SessionSettings.missing(spark, connector);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Problem(
                connector.kind().subject(connector.name()),
                "the session lacks the setting"
                        + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                        + ", which this connector needs: set "
                        + (missing.size() == 1 ? "it" : "them")
                        + " where the session is built (spark-submit --conf key=value, or"
                        + " SparkSession.builder().config(key, value)); Sluice.embedded() and the sluice command set them",
                part,
                Part.CONNECTOR));
    }
}
