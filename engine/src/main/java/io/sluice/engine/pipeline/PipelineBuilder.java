package io.sluice.engine.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.plan.CheckpointChange;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.ReferenceTable;
import io.sluice.engine.plan.SinkSpec;
import io.sluice.engine.plan.Transform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Declares a pipeline fluently: source, transforms, sink, then the query's settings.
 *
 * <pre>{@code
 * Pipeline orders = sluice.pipeline("orders")
 *         .source("kafka", Map.of("kafka.bootstrap.servers", "localhost:9092", "subscribe", "orders"))
 *         .sql("SELECT CAST(value AS STRING) AS json FROM input")
 *         .sink("parquet", Map.of("path", "/data/orders"))
 *         .checkpointLocation("/checkpoints/orders")
 *         .build();
 * }</pre>
 *
 * A pipeline that writes several places reads once and names each sink, with the rows and
 * columns it gets:
 *
 * <pre>{@code
 *         .sink(SinkSpec.named("orders", "delta", Map.of("path", "/lake/orders")))
 *         .sink(SinkSpec.named("alerts", "kafka", Map.of(...)).where("amount > 10000"))
 *         .checkpointLocation("/checkpoints/orders")
 * }</pre>
 *
 * Defaults follow Spark: APPEND, micro-batches back to back, query named after the pipeline.
 */
public final class PipelineBuilder {
    private final SparkSession spark;
    private final ConnectorRegistry registry;
    private final String name;
    private String sourceName;
    private final Map<String, String> sourceOptions = new LinkedHashMap<>();
    private final List<Transform> transforms = new ArrayList<>();
    private String sinkName;
    private final Map<String, String> sinkOptions = new LinkedHashMap<>();
    private OutputMode outputMode = OutputMode.APPEND;
    private StreamTrigger trigger = StreamTrigger.processingTime(Duration.ZERO);
    private String checkpointLocation;
    private String queryName;
    private final java.util.Set<CheckpointChange> acceptedChanges = java.util.EnumSet.noneOf(CheckpointChange.class);
    private final List<Expectation> expectations = new java.util.ArrayList<>();
    private final List<ReferenceTable> tables = new java.util.ArrayList<>();
    private final List<SinkSpec> sinks = new java.util.ArrayList<>();
    /** Calls made wrong (twice, with nulls in a map): reported with every other problem by validate(). */
    private final List<Problem> misuse = new ArrayList<>();

