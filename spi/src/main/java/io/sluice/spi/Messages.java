package io.sluice.spi;

/**
 * Message shapes that the framework and connectors share, written once so that a failure
 * explained by a connector ({@link Connector#explainFailure}) ends the way the framework's own
 * explanations end.
 */
public final class Messages {
    /** The advice that ends a run-time failure an operator can fix outside the pipeline: nothing is lost by waiting. */
    public static final String RESUMES = "then start the pipeline again: it resumes from its checkpoint";

    private Messages() {}
}
