package io.sluice.testkit;

import io.sluice.core.Connector;
import io.sluice.core.StreamSink;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The conventions every connector follows, as a check a plugin's own tests can run:
 * a short lower-case name in Spark's style, a one-line description, options with unique
 * names and descriptions, and a sink that supports at least one output mode.
 */
public final class ConnectorConventions {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern OPTION = Pattern.compile("[a-zA-Z][a-zA-Z0-9.]*");

    private ConnectorConventions() {}

    /** Every convention the connector breaks; empty when it follows them all. */
    public static List<String> violations(Connector connector) {
        List<String> violations = new ArrayList<>();
        String name = connector.name();
        String subject = connector.getClass().getName() + " ('" + name + "')";
        if (name == null || !NAME.matcher(name).matches()) {
            violations.add(subject + ": name must be short lower-case words joined by '-'");
        }
        String description = connector.description();
        if (description == null || description.isBlank() || description.contains("\n")) {
            violations.add(subject + ": description must be one non-empty line");
        }
        Set<String> seen = new HashSet<>();
        List<OptionSpec<?>> options = new ArrayList<>(connector.options());
        if (connector instanceof StreamSink) {
            options.addAll(StreamSink.FRAMEWORK_OPTIONS);
        }
        for (OptionSpec<?> option : options) {
            if (!seen.add(option.name())) {
                violations.add(subject + ": option '" + option.name() + "' is declared twice");
            }
            if (!OPTION.matcher(option.name()).matches()) {
                violations.add(subject + ": option '" + option.name() + "' is not a Spark-style option name");
            }
        }
        for (OptionPrefix prefix : connector.optionPrefixes()) {
            if (prefix.description().isBlank()) {
                violations.add(subject + ": option prefix '" + prefix.prefix() + "' has no description");
            }
        }
        return violations;
    }
}
