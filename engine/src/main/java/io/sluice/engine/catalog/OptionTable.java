package io.sluice.engine.catalog;

import io.sluice.core.Connector;
import io.sluice.core.StreamSink;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Documentation rendered from a connector's declarations, so the README's option tables and
 * the catalogue can never disagree with what validation accepts.
 */
public final class OptionTable {
    private static final String HEADER =
            "| option | type | valid values | default | description |\n|---|---|---|---|---|\n";

    private OptionTable() {}

    /** A Markdown table of the connector's own options and prefixes, and what it refuses. */
    public static String markdown(Connector connector) {
        StringBuilder text = new StringBuilder(HEADER);
        for (OptionSpec<?> option : connector.options()) {
            text.append(row(option));
        }
        for (OptionPrefix prefix : connector.optionPrefixes()) {
            text.append("| `")
                    .append(prefix.prefix())
                    .append("*` | string | | | ")
                    .append(escape(prefix.description()))
                    .append(prefix.knownKeys().isPresent() ? " (names checked)" : "")
                    .append(" |\n");
        }
        if (connector instanceof StreamSink sink) {
            text.append("\nOutput modes: ").append(sink.outputModes().listed()).append(".\n");
        }
        List<String> rules = connector.rules().stream()
                .flatMap(rule -> rule.describe().stream())
                .toList();
        if (!rules.isEmpty()) {
            text.append("\nRules:\n\n");
            rules.forEach(rule -> text.append("- ").append(rule).append('\n'));
        }
        Map<String, String> refused = new TreeMap<>(connector.rejectedOptions());
        if (!refused.isEmpty()) {
            text.append("\nRefused:\n\n");
            refused.forEach((name, reason) ->
                    text.append("- `").append(name).append("`: ").append(reason).append('\n'));
        }
        return text.toString();
    }

    /** The table of options every sink accepts. */
    public static String frameworkSinkOptions() {
        StringBuilder text = new StringBuilder(HEADER);
        StreamSink.FRAMEWORK_OPTIONS.forEach(option -> text.append(row(option)));
        return text.toString();
    }

    private static String row(OptionSpec<?> option) {
        String defaultText = option.required()
                ? "**required**"
                : option.defaultText().isEmpty() ? "" : "`" + option.defaultText() + "`";
        List<String> notes = new java.util.ArrayList<>();
        if (option.secret()) {
            notes.add("secret: never printed");
        }
        option.deprecatedAliases().forEach(alias -> notes.add("formerly `" + alias + "`"));
        return "| `" + option.name() + "` | " + option.type().name() + " | " + escape(option.validValues()) + " | "
                + defaultText + " | " + escape(option.description())
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")") + " |\n";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
