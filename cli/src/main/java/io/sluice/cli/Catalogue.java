package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.Connector;
import io.sluice.core.StreamSink;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.catalog.OptionTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The connector catalogue, rendered from the connectors' declarations — the same data that
 * validates options, so what it lists is exactly what a pipeline accepts. Plugins on the
 * class path appear like built-ins.
 */
final class Catalogue {
    static final ObjectMapper JSON = new ObjectMapper();

    private Catalogue() {}

    /** Sources, then sinks, each sorted by name. */
    static List<Connector> all(ConnectorRegistry registry) {
        List<Connector> all = new ArrayList<>();
        all.addAll(registry.sources().stream()
                .sorted(Comparator.comparing(Connector::name))
                .toList());
        all.addAll(registry.sinks().stream()
                .sorted(Comparator.comparing(Connector::name))
                .toList());
        return all;
    }

    /** The options a pipeline file may set for the connector: its own, plus the framework's for sinks. */
    static List<OptionSpec<?>> options(Connector connector) {
        List<OptionSpec<?>> options = new ArrayList<>(connector.options());
        if (connector instanceof StreamSink) {
            options.addAll(StreamSink.FRAMEWORK_OPTIONS);
        }
        return options;
    }

    static String text(List<Connector> connectors, boolean details) {
        StringBuilder text = new StringBuilder();
        if (!details) {
            int width =
                    connectors.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            String kind = "";
            for (Connector connector : connectors) {
                if (!connector.kind().plural().equals(kind)) {
                    kind = connector.kind().plural();
                    text.append(kind).append(":\n");
                }
                text.append("  ")
                        .append(String.format("%-" + width + "s", connector.name()))
                        .append("  ")
                        .append(connector.description())
                        .append('\n');
            }
            return text.toString();
        }
        for (Connector connector : connectors) {
            text.append(connector.name())
                    .append(" (")
                    .append(connector.kind().singular())
                    .append("): ")
                    .append(connector.description())
                    .append("\n\noptions:\n");
            for (OptionSpec<?> option : options(connector)) {
                text.append("  ")
                        .append(option.name())
                        .append(" (")
                        .append(typeText(option))
                        .append(")")
                        .append(
                                option.required()
                                        ? ", required"
                                        : option.defaultText().isEmpty() ? "" : ", default " + option.defaultText())
                        .append(option.secret() ? ", secret" : "")
                        .append("\n      ")
                        .append(option.description())
                        .append('\n');
            }
            for (OptionPrefix prefix : connector.optionPrefixes()) {
                text.append("  ")
                        .append(prefix.prefix())
                        .append("* (string)\n      ")
                        .append(prefix.description())
                        .append('\n');
            }
            if (connector instanceof StreamSink sink) {
                text.append("\noutput modes: ").append(modes(sink)).append('\n');
            }
            Map<String, String> refused = new TreeMap<>(connector.rejectedOptions());
            if (!refused.isEmpty()) {
                text.append("\nrefused:\n");
                refused.forEach((name, why) ->
                        text.append("  ").append(name).append(": ").append(why).append('\n'));
            }
            text.append('\n');
        }
        return text.toString();
    }

    static String markdown(List<Connector> connectors) {
        StringBuilder text = new StringBuilder();
        for (Connector connector : connectors) {
            text.append("### `")
                    .append(connector.name())
                    .append("` (")
                    .append(connector.kind().singular())
                    .append(")\n\n")
                    .append(connector.description())
                    .append("\n\n")
                    .append(OptionTable.markdown(connector))
                    .append('\n');
        }
        return text.toString();
    }

    static ArrayNode json(List<Connector> connectors) {
        ArrayNode list = JSON.createArrayNode();
        for (Connector connector : connectors) {
            ObjectNode node = list.addObject()
                    .put("name", connector.name())
                    .put("kind", connector.kind().singular())
                    .put("description", connector.description());
            ArrayNode options = node.putArray("options");
            for (OptionSpec<?> option : options(connector)) {
                ObjectNode o = options.addObject()
                        .put("name", option.name())
                        .put("type", option.type().name())
                        .put("required", option.required())
                        .put("secret", option.secret())
                        .put("description", option.description());
                if (!option.defaultText().isEmpty()) {
                    o.put("default", option.defaultText());
                }
                if (!option.type().values().isEmpty()) {
                    option.type().values().forEach(o.putArray("values")::add);
                }
                if (!option.validValues().isEmpty()) {
                    o.put("valid", option.validValues());
                }
                if (!option.deprecatedAliases().isEmpty()) {
                    option.deprecatedAliases().forEach(o.putArray("deprecatedAliases")::add);
                }
            }
            ArrayNode prefixes = node.putArray("optionPrefixes");
            connector
                    .optionPrefixes()
                    .forEach(p -> prefixes.addObject()
                            .put("prefix", p.prefix())
                            .put("description", p.description())
                            .put("namesChecked", p.knownKeys().isPresent()));
            ObjectNode refused = node.putObject("refused");
            new TreeMap<>(connector.rejectedOptions()).forEach(refused::put);
            if (connector instanceof StreamSink sink) {
                ArrayNode modes = node.putArray("outputModes");
                sink.outputModes().supported().stream().map(Enum::name).sorted().forEach(modes::add);
            }
        }
        return list;
    }

    /** {@code long, positive}; {@code enum, one of: a, b}: the type and what a value must be. */
    private static String typeText(OptionSpec<?> option) {
        String valid = option.validValues();
        return option.type().name()
                + (valid.isEmpty() ? "" : option.type().values().isEmpty() ? ", " + valid : ", one of: " + valid);
    }

    private static String modes(StreamSink sink) {
        return sink.outputModes().listed();
    }
}
