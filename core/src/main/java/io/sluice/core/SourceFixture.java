package io.sluice.core;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Records given by hand in the shape a source's system gives them, so that a pipeline can be
 * tested without that system: {@code sluice test} (and the testkit's {@code PipelineTester})
 * turns each declared batch into {@link #rows} and hands them to the source's {@link
 * StreamSource#read} through {@link SourceContext#stream} — the source's decoding, its
 * bad-record policy, the SQL and the sink's output-mode rules then run unchanged. A Kafka
 * fixture gives exactly the columns of Spark's Kafka source.
 *
 * <p>A fixture belongs to one test run: it numbers what it gives (Kafka: offsets per
 * partition) across the batches of that run, restarts included, as the system would.
 */
@Evolving
public interface SourceFixture extends AutoCloseable {
    /** The raw columns, those of the stream {@link SourceContext#stream} gives in a run. */
    StructType schema();

    /** The next batch's raw rows, in {@link #schema()}'s columns, numbered after the previous batch's. */
    List<Row> rows(List<SampleRecord> records);

    /**
     * Which of these raw rows the source does not decode, and why: the columns {@code record}
     * (where it is, e.g. {@code orders-0 offset 17}) and {@code reason} (as the dead letter says
     * it) — what a test compares with the records it expects dead-lettered or skipped.
     */
    Dataset<Row> rejected(Dataset<Row> raw);

    /**
     * The source's options for a run on this fixture. A source that asks a service besides its
     * system before it reads — a schema registry for the writers' schemas — points them at a
     * stand-in the fixture runs, serving {@code schemas}, so that a test needs no such service
     * either and says in its own file which schemas the records were written with. The default
     * (a source that reads through no such service) runs the options as declared.
     *
     * @param declared the source's options as the pipeline declares them
     * @param schemas the registry's subjects for the run: each subject's schemas as text, oldest
     *     version first (empty when the test gives none)
     * @return the options to validate and run with
     * @throws IllegalArgumentException when the schemas cannot be served as given, or the options
     *     need schemas the test did not give: in words, naming the subject or option
     */
    default java.util.Map<String, String> runOptions(
            java.util.Map<String, String> declared, java.util.Map<String, List<String>> schemas) {
        if (!schemas.isEmpty()) {
            throw new IllegalArgumentException("the source reads through no schema registry: the test's"
                    + " schemaRegistry (" + String.join(", ", schemas.keySet()) + ") is not used");
        }
        return declared;
    }

    /**
     * Adds versions to subjects of the stand-in registry mid-run, as a producer's new release
     * does ({@code - register:} in a test): records given as documents after it are written with
     * the new latest version, so a test shows what the pipeline does with a schema it did not
     * have at start. The default (a source that reads through no registry) refuses.
     *
     * @param schemas subject to the versions to add, oldest first
     * @throws IllegalArgumentException when the fixture serves no registry or not these subjects, in words
     */
    default void register(java.util.Map<String, List<String>> schemas) {
        throw new IllegalArgumentException("the source reads through no schema registry: there is nothing to"
                + " register " + String.join(", ", schemas.keySet()) + " with");
    }

    /**
     * What the run's dead letter holds now — the records that did not decode and the rows the
     * pipeline's rules quarantined — read back from where the run wrote it, in the columns
     * {@code record} (where the record is, as {@link #rejected} words it; null for a row that
     * carries no coordinates), {@code reason} (the dead letter's words) and {@code value} (the
     * record's value as text; a quarantined row's JSON). A fixture that sends the dead letter
     * somewhere a test can read it ({@link #runOptions} points it at the fixture's own directory,
     * so a test never writes to the real one) answers; empty when the run has no dead letter (the
     * default).
     */
    default java.util.Optional<Dataset<Row>> deadLetter(org.apache.spark.sql.SparkSession spark) {
        return java.util.Optional.empty();
    }

    /** Stops what the fixture runs for a test (a stand-in service); the default has nothing to stop. */
    @Override
    default void close() {}
}
