package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.Connector;
import io.sluice.core.ConnectorKind;
import io.sluice.core.OutputMode;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.definition.Part;
import io.sluice.engine.plan.CheckpointChange;
import java.util.List;
import java.util.Locale;

/**
 * A JSON Schema (draft-07) of the pipeline file, generated from the same declarations that
 * validate it: the file's fields, every connector on the class path by name, and each
 * connector's options with their types, allowed values, defaults and descriptions. An editor
 * with a YAML language server then completes and checks a pipeline file while it is typed.
 * Any value may also be a {@code ${VARIABLE}}.
 */
final class PipelineSchema {
    private PipelineSchema() {}

    static ObjectNode of(ConnectorRegistry registry) {
        ObjectNode root = Catalogue.JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "Sluice pipeline file");
        root.put("description", "One or more streaming pipelines: source, SQL transforms, sink (see Sluice's README)");
        root.put("type", "object");
        root.put("additionalProperties", false);
        root.putArray("required").add("pipelines");
        ObjectNode properties = root.putObject("properties");
        ObjectNode spark = properties.putObject("spark");
        spark.put("type", "object")
                .put("description", "Spark session settings for the file, e.g. spark.sql.shuffle.partitions");
        spark.putObject("additionalProperties")
                .putArray("type")
                .add("string")
                .add("number")
                .add("boolean");
        ObjectNode metrics = properties.putObject("metrics");
        metrics.put("type", "object")
                .put("additionalProperties", false)
                .put(
                        "description",
                        "A metrics endpoint on the driver: /metrics (Prometheus), /live, /ready, /status (see"
                                + " docs/metrics.md)");
        metrics.putArray("required").add("port");
        ObjectNode metricsFields = metrics.putObject("properties");
        ObjectNode port = metricsFields.putObject("port");
        port.put("description", "The port; 0 for any free one");
        port.putArray("anyOf")
                .add(Catalogue.JSON
                        .createObjectNode()
                        .put("type", "integer")
                        .put("minimum", 0)
                        .put("maximum", 65535))
                .add(Catalogue.JSON.createObjectNode().put("$ref", "#/definitions/variable"));
        metricsFields
                .putObject("host")
                .put("type", "string")
                .put("default", "127.0.0.1")
                .put("description", "The address to listen on: loopback by default, 0.0.0.0 for every interface");
        ObjectNode perPartition = metricsFields.putObject("perPartition");
        perPartition.put("default", false).put("description", "One backlog series per source partition");
        perPartition
                .putArray("anyOf")
                .add(Catalogue.JSON.createObjectNode().put("type", "boolean"))
                .add(Catalogue.JSON.createObjectNode().put("$ref", "#/definitions/variable"));
        ObjectNode pipelines = properties.putObject("pipelines");
        pipelines
                .put("type", "array")
                .put("minItems", 1)
                .put("description", "The pipelines; they run together and stop together");
        pipelines.putObject("items").put("$ref", "#/definitions/pipeline");
        TestSchema.tests(properties
                .putObject("tests")
                .put("description", "Tests of the file's pipelines, run by sluice test (see docs/testing.md)"));

