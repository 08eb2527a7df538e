package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.core.option.OptionType;
import io.sluice.core.option.Suggestions;
import io.sluice.engine.definition.Part;
import io.sluice.engine.plan.CheckpointChange;
import io.sluice.engine.plan.Expectation;
import io.sluice.engine.plan.PipelineDefinition;
import io.sluice.engine.plan.ReferenceTable;
import io.sluice.engine.plan.SinkSpec;
import io.sluice.engine.plan.Transform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a pipeline file's YAML into {@link PipelineDefinition}s, the same plain data the Java
 * builder makes, collecting every problem of the file's own shape with its position: unknown
 * or misspelt fields ("did you mean"), missing ones, values of the wrong kind, bad output
 * modes and triggers, unset variables. Options are not checked here — the engine does that from
 * the connectors' declarations, and {@link PipelineFile.FilePipeline#positionOf} places its
 * problems.
 */
public final class PipelineFileParser {
    static final List<String> TOP_FIELDS = List.of("spark", "metrics", "pipelines", "tests");
    static final List<String> METRICS_FIELDS = List.of("port", "host", "perPartition");
    static final List<String> PIPELINE_FIELDS = Part.keys(Part.OF_PIPELINE);
    static final List<String> CONNECTOR_FIELDS = Part.keys(Part.OF_CONNECTOR);
    static final List<String> ROUTED_SINK_FIELDS = Part.keys(Part.OF_ROUTED_SINK);
    static final List<String> TRANSFORM_FIELDS = List.of("sql");
    static final List<String> TABLE_FIELDS = List.of("name", "format", "options", "refresh");
    static final List<String> EXPECTATION_FIELDS = List.of("name", "expect", "onViolation", "stage");
    static final List<String> TRIGGER_FIELDS = List.of("processingTime", "realTime");

    private final String file;
    private final Variables variables;
    private final List<FileProblem.At> problems = new ArrayList<>();

    private PipelineFileParser(String file, Variables variables) {
        this.file = requireNonNull(file, "file is null");
        this.variables = requireNonNull(variables, "variables is null");
    }

    /** Reads {@code text}, reporting under the name {@code file}. Never throws for a user's mistake. */
    public static PipelineFile parse(String file, String text, Variables variables) {
        return new PipelineFileParser(file, variables).parse(text);
    }

    private PipelineFile parse(String text) {
        YamlReader.Result yaml;
        try {
            yaml = YamlReader.read(text);
        } catch (YamlReader.YamlException e) {
            return new PipelineFile(
                    file, Map.of(), List.of(), List.of(new FileProblem(file, e.position(), "", e.getMessage())));
        }
        problems.addAll(yaml.duplicates());
        Map<String, String> spark = new LinkedHashMap<>();
        Optional<PipelineFile.Metrics> metrics = Optional.empty();
        List<PipelineFile.FilePipeline> pipelines = new ArrayList<>();
        if (yaml.root() == null) {
            problem(
                    Position.START,
                    "",
                    "the file is empty: declare 'pipelines:', a list of pipelines (see README, 'The pipeline file')");
        } else if (yaml.root() instanceof Node.MapNode root) {
            checkFields(root, TOP_FIELDS, "", "the file");
            root.get("spark").ifPresent(node -> spark.putAll(scalars(node, "", "spark")));
            root.get("spark")
                    .filter(Node.MapNode.class::isInstance)
                    .ifPresent(node -> ((Node.MapNode) node)
                            .entries()
                            .values()
                            .forEach(entry -> io.sluice.engine.catalog.SparkSettingNames.misspelt(entry.key())
                                    .or(() -> entry.value() instanceof Node.Scalar value
                                            ? io.sluice.engine.catalog.SparkSettingNames.invalidValue(
                                                    entry.key(), value.text())
                                            : Optional.empty())
                                    .ifPresent(why -> problem(
                                            why.startsWith("unknown")
                                                    ? entry.keyPosition()
                                                    : entry.value().position(),
                                            "",
                                            why))));
            metrics = root.get("metrics").flatMap(this::metrics);
            Optional<Node> list = root.get("pipelines");
            if (list.isEmpty()) {
                problem(root.position(), "", "missing field 'pipelines': a list of pipelines");
            } else if (list.get() instanceof Node.ListNode items) {
                if (items.items().isEmpty()) {
                    problem(items.position(), "", "'pipelines' is empty: declare at least one pipeline");
                }
                Set<String> names = new LinkedHashSet<>();
                for (Node item : items.items()) {
                    pipeline(item, names).ifPresent(pipelines::add);
                }
            } else {
                problem(
                        list.get().position(),
                        "",
                        "'pipelines' must be a list of pipelines (each starting with '- name:'), not "
                                + list.get().kind());
            }
        } else {
            problem(
                    yaml.root().position(),
                    "",
                    "the file must be a map with 'pipelines:', not "
                            + yaml.root().kind());
        }
        return new PipelineFile(
                file,
                spark,
                metrics,
                pipelines,
                problems.stream().map(p -> p.in(file)).toList());
    }

