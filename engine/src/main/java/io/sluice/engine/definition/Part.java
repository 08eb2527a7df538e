package io.sluice.engine.definition;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a pipeline's definition, spelled once: as the pipeline file's keys, as the
 * JSON schema's properties, and as the path of a {@link Problem} that the file's front end
 * turns into a line number. A new part is added here, and the parser, the schema and the
 * problems all know it.
 */
public enum Part {
    NAME("name", "The pipeline's name; also the default query name"),
    SOURCE("source", "Where the pipeline reads"),
    TABLES(
            "tables",
            "Reference tables the SQL can join the stream with, each by its name (name, format: delta, parquet, csv,"
                    + " json, orc, jdbc ..., options: as spark.read takes them, refresh: every batch, once or a duration)"),
    TRANSFORMS("transforms", "SQL steps; each reads the previous step as the view 'input'"),
    EXPECTATIONS(
            "expectations",
            "Named rules on the rows (name, expect: a SQL condition, onViolation: warn, drop, fail or quarantine, stage: output"
                    + " or input), checked before start and counted per rule"),
    SINK("sink", "Where the pipeline writes"),
    SINKS(
            "sinks",
            "Several places the pipeline writes, instead of 'sink': each from the same read of the source, exactly once"
                    + " per sink where the sink is (name, connector, options, where: a SQL condition, columns: the"
                    + " columns or expressions it gets)"),
    OUTPUT_MODE("outputMode", "How results are written (default: append)"),
    TRIGGER(
            "trigger",
            "availableNow, once, an interval such as '10 seconds', processingTime: <interval>, or realTime:"
                    + " <checkpoint interval> (default: batches back to back)"),
    CHECKPOINT_LOCATION(
            "checkpointLocation",
            "Directory where the query keeps its offsets and state; required by file sinks" + " and dead letters"),
    QUERY_NAME("queryName", "Name of the streaming query (default: the pipeline's name)"),
    ACCEPT_CHANGES(
            "acceptChanges",
            "Changes against the pipeline the checkpoint was written by that Spark can carry over and"
                    + " the checkpoint guard refuses unless accepted here"),
    /** Within {@link #SOURCE} or {@link #SINK}: the connector's name. */
    CONNECTOR("connector", "The connector's name"),
    /** Within {@link #SOURCE} or {@link #SINK}: the connector's options. */
    OPTIONS("options", "The connector's options"),
    /** Within an entry of {@link #SINKS}: the rows it gets. */
    WHERE("where", "A SQL condition: the rows this sink gets (default: every row)"),
    /** Within an entry of {@link #SINKS}: the columns it gets. */
    COLUMNS("columns", "The columns this sink gets, each a column or a SQL expression with AS (default: every column)");

    /** The parts a pipeline has, in the order a pipeline file lists them. */
    public static final List<Part> OF_PIPELINE = List.of(
            NAME,
            SOURCE,
            TABLES,
            TRANSFORMS,
            EXPECTATIONS,
            SINK,
            SINKS,
            OUTPUT_MODE,
            TRIGGER,
            CHECKPOINT_LOCATION,
            QUERY_NAME,
            ACCEPT_CHANGES);

    /** The parts a source or a sink has. */
    public static final List<Part> OF_CONNECTOR = List.of(CONNECTOR, OPTIONS);

    /** The parts an entry of {@link #SINKS} has. */
    public static final List<Part> OF_ROUTED_SINK = List.of(NAME, CONNECTOR, OPTIONS, WHERE, COLUMNS);

    private final String key;
    private final String description;

    Part(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** As a pipeline file spells it: {@code checkpointLocation}. */
    public String key() {
        return key;
    }

    /** One line for the JSON schema and the docs. */
    public String description() {
        return description;
    }

    /** The part a file key names, if any. */
    public static Optional<Part> ofKey(String key) {
        return Arrays.stream(values()).filter(part -> part.key.equals(key)).findFirst();
    }

    /** The keys of {@code parts}, in order: for "did you mean" and the list of what is allowed. */
    public static List<String> keys(List<Part> parts) {
        return parts.stream().map(Part::key).toList();
    }
}
