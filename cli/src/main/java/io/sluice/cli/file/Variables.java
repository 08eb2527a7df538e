package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import io.sluice.core.option.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in a pipeline file, from {@code --set
 * NAME=VALUE} first and then the environment, as in a shell; {@code $${...}} is a literal
 * {@code ${...}}. A variable that is not set and has no default is a problem at its place,
 * not an empty string: an empty {@code kafka.bootstrap.servers} would fail much later and
 * much less clearly.
 */
public final class Variables {
    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::-([^}]*))?}|\\$\\{([^}]*)}");

    private final Map<String, String> set;
    private final Map<String, String> environment;
    /** The names the files referred to, as they were resolved: what tells a --set nobody uses. */
    private final java.util.Set<String> referenced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Variables(Map<String, String> set, Map<String, String> environment) {
        this.set = Map.copyOf(requireNonNull(set, "set is null"));
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /** Variables from {@code --set} and this process's environment. */
    public static Variables of(Map<String, String> set) {
        return new Variables(set, System.getenv());
    }

    /**
     * A {@code --set} that no file referred to so far, in words with the one meant — a misspelt
     * name would otherwise be ignored while the file falls back to a default; empty when every one
     * was used.
     */
    public java.util.Optional<String> unusedSet() {
        for (String name : new TreeSet<>(set.keySet())) {
            if (!referenced.contains(name)) {
                return java.util.Optional.of("--set " + name + ": no file uses variable '" + name + "'"
                        + Suggestions.didYouMean(name, referenced)
                        + (referenced.isEmpty()
                                ? " (the files use no variables)"
                                : " (the files use: " + String.join(", ", new TreeSet<>(referenced)) + ")"));
            }
        }
        return java.util.Optional.empty();
    }

    /** Text with every reference replaced, and what could not be replaced. */
    public record Resolved(String text, List<String> problems, boolean substituted) {}

    public Resolved resolve(String text) {
        requireNonNull(text, "text is null");
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder result = new StringBuilder();
        List<String> problems = new ArrayList<>();
        boolean substituted = false;
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$${")) {
                replacement = "${";
            } else if (matcher.group(3) != null) {
                problems.add("'" + matcher.group() + "' is not a variable reference: write ${NAME} or ${NAME:-default}"
                        + " (NAME of letters, digits, '_' and '.'), or $${ for a literal ${");
                replacement = matcher.group();
            } else {
                String name = matcher.group(1);
                referenced.add(name);
                String value = set.containsKey(name) ? set.get(name) : environment.get(name);
                if (value == null && matcher.group(2) != null) {
                    value = matcher.group(2);
                }
                if (value == null) {
                    TreeSet<String> known = new TreeSet<>(set.keySet());
                    known.addAll(environment.keySet());
                    problems.add("variable '" + name + "' is not set" + Suggestions.didYouMean(name, known)
                            + ": set it in the environment or with --set " + name + "=..., or give a default: ${"
                            + name + ":-value}");
                    replacement = matcher.group();
                } else {
                    replacement = value;
                    substituted = true;
                }
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return new Resolved(result.toString(), problems, substituted);
    }
}