    /** The {@code metrics:} block: {@code port} (required), {@code host} (loopback), {@code perPartition} (false). */
    private Optional<PipelineFile.Metrics> metrics(Node node) {
        if (!(node instanceof Node.MapNode map)) {
            problem(
                    node.position(),
                    "",
                    "'metrics' must be a map with 'port' (and 'host', 'perPartition'), not " + node.kind());
            return Optional.empty();
        }
        checkFields(map, METRICS_FIELDS, "", "'metrics'");
        int before = problems.size();
        Optional<Integer> port = requiredText(map, "port", "", "'metrics'").flatMap(text -> {
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= 0 && value <= 65_535) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // said below
            }
            problem(
                    map.get("port").orElseThrow().position(),
                    "",
                    "'port' of 'metrics' is '" + text + "', not a port: give 1 to 65535 (9464 is Prometheus' usual"
                            + " exporter port), or 0 for any free one");
            return Optional.empty();
        });
        String host = map.get("host")
                .flatMap(h -> text(h, "", "host"))
                .orElse(io.sluice.engine.metrics.MetricsSettings.LOOPBACK);
        boolean perPartition = map.get("perPartition")
                .flatMap(p -> text(p, "", "perPartition"))
                .map(text -> switch (text.trim()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> {
                        problem(
                                map.get("perPartition").orElseThrow().position(),
                                "",
                                "'perPartition' of 'metrics' is '" + text + "', not true or false");
                        yield false;
                    }
                })
                .orElse(false);
        if (host.isBlank()) {
            problem(
                    map.get("host").orElseThrow().position(),
                    "",
                    "'host' of 'metrics' is empty: give a host name or"
                            + " address, e.g. 127.0.0.1 (the default), or 0.0.0.0 for every interface");
        }
        if (problems.size() > before || port.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PipelineFile.Metrics(
                new io.sluice.engine.metrics.MetricsSettings(host, port.get(), perPartition), map.position()));
    }

    private Optional<PipelineFile.FilePipeline> pipeline(Node item, Set<String> names) {
        if (!(item instanceof Node.MapNode node)) {
            problem(
                    item.position(),
                    "",
                    "a pipeline must be a map with 'name', 'source' and 'sink', not " + item.kind());
            return Optional.empty();
        }
        Optional<String> name = requiredText(node, Part.NAME.key(), "", "a pipeline");
        String subject = name.map(n -> "pipeline '" + n + "'").orElse("pipeline");
        name.ifPresent(n -> {
            if (!names.add(n)) {
                problem(
                        node.entries().get(Part.NAME.key()).value().position(),
                        subject,
                        "two pipelines are named '" + n + "': names must be unique in a file");
            }
        });
        checkFields(node, PIPELINE_FIELDS, subject, "a pipeline");
        Optional<Connector> source = connector(node, Part.SOURCE, subject);
        Optional<List<SinkSpec>> sinks = sinks(node, subject);
        List<ReferenceTable> tables =
                node.get(Part.TABLES.key()).map(t -> tables(t, subject)).orElse(List.of());
        List<Transform> transforms =
                node.get(Part.TRANSFORMS.key()).map(t -> transforms(t, subject)).orElse(List.of());
        List<Expectation> expectations = node.get(Part.EXPECTATIONS.key())
                .map(e -> expectations(e, subject))
                .orElse(List.of());
        OutputMode mode = node.get(Part.OUTPUT_MODE.key())
                .flatMap(m -> outputMode(m, subject))
                .orElse(OutputMode.APPEND);
        StreamTrigger trigger = node.get(Part.TRIGGER.key())
                .flatMap(t -> trigger(t, subject))
                .orElse(StreamTrigger.processingTime(java.time.Duration.ZERO));
        Optional<String> checkpoint =
                node.get(Part.CHECKPOINT_LOCATION.key()).flatMap(c -> text(c, subject, Part.CHECKPOINT_LOCATION.key()));
        Optional<String> queryName =
                node.get(Part.QUERY_NAME.key()).flatMap(q -> text(q, subject, Part.QUERY_NAME.key()));
        java.util.Set<CheckpointChange> accepted = node.get(Part.ACCEPT_CHANGES.key())
                .map(a -> acceptedChanges(a, subject))
                .orElse(java.util.Set.of());
        if (name.isEmpty() || source.isEmpty() || sinks.isEmpty()) {
            return Optional.empty();
        }
        PipelineDefinition definition = new PipelineDefinition(
                name.get(),
                source.get().name(),
                source.get().options(),
                transforms,
                sinks.get(),
                mode,
                trigger,
                checkpoint,
                queryName,
                accepted,
                expectations,
                tables);
        return Optional.of(new PipelineFile.FilePipeline(definition, node));
    }

    private record Connector(String name, Map<String, String> options) {}

    /** {@code sink:} (one), or {@code sinks:} (several, each named, with its rows and columns) — one of the two. */
    private Optional<List<SinkSpec>> sinks(Node.MapNode pipeline, String subject) {
        Optional<Node> several = pipeline.get(Part.SINKS.key());
        if (several.isEmpty()) {
            return connector(pipeline, Part.SINK, subject)
                    .map(sink -> List.of(SinkSpec.of(sink.name(), sink.options())));
        }
        if (pipeline.get(Part.SINK.key()).isPresent()) {
            problem(
                    pipeline.entries().get(Part.SINKS.key()).keyPosition(),
                    subject,
                    "both 'sink' and 'sinks': write one sink as 'sink', or every sink as an entry of 'sinks'");
            return Optional.empty();
        }
        String shape = "'- name: orders, connector: parquet, options: {path: ...}' (where: a SQL condition, columns: a"
                + " list)";
        if (!(several.get() instanceof Node.ListNode list) || list.items().isEmpty()) {
            problem(
                    several.get().position(),
                    subject,
                    "'sinks' must be a list of sinks " + shape + ", not "
                            + (several.get() instanceof Node.ListNode
                                    ? "an empty list"
                                    : several.get().kind()));
            return Optional.empty();
        }
        List<SinkSpec> sinks = new ArrayList<>();
        boolean complete = true;
        for (Node item : list.items()) {
            if (!(item instanceof Node.MapNode sink)) {
                problem(item.position(), subject, "a sink must be " + shape + ", not " + item.kind());
                complete = false;
                continue;
            }
            checkFields(sink, ROUTED_SINK_FIELDS, subject, "a sink");
            Optional<String> name = requiredText(sink, Part.NAME.key(), subject, "a sink");
            Optional<String> connector = requiredText(sink, Part.CONNECTOR.key(), subject, "a sink");
            Map<String, String> options = sink.get(Part.OPTIONS.key())
                    .map(o -> scalars(o, subject, "sink options"))
                    .orElse(Map.of());
            Optional<String> where = sink.get(Part.WHERE.key()).flatMap(w -> text(w, subject, Part.WHERE.key()));
            List<String> columns =
                    sink.get(Part.COLUMNS.key()).map(c -> columns(c, subject)).orElse(List.of());
            if (name.isEmpty() || connector.isEmpty()) {
                complete = false;
                continue;
            }
            sinks.add(new SinkSpec(name.get(), connector.get(), options, where, columns));
        }
        return complete ? Optional.of(sinks) : Optional.empty();
    }

    /** {@code columns: [id, amount * 2 AS doubled]}: each a column or an expression. */
    private List<String> columns(Node node, String subject) {
        if (!(node instanceof Node.ListNode list) || list.items().isEmpty()) {
            problem(
                    node.position(),
                    subject,
                    "'columns' must be a list of columns or expressions ('- id', '- amount * 2 AS doubled'), not "
                            + (node instanceof Node.ListNode ? "an empty list" : node.kind()));
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        list.items().forEach(item -> text(item, subject, Part.COLUMNS.key()).ifPresent(columns::add));
        return columns;
    }

    private Optional<Connector> connector(Node.MapNode pipeline, Part part, String subject) {
        String field = part.key();
        Optional<Node> found = pipeline.get(field);
        if (found.isEmpty()) {
            problem(
                    pipeline.position(),
                    subject,
                    "missing field '" + field + "': the " + field + "'s 'connector' and 'options'");
            return Optional.empty();
        }
        if (!(found.get() instanceof Node.MapNode node)) {
            problem(
                    found.get().position(),
                    subject,
                    "'" + field + "' must be a map with 'connector' and 'options', not "
                            + found.get().kind());
            return Optional.empty();
        }
        checkFields(node, CONNECTOR_FIELDS, subject, "a " + field);
        Optional<String> name = requiredText(node, Part.CONNECTOR.key(), subject, "a " + field);
        Map<String, String> options = node.get(Part.OPTIONS.key())
                .map(o -> scalars(o, subject, field + " options"))
                .orElse(Map.of());
        return name.map(n -> new Connector(n, options));
    }

    /** {@code acceptChanges: [source, schema]} (or one of them without brackets). */
    private java.util.Set<CheckpointChange> acceptedChanges(Node node, String subject) {
        List<Node> items = node instanceof Node.ListNode list ? list.items() : List.of(node);
        List<String> known = java.util.Arrays.stream(CheckpointChange.values())
                .map(CheckpointChange::fileName)
                .toList();
        java.util.Set<CheckpointChange> accepted = java.util.EnumSet.noneOf(CheckpointChange.class);
        for (Node item : items) {
            text(item, subject, Part.ACCEPT_CHANGES.key())
                    .ifPresent(text -> CheckpointChange.fromFileName(text)
                            .ifPresentOrElse(
                                    accepted::add,
                                    () -> problem(
                                            item.position(),
                                            subject,
                                            "'acceptChanges' names '" + text + "', which is not a change a"
                                                    + " checkpoint can accept" + Suggestions.didYouMean(text, known)
                                                    + " (changes: "
                                                    + String.join(", ", known) + ")")));
        }
        return accepted;
    }

    private List<Transform> transforms(Node node, String subject) {
        if (!(node instanceof Node.ListNode list)) {
            problem(node.position(), subject, "'transforms' must be a list of '- sql: ...' steps, not " + node.kind());
            return List.of();
        }
        List<Transform> transforms = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof Node.MapNode step) {
                checkFields(step, TRANSFORM_FIELDS, subject, "a transform");
                requiredText(step, "sql", subject, "a transform").ifPresent(sql -> transforms.add(Transform.sql(sql)));
            } else {
                problem(
                        item.position(),
                        subject,
                        "a transform must be '- sql: SELECT ... FROM input', not " + item.kind());
            }
        }
        return transforms;
    }

    /** {@code - name: customers / format: delta / options: {path: ...} / refresh: 10 minutes}. */
    private List<ReferenceTable> tables(Node node, String subject) {
        String shape = "'- name: customers, format: delta, options: {path: ...}' (refresh: every batch, once or a"
                + " duration)";
        if (!(node instanceof Node.ListNode list)) {
            problem(node.position(), subject, "'tables' must be a list of tables " + shape + ", not " + node.kind());
            return List.of();
        }
        List<ReferenceTable> tables = new ArrayList<>();
        for (Node item : list.items()) {
            if (!(item instanceof Node.MapNode table)) {
                problem(item.position(), subject, "a table must be " + shape + ", not " + item.kind());
                continue;
            }
            checkFields(table, TABLE_FIELDS, subject, "a table");
            Optional<String> name = requiredText(table, "name", subject, "a table");
            Optional<String> format = requiredText(table, "format", subject, "a table");
            Map<String, String> options = table.get("options")
                    .map(o -> scalars(o, subject, "table options"))
                    .orElse(Map.of());
            // a refresh that is wrong is said here; the table stays, at its place, for the checks after
            Optional<ReferenceTable.Refresh> refresh = table.get("refresh")
                    .flatMap(r -> refresh(r, subject))
                    .or(() -> format.map(ReferenceTable.Refresh::byDefault));
            if (name.isPresent() && format.isPresent()) {
                tables.add(new ReferenceTable(name.get(), format.get(), options, refresh.orElseThrow()));
            }
        }
        return tables;
    }

    /** {@code every batch}, {@code once}, or a duration. */
    private Optional<ReferenceTable.Refresh> refresh(Node node, String subject) {
        return text(node, subject, "refresh").flatMap(text -> {
            String word = text.trim().toLowerCase(java.util.Locale.ROOT);
            if (word.equals("every batch")) {
                return Optional.of(ReferenceTable.Refresh.everyBatch());
            }
            if (word.equals("once")) {
                return Optional.of(ReferenceTable.Refresh.once());
            }
            try {
                java.time.Duration every = OptionType.DURATION.parse(word);
                if (!every.isNegative() && !every.isZero()) {
                    return Optional.of(ReferenceTable.Refresh.every(every));
                }
            } catch (IllegalArgumentException e) {
                // said below, with the words there are
            }
            problem(
                    node.position(),
                    subject,
                    "'refresh' is '" + text + "', which is not 'every batch', 'once' or a positive duration"
                            + Suggestions.didYouMean(word, List.of("every batch", "once"))
                            + " (e.g. '10 minutes')");
            return Optional.empty();
        });
    }

    /** {@code - name: amount_positive / expect: amount > 0 / onViolation: drop / stage: input}. */
    private List<Expectation> expectations(Node node, String subject) {
        String shape = "'- name: amount_positive, expect: amount > 0, onViolation: drop' (stage: input to place it"
                + " before the transforms)";
        if (!(node instanceof Node.ListNode list)) {
            problem(
                    node.position(),
                    subject,
                    "'expectations' must be a list of rules " + shape + ", not " + node.kind());
            return List.of();
        }
        List<Expectation> rules = new ArrayList<>();
        for (Node item : list.items()) {
            if (!(item instanceof Node.MapNode rule)) {
                problem(item.position(), subject, "an expectation must be " + shape + ", not " + item.kind());
                continue;
            }
            checkFields(rule, EXPECTATION_FIELDS, subject, "an expectation");
            Optional<String> name = requiredText(rule, "name", subject, "an expectation");
            Optional<String> condition = requiredText(rule, "expect", subject, "an expectation");
            Optional<Expectation.Action> action = rule.get("onViolation")
                    .map(v -> word(v, subject, "onViolation", Expectation.Action.values(), Expectation.Action::key))
                    .orElse(Optional.of(Expectation.Action.WARN));
            Optional<Expectation.Stage> stage = rule.get("stage")
                    .map(v -> word(v, subject, "stage", Expectation.Stage.values(), Expectation.Stage::key))
                    .orElse(Optional.of(Expectation.Stage.OUTPUT));
            if (name.isPresent() && condition.isPresent() && action.isPresent() && stage.isPresent()) {
                rules.add(new Expectation(name.get(), condition.get(), action.get(), stage.get()));
            }
        }
        return rules;
    }

    /** One of {@code values} by its word in the file, or a problem naming the words there are. */
    private <T> Optional<T> word(
            Node node, String subject, String field, T[] values, java.util.function.Function<T, String> key) {
        return text(node, subject, field).flatMap(text -> {
            List<String> words = java.util.Arrays.stream(values).map(key).toList();
            Optional<T> found = java.util.Arrays.stream(values)
                    .filter(v -> key.apply(v).equals(text))
                    .findFirst();
            if (found.isEmpty()) {
                problem(
                        node.position(),
                        subject,
                        "'" + field + "' is '" + text + "', which is not one of: " + String.join(", ", words)
                                + Suggestions.didYouMean(text, words));
            }
            return found;
        });
    }

    private Optional<OutputMode> outputMode(Node node, String subject) {
        return text(node, subject, Part.OUTPUT_MODE.key()).flatMap(text -> {
            try {
                return Optional.of(OptionType.enumOf(OutputMode.class).parse(text));
            } catch (IllegalArgumentException e) {
                problem(
                        node.position(),
                        subject,
                        "outputMode '" + text + "' is not one of: append, complete, update" + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** {@code availableNow}, {@code once}, an interval ({@code 10 seconds}), or {@code {processingTime: 10s}}. */
    private Optional<StreamTrigger> trigger(Node node, String subject) {
        String expected =
                "a trigger is 'availableNow', 'once', an interval such as '10 seconds', 'processingTime: 10 seconds',"
                        + " or 'realTime: 5 seconds' (Spark's real-time mode, checkpointing at that interval)";
        if (node instanceof Node.MapNode map) {
            checkFields(map, TRIGGER_FIELDS, subject, "a trigger");
            if (map.entries().size() != 1) {
                problem(map.position(), subject, expected);
                return Optional.empty();
            }
            Node.Entry entry = map.entries().values().iterator().next();
            if (!TRIGGER_FIELDS.contains(entry.key())) {
                return Optional.empty(); // reported as an unknown field
            }
            boolean realTime = entry.key().equals("realTime");
            return text(entry.value(), subject, Part.TRIGGER.key())
                    .flatMap(text -> interval(text, entry.value().position(), subject))
                    .flatMap(trigger -> !realTime
                            ? Optional.of(trigger)
                            : realTime(trigger.interval(), entry.value().position(), subject));
        }
        return text(node, subject, Part.TRIGGER.key()).flatMap(text -> switch (text) {
            case "availableNow" -> Optional.of(StreamTrigger.availableNow());
            case "once" -> Optional.of(StreamTrigger.once());
            default -> {
                if (Character.isDigit(text.charAt(0))) {
                    yield interval(text, node.position(), subject);
                }
                problem(
                        node.position(),
                        subject,
                        "trigger '" + text + "' is unknown"
                                + Suggestions.didYouMean(text, List.of("availableNow", "once")) + ": " + expected);
                yield Optional.empty();
            }
        });
    }

    private Optional<StreamTrigger> interval(String text, Position position, String subject) {
        try {
            Duration interval = OptionType.DURATION.parse(text);
            return Optional.of(StreamTrigger.processingTime(interval));
        } catch (IllegalArgumentException e) {
            problem(position, subject, "trigger interval '" + text + "' is not " + OptionType.DURATION.expectation());
            return Optional.empty();
        }
    }

    private Optional<StreamTrigger> realTime(Duration interval, Position position, String subject) {
        if (interval.isZero()) {
            problem(position, subject, "real-time mode needs a checkpoint interval of 5 seconds or more, not 0");
            return Optional.empty();
        }
        return Optional.of(StreamTrigger.realTime(interval));
    }

    /** A map of scalars (Spark settings, options); a list of scalars is joined with commas, as list options read. */
    private Map<String, String> scalars(Node node, String subject, String what) {
        if (!(node instanceof Node.MapNode map)) {
            problem(node.position(), subject, "'" + what + "' must be a map of names to values, not " + node.kind());
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Node.Entry entry : map.entries().values()) {
            Node value = entry.value();
            if (value instanceof Node.ListNode list
                    && list.items().stream().allMatch(i -> i instanceof Node.Scalar s && !s.isNull())) {
                List<String> parts = new ArrayList<>();
                list.items().forEach(i -> text(i, subject, entry.key()).ifPresent(parts::add));
                values.put(entry.key(), String.join(",", parts));
            } else {
                text(value, subject, entry.key()).ifPresent(text -> values.put(entry.key(), text));
            }
        }
        return values;
    }

    private Optional<String> requiredText(Node.MapNode node, String field, String subject, String what) {
        Optional<Node> value = node.get(field);
        if (value.isEmpty()) {
            problem(node.position(), subject, "missing field '" + field + "' in " + what);
            return Optional.empty();
        }
        return text(value.get(), subject, field);
    }

    /** A scalar's text with variables resolved; a problem at its place when it is missing, not a scalar, or unresolved. */
    private Optional<String> text(Node node, String subject, String field) {
        if (!(node instanceof Node.Scalar scalar)) {
            problem(node.position(), subject, "'" + field + "' must be a value, not " + node.kind());
            return Optional.empty();
        }
        if (scalar.isNull()) {
            problem(node.position(), subject, "'" + field + "' has no value");
            return Optional.empty();
        }
        Variables.Resolved resolved = variables.resolve(scalar.text());
        resolved.problems().forEach(p -> problem(node.position(), subject, p));
        return resolved.problems().isEmpty() ? Optional.of(resolved.text()) : Optional.empty();
    }

    private void checkFields(Node.MapNode node, List<String> fields, String subject, String what) {
        for (Node.Entry entry : node.entries().values()) {
            if (!fields.contains(entry.key())) {
                problem(
                        entry.keyPosition(),
                        subject,
                        "unknown field '" + entry.key() + "' in " + what + Suggestions.didYouMean(entry.key(), fields)
                                + " (fields: " + fields.stream().collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    private void problem(Position position, String subject, String message) {
        problems.add(new FileProblem.At(position, subject, message));
    }
}