    public PipelineBuilder(SparkSession spark, ConnectorRegistry registry, String name) {
        this.spark = requireNonNull(spark, "spark is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.name = requireNonNull(name, "name is null");
    }

    public PipelineBuilder source(String connector, Map<String, String> options) {
        requireNonNull(connector, "connector is null");
        requireNonNull(options, "options is null");
        calledTwice(
                sourceName,
                connector,
                Part.SOURCE,
                "a pipeline reads one source — drop one of the calls",
                sourceOptions);
        this.sourceName = connector;
        putAll("source", connector, options, sourceOptions, Part.SOURCE);
        return this;
    }

    public PipelineBuilder source(String connector) {
        return source(connector, Map.of());
    }

    /** Adds one option to the source declared last. */
    public PipelineBuilder sourceOption(String key, String value) {
        put("sourceOption", key, value, sourceOptions, Part.SOURCE);
        return this;
    }

    /** SQL over the previous step, visible as the view {@code input}. */
    public PipelineBuilder sql(String query) {
        return transform(Transform.sql(query));
    }

    public PipelineBuilder transform(String description, Function<Dataset<Row>, Dataset<Row>> function) {
        return transform(Transform.of(description, function));
    }

    public PipelineBuilder transform(Transform transform) {
        transforms.add(requireNonNull(transform, "transform is null"));
        return this;
    }

    public PipelineBuilder sink(String connector, Map<String, String> options) {
        requireNonNull(connector, "connector is null");
        requireNonNull(options, "options is null");
        calledTwice(
                sinkName,
                connector,
                Part.SINK,
                "a pipeline writes one sink — drop one of the calls (to write twice, run two pipelines)",
                sinkOptions);
        this.sinkName = connector;
        putAll("sink", connector, options, sinkOptions, Part.SINK);
        return this;
    }

    public PipelineBuilder sink(String connector) {
        return sink(connector, Map.of());
    }

    /**
     * One of the pipeline's sinks, named: each batch is read once and written to every sink
     * given this way, each with its own rows and columns ({@link SinkSpec#where}, {@link
     * SinkSpec#columns}). Not with {@link #sink(String, Map)}, which gives a pipeline its only sink.
     */
    public PipelineBuilder sink(SinkSpec sink) {
        sinks.add(requireNonNull(sink, "sink is null"));
        return this;
    }

    public PipelineBuilder sinkOption(String key, String value) {
        put("sinkOption", key, value, sinkOptions, Part.SINK);
        return this;
    }

    /** A second source() or sink() is a problem; the options of the first do not mix into the second's. */
    private void calledTwice(String before, String connector, Part part, String fix, Map<String, String> options) {
        if (before != null) {
            misuse.add(new Problem(
                    subject(),
                    part.key() + "(...) is called twice ('" + before + "', then '" + connector + "'): " + fix,
                    part));
            options.clear();
        }
    }

    private String subject() {
        return "pipeline '" + name + "'";
    }

    /** A map's entries, each null name or value a problem naming the call instead of a NullPointerException. */
    private void putAll(
            String call, String connector, Map<String, String> options, Map<String, String> into, Part part) {
        for (Map.Entry<String, String> entry : options.entrySet()) {
            if (entry.getKey() == null) {
                misuse.add(new Problem(
                        subject(),
                        call + "(\"" + connector + "\", options) has an option without a name (a null key): leave"
                                + " it out",
                        part,
                        Part.OPTIONS));
            } else {
                put(call + "(\"" + connector + "\", options)", entry.getKey(), entry.getValue(), into, part);
            }
        }
    }

    private void put(String call, String key, String value, Map<String, String> into, Part part) {
        if (key == null) {
            misuse.add(new Problem(subject(), call + " is given a null name: name the option", part, Part.OPTIONS));
        } else if (value == null) {
            misuse.add(new Problem(
                            subject(),
                            "option '" + key + "' is null in " + call + ": give it a value, or leave it out",
                            part,
                            Part.OPTIONS)
                    .item(key));
        } else {
            into.put(key, value);
        }
    }

    public PipelineBuilder outputMode(OutputMode outputMode) {
        this.outputMode = requireNonNull(outputMode, "outputMode is null");
        return this;
    }

    public PipelineBuilder trigger(StreamTrigger trigger) {
        this.trigger = requireNonNull(trigger, "trigger is null");
        return this;
    }

    public PipelineBuilder checkpointLocation(String checkpointLocation) {
        this.checkpointLocation = requireNonNull(checkpointLocation, "checkpointLocation is null");
        return this;
    }

    public PipelineBuilder queryName(String queryName) {
        this.queryName = requireNonNull(queryName, "queryName is null");
        return this;
    }

    /**
     * Lets the checkpoint guard pass these changes against the pipeline the checkpoint was
     * written by, which it refuses by default although Spark can carry them over.
     */
    public PipelineBuilder acceptChanges(CheckpointChange... changes) {
        for (CheckpointChange change : changes) {
            acceptedChanges.add(requireNonNull(change, "change is null"));
        }
        return this;
    }

    /**
     * Adds a rule on the pipeline's rows ({@code Expectation.drop("amount_positive", "amount > 0")},
     * {@code .onInput()} to place it before the transforms), checked before start and counted per
     * rule in every batch.
     */
    public PipelineBuilder expect(Expectation expectation) {
        expectations.add(requireNonNull(expectation, "expectation is null"));
        return this;
    }

    /**
     * Adds a reference table the SQL can join the stream with by {@code name}, read with Spark's
     * batch reader ({@code format}: delta, parquet, csv, json, orc, jdbc ...; {@code options} as
     * {@code spark.read} takes them) as fresh as the format's default: Delta and databases read by
     * every batch, files once at start. Checked before start.
     */
    public PipelineBuilder table(String name, String format, Map<String, String> options) {
        return table(new ReferenceTable(
                requireNonNull(name, "name is null"),
                requireNonNull(format, "format is null"),
                requireNonNull(options, "options is null")));
    }

    /** Adds a reference table with its own freshness ({@code ReferenceTable.Refresh.every(Duration.ofMinutes(10))}). */
    public PipelineBuilder table(ReferenceTable table) {
        tables.add(requireNonNull(table, "table is null"));
        return this;
    }

    /** The pipeline, unvalidated: {@link Pipeline#validate()} and {@link Pipeline#start()} check it. */
    public Pipeline build() {
        if (sourceName == null) {
            throw new IllegalStateException("pipeline '" + name + "' has no source: call source(name, options)");
        }
        if (sinkName == null && sinks.isEmpty()) {
            throw new IllegalStateException("pipeline '" + name + "' has no sink: call sink(name, options)");
        }
        List<Problem> problems = new ArrayList<>(misuse);
        if (sinkName != null && !sinks.isEmpty()) {
            problems.add(new Problem(
                    subject(),
                    "sink('" + sinkName + "', options) and sink(SinkSpec) are both called: give every sink as a"
                            + " SinkSpec when the pipeline writes several",
                    Part.SINKS));
        }
        PipelineDefinition definition = new PipelineDefinition(
                name,
                sourceName,
                sourceOptions,
                transforms,
                sinks.isEmpty() ? List.of(SinkSpec.of(sinkName, sinkOptions)) : sinks,
                outputMode,
                trigger,
                Optional.ofNullable(checkpointLocation),
                Optional.ofNullable(queryName),
                acceptedChanges,
                expectations,
                tables);
        return new Pipeline(spark, registry, definition, problems);
    }
}
