package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.core.option.MaskedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline is, as plain data: source and sink by name with their raw options, the
 * transforms between them, and the query's settings. Nothing here is checked yet — that is
 * {@code Pipeline.validate()}'s job — so a definition can hold every mistake a user can make
 * and validation can report all of them. {@code acceptedChanges} are the changes against the
 * pipeline its checkpoint was written by that the checkpoint guard lets pass; {@code expectations}
 * the rules on its rows; {@code tables} the reference tables its SQL can join the stream with;
 * {@code sinks} where it writes — one, or several written from the same read ({@link #fansOut()}).
 */
public record PipelineDefinition(
        String name,
        String sourceName,
        Map<String, String> sourceOptions,
        List<Transform> transforms,
        List<SinkSpec> sinks,
        OutputMode outputMode,
        StreamTrigger trigger,
        Optional<String> checkpointLocation,
        Optional<String> queryName,
        java.util.Set<CheckpointChange> acceptedChanges,
        List<Expectation> expectations,
        List<ReferenceTable> tables) {

    public PipelineDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(sourceName, "sourceName is null");
        sourceOptions = MaskedMap.of(requireNonNull(sourceOptions, "sourceOptions is null"), key -> true);
        transforms = List.copyOf(requireNonNull(transforms, "transforms is null"));
        sinks = List.copyOf(requireNonNull(sinks, "sinks is null"));
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("a pipeline writes at least one sink");
        }
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(queryName, "queryName is null");
        acceptedChanges = java.util.Set.copyOf(requireNonNull(acceptedChanges, "acceptedChanges is null"));
        expectations = List.copyOf(requireNonNull(expectations, "expectations is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
    }

    /** A definition with one sink, named after its connector. */
    public PipelineDefinition(
            String name,
            String sourceName,
            Map<String, String> sourceOptions,
            List<Transform> transforms,
            String sinkName,
            Map<String, String> sinkOptions,
            OutputMode outputMode,
            StreamTrigger trigger,
            Optional<String> checkpointLocation,
            Optional<String> queryName,
            java.util.Set<CheckpointChange> acceptedChanges,
            List<Expectation> expectations,
            List<ReferenceTable> tables) {
        this(
                name,
                sourceName,
                sourceOptions,
                transforms,
                List.of(SinkSpec.of(sinkName, sinkOptions)),
                outputMode,
                trigger,
                checkpointLocation,
                queryName,
                acceptedChanges,
                expectations,
                tables);
    }

    /** A definition that accepts no change of its checkpoint's pipeline and has no expectations. */
    public PipelineDefinition(
            String name,
            String sourceName,
            Map<String, String> sourceOptions,
            List<Transform> transforms,
            String sinkName,
            Map<String, String> sinkOptions,
            OutputMode outputMode,
            StreamTrigger trigger,
            Optional<String> checkpointLocation,
            Optional<String> queryName) {
        this(
                name,
                sourceName,
                sourceOptions,
                transforms,
                sinkName,
                sinkOptions,
                outputMode,
                trigger,
                checkpointLocation,
                queryName,
                java.util.Set.of(),
                List.of(),
                List.of());
    }

    /** The same pipeline reading with other source options (a test run's, pointed at its stand-ins). */
    public PipelineDefinition withSourceOptions(Map<String, String> options) {
        return new PipelineDefinition(
                name,
                sourceName,
                options,
                transforms,
                sinks,
                outputMode,
                trigger,
                checkpointLocation,
                queryName,
                acceptedChanges,
                expectations,
                tables);
    }

    /** The same pipeline joining other reference tables (a test's rows standing in for the real ones). */
    public PipelineDefinition withTables(List<ReferenceTable> tables) {
        return new PipelineDefinition(
                name,
                sourceName,
                sourceOptions,
                transforms,
                sinks,
                outputMode,
                trigger,
                checkpointLocation,
                queryName,
                acceptedChanges,
                expectations,
                tables);
    }

    /**
     * The definition without option values: a definition is plain data and does not know
     * which of its options a connector declares secret, so none of its values is printed
     * (a JAAS config or a key would otherwise land in a log). {@code sluice explain} shows
     * the values, with the declared secrets masked.
     */
    @Override
    public String toString() {
        return "PipelineDefinition[name=" + name + ", source=" + sourceName + " "
                + new java.util.TreeSet<>(sourceOptions.keySet())
                + ", transforms=" + transforms.stream().map(Transform::describe).toList()
                + (fansOut()
                        ? ", sinks=" + sinks
                        : ", sink=" + sinkName() + " "
                                + new java.util.TreeSet<>(sinkOptions().keySet()))
                + ", outputMode=" + outputMode + ", trigger=" + trigger
                + ", checkpointLocation=" + checkpointLocation.orElse("(temporary)") + ", queryName="
                + queryName.orElse(name)
                + (acceptedChanges.isEmpty() ? "" : ", acceptedChanges=" + new java.util.TreeSet<>(acceptedChanges))
                + (expectations.isEmpty()
                        ? ""
                        : ", expectations="
                                + expectations.stream().map(Expectation::name).toList())
                + (tables.isEmpty()
                        ? ""
                        : ", tables="
                                + tables.stream().map(ReferenceTable::name).toList())
                + "] (option values are not printed)";
    }

    /** The connector of its first sink (its only one, unless it {@link #fansOut()}). */
    public String sinkName() {
        return sinks.get(0).connector();
    }

    /** The options of its first sink (its only one, unless it {@link #fansOut()}). */
    public Map<String, String> sinkOptions() {
        return sinks.get(0).options();
    }

    /** Its sinks in a few words: {@code parquet}, or {@code orders, alerts} for several. */
    public String sinksInWords() {
        return fansOut() ? String.join(", ", sinks.stream().map(SinkSpec::name).toList()) : sinkName();
    }

    /**
     * Whether each batch is written to several sinks, or to one that gets some of its rows or
     * columns: then the framework writes each sink from the batch itself, with a record per sink.
     */
    public boolean fansOut() {
        return sinks.size() > 1 || sinks.get(0).routes();
    }

    /** Where the pipeline keeps its checkpoint: {@code checkpointLocation}, on the pipeline or as the sink's option. */
    public Optional<String> checkpoint() {
        return fansOut()
                ? checkpointLocation
                : sinkOption(io.sluice.core.StreamSink.CHECKPOINT_LOCATION.name())
                        .or(() -> checkpointLocation);
    }

    /** The query's name as written: {@code queryName} on the only sink or on the pipeline (not yet defaulted to the name). */
    public Optional<String> queryNameOption() {
        return fansOut()
                ? queryName
                : sinkOption(io.sluice.core.StreamSink.QUERY_NAME.name()).or(() -> queryName);
    }

    private Optional<String> sinkOption(String key) {
        return Optional.ofNullable(sinkOptions().get(key));
    }

    /** The subject of messages about the pipeline as a whole. */
    public String subject() {
        return "pipeline '" + name + "'";
    }
}