        ObjectNode definitions = root.putObject("definitions");
        definitions
                .putObject("variable")
                .put("type", "string")
                .put("pattern", "\\$\\{[^}]+\\}")
                .put("description", "${NAME} or ${NAME:-default}, from --set or the environment");
        definitions.set("pipeline", pipeline());
        TestSchema.definitions(definitions);
        List<Connector> sources =
                registry.sources().stream().map(Connector.class::cast).toList();
        List<Connector> sinks =
                registry.sinks().stream().map(Connector.class::cast).toList();
        definitions.set(Part.SOURCE.key(), connectorPart(ConnectorKind.SOURCE, sources));
        ObjectNode sink = connectorPart(ConnectorKind.SINK, sinks);
        definitions.set(Part.SINK.key(), sink);
        definitions.set(ROUTED_SINK, routedSink(sink.deepCopy()));
        for (Connector connector : Catalogue.all(registry)) {
            definitions.set(optionsDefinition(connector), options(connector));
        }
        return root;
    }

    /** One property per {@link Part} of a pipeline, described as the part describes itself. */
    private static ObjectNode pipeline() {
        ObjectNode pipeline = Catalogue.JSON.createObjectNode();
        pipeline.put("type", "object").put("additionalProperties", false);
        pipeline.putArray("required").add(Part.NAME.key()).add(Part.SOURCE.key());
        ArrayNode oneSinkOrSeveral = pipeline.putArray("oneOf");
        oneSinkOrSeveral.addObject().putArray("required").add(Part.SINK.key());
        oneSinkOrSeveral.addObject().putArray("required").add(Part.SINKS.key());
        ObjectNode properties = pipeline.putObject("properties");
        for (Part part : Part.OF_PIPELINE) {
            ObjectNode property = properties.putObject(part.key());
            switch (part) {
                case SOURCE, SINK -> property.put("$ref", "#/definitions/" + part.key());
                case SINKS ->
                    property.put("type", "array")
                            .put("minItems", 1)
                            .put("description", part.description())
                            .putObject("items")
                            .put("$ref", "#/definitions/" + ROUTED_SINK);
                case TRANSFORMS -> transforms(property.put("type", "array").put("description", part.description()));
                case TABLES -> tables(property.put("type", "array").put("description", part.description()));
                case EXPECTATIONS -> expectations(property.put("type", "array").put("description", part.description()));
                case OUTPUT_MODE -> {
                    // a value, or ${VAR} as the command accepts wherever a value goes
                    ArrayNode choices =
                            property.put("description", part.description()).putArray("anyOf");
                    words(
                            choices.addObject().putArray("enum"),
                            OutputMode.class,
                            m -> m.name().toLowerCase(Locale.ROOT));
                    choices.addObject().put("$ref", "#/definitions/variable");
                }
                case TRIGGER -> trigger(property.put("description", part.description()));
                case ACCEPT_CHANGES -> {
                    property.put("type", "array").put("description", part.description());
                    words(
                            property.putObject("items").put("type", "string").putArray("enum"),
                            CheckpointChange.class,
                            CheckpointChange::fileName);
                }
                default -> property.put("type", "string").put("description", part.description());
            }
        }
        return pipeline;
    }

    /** The definition of an entry of {@code sinks}. */
    private static final String ROUTED_SINK = "sinksEntry";

    /** A sink as {@code sink:} has it, with its name and the rows and columns it gets. */
    private static ObjectNode routedSink(ObjectNode sink) {
        ((ArrayNode) sink.get("required")).insert(0, Part.NAME.key());
        ObjectNode properties = (ObjectNode) sink.get("properties");
        properties
                .putObject(Part.NAME.key())
                .put("type", "string")
                .put("pattern", "^[A-Za-z][A-Za-z0-9_]*$")
                .put(
                        "description",
                        "The sink's name: in messages, on the progress line, in metrics and in its record of"
                                + " written batches under the checkpoint");
        properties.putObject(Part.WHERE.key()).put("type", "string").put("description", Part.WHERE.description());
        properties
                .putObject(Part.COLUMNS.key())
                .put("type", "array")
                .put("minItems", 1)
                .put("description", Part.COLUMNS.description())
                .putObject("items")
                .put("type", "string");
        return sink;
    }

    private static void transforms(ObjectNode transforms) {
        ObjectNode step = transforms.putObject("items");
        step.put("type", "object").put("additionalProperties", false);
        step.putArray("required").add("sql");
        step.putObject("properties").putObject("sql").put("type", "string").put("description", "SELECT ... FROM input");
    }

    private static void tables(ObjectNode tables) {
        ObjectNode table = tables.putObject("items");
        table.put("type", "object").put("additionalProperties", false);
        table.putArray("required").add("name").add("format");
        ObjectNode properties = table.putObject("properties");
        properties
                .putObject("name")
                .put("type", "string")
                .put("pattern", "^[A-Za-z_][A-Za-z0-9_]*$")
                .put("description", "The name the SQL reads the table by (FROM input JOIN customers ...)");
        properties
                .putObject("format")
                .put("type", "string")
                .put("description", "Spark's batch format: delta, parquet, csv, json, orc, text, avro, jdbc ...");
        properties
                .putObject("options")
                .put("type", "object")
                .put("description", "The reader's options as spark.read takes them (path, url, dbtable, header ...)")
                .putObject("additionalProperties")
                .putArray("type")
                .add("string")
                .add("number")
                .add("boolean");
        properties
                .putObject("refresh")
                .put("type", "string")
                .put(
                        "description",
                        "How fresh the joined rows are: every batch (default for delta and jdbc), once (default for"
                                + " files: read at start), or a duration such as '10 minutes' (cached, read again that"
                                + " often)");
    }

    private static void expectations(ObjectNode expectations) {
        ObjectNode rule = expectations.putObject("items");
        rule.put("type", "object").put("additionalProperties", false);
        rule.putArray("required").add("name").add("expect");
        ObjectNode properties = rule.putObject("properties");
        properties
                .putObject("name")
                .put("type", "string")
                .put("pattern", "^[A-Za-z_][A-Za-z0-9_]*$")
                .put("description", "The rule's name: a word, reported in progress lines and metrics");
        properties
                .putObject("expect")
                .put("type", "string")
                .put("description", "A SQL boolean expression every row should satisfy (amount > 0); NULL is no break");
        words(
                properties
                        .putObject("onViolation")
                        .put("description", "What a row that breaks the rule comes to (default: warn)")
                        .putArray("enum"),
                io.sluice.engine.plan.Expectation.Action.class,
                io.sluice.engine.plan.Expectation.Action::key);
        words(
                properties
                        .putObject("stage")
                        .put(
                                "description",
                                "Where the rule looks at the rows: output (default, the sink's rows) or input")
                        .putArray("enum"),
                io.sluice.engine.plan.Expectation.Stage.class,
                io.sluice.engine.plan.Expectation.Stage::key);
    }

    /** The words a file uses for each of an enum's constants, in declaration order, into a schema's {@code enum}. */
    private static <E extends Enum<E>> void words(
            ArrayNode choices, Class<E> type, java.util.function.Function<E, String> word) {
        for (E constant : type.getEnumConstants()) {
            choices.add(word.apply(constant));
        }
    }

    private static void trigger(ObjectNode property) {
        ArrayNode trigger = property.putArray("anyOf");
        trigger.addObject().putArray("enum").add("availableNow").add("once");
        trigger.addObject().put("type", "string").put("pattern", "^[0-9]+\\s*[a-z]+$");
        trigger.addObject().put("$ref", "#/definitions/variable");
        ObjectNode processing = trigger.addObject().put("type", "object").put("additionalProperties", false);
        processing.putArray("required").add("processingTime");
        processing.putObject("properties").putObject("processingTime").put("type", "string");
        ObjectNode realTime = trigger.addObject().put("type", "object").put("additionalProperties", false);
        realTime.putArray("required").add("realTime");
        realTime.putObject("properties")
                .putObject("realTime")
                .put("type", "string")
                .put("description", "Spark's real-time mode, checkpointing at this interval (5 seconds or more)");
    }

    private static ObjectNode connectorPart(ConnectorKind kind, List<Connector> connectors) {
        ObjectNode part = Catalogue.JSON.createObjectNode();
        part.put("type", "object").put("additionalProperties", false);
        part.putArray("required").add(Part.CONNECTOR.key());
        ObjectNode properties = part.putObject("properties");
        ObjectNode connector = properties.putObject(Part.CONNECTOR.key());
        connector.put("description", "The " + kind.singular() + " connector's name (sluice connectors lists them)");
        ArrayNode names = connector.putArray("enum");
        connectors.stream().map(Connector::name).sorted().forEach(names::add);
        properties.putObject(Part.OPTIONS.key()).put("type", "object").put("description", Part.OPTIONS.description());
        ArrayNode cases = part.putArray("allOf");
        for (Connector c : connectors) {
            ObjectNode when = cases.addObject();
            when.putObject("if")
                    .putObject("properties")
                    .putObject(Part.CONNECTOR.key())
                    .put("const", c.name());
            when.putObject("then")
                    .putObject("properties")
                    .putObject(Part.OPTIONS.key())
                    .put("$ref", "#/definitions/" + optionsDefinition(c));
        }
        return part;
    }

    private static String optionsDefinition(Connector connector) {
        return connector.kind().singular() + "-" + connector.name() + "-options";
    }

    private static ObjectNode options(Connector connector) {
        ObjectNode node = Catalogue.JSON.createObjectNode();
        node.put("type", "object").put("description", connector.description());
        ArrayNode required = node.putArray("required");
        ObjectNode properties = node.putObject("properties");
        for (OptionSpec<?> option : Catalogue.options(connector)) {
            if (option.required()) {
                required.add(option.name());
            }
            ObjectNode property = properties.putObject(option.name());
            property.put("description", option.description() + (option.secret() ? " (secret: never printed)" : ""));
            if (!option.defaultText().isEmpty()) {
                property.put("default", option.defaultText());
            }
            ArrayNode anyOf = property.putArray("anyOf");
            ObjectNode typed = anyOf.addObject();
            switch (option.type().name()) {
                case "boolean" -> typed.put("type", "boolean");
                case "int", "long" -> typed.put("type", "integer");
                case "list" -> typed.putArray("type").add("string").add("array");
                default -> {
                    if (option.type().values().isEmpty()) {
                        typed.put("type", "string");
                    } else {
                        option.type().values().forEach(typed.putArray("enum")::add);
                    }
                }
            }
            anyOf.addObject().put("$ref", "#/definitions/variable");
        }
        ObjectNode patterns = node.putObject("patternProperties");
        for (OptionPrefix prefix : connector.optionPrefixes()) {
            patterns.putObject("^" + prefix.prefix().replace(".", "\\."))
                    .put("description", prefix.description())
                    .putArray("type")
                    .add("string")
                    .add("number")
                    .add("boolean");
        }
        if (required.isEmpty()) {
            node.remove("required");
        }
        node.put("additionalProperties", false);
        return node;
    }
}
