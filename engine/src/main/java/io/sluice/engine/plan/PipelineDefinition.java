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
 * the rules on its rows; {@code tables} the reference tables its SQL can join the stream with.
 */
public record PipelineDefinition(
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

    public PipelineDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(sourceName, "sourceName is null");
        sourceOptions = MaskedMap.of(requireNonNull(sourceOptions, "sourceOptions is null"), key -> true);
        transforms = List.copyOf(requireNonNull(transforms, "transforms is null"));
        requireNonNull(sinkName, "sinkName is null");
        sinkOptions = MaskedMap.of(requireNonNull(sinkOptions, "sinkOptions is null"), key -> true);
        requireNonNull(outputMode, "outputMode is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        requireNonNull(queryName, "queryName is null");
        acceptedChanges = java.util.Set.copyOf(requireNonNull(acceptedChanges, "acceptedChanges is null"));
        expectations = List.copyOf(requireNonNull(expectations, "expectations is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
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
                sinkName,
                sinkOptions,
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
                sinkName,
                sinkOptions,
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
                + ", transforms=" + transforms.stream().map(Transform::describe).toList() + ", sink=" + sinkName + " "
                + new java.util.TreeSet<>(sinkOptions.keySet()) + ", outputMode=" + outputMode + ", trigger=" + trigger
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

    /** Where the pipeline keeps its checkpoint: {@code checkpointLocation}, on the pipeline or as the sink's option. */
    public Optional<String> checkpoint() {
        return Optional.ofNullable(sinkOptions.get(io.sluice.core.StreamSink.CHECKPOINT_LOCATION.name()))
                .or(() -> checkpointLocation);
    }

    /** The subject of messages about the pipeline as a whole. */
    public String subject() {
        return "pipeline '" + name + "'";
    }
}
