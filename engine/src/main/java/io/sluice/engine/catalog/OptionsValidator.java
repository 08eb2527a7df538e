package io.sluice.engine.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionSpec;
import io.sluice.core.option.Suggestions;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a connector's raw options against its declarations and reports every problem at
 * once: unknown keys (with "did you mean" and the supported options), refused keys, values
 * of the wrong type or failing a check, missing required options, and broken rules.
 *
 * <p>It never throws for a user's mistake and never shows a secret value.
 */
public final class OptionsValidator {
    private static final Logger LOG = LoggerFactory.getLogger(OptionsValidator.class);

    private OptionsValidator() {}

    /** The result of validation: usable options when {@code problems} is empty. */
    public record Result(ConnectorOptions options, List<Problem> problems) {
        public Result {
            requireNonNull(options, "options is null");
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * Validates {@code raw} for a connector; {@code extraOptions} are options the framework
     * accepts for every connector of this kind (e.g. a sink's {@code checkpointLocation}).
     */
    public static Result validate(Connector connector, List<OptionSpec<?>> extraOptions, Map<String, String> raw) {
        return validate(connector, extraOptions, Map.of(), raw);
    }

    /**
     * As {@link #validate(Connector, List, Map)}, refusing besides the connector's own refused
     * options the keys of {@code misplaced} that it does not declare, with their reason: settings
     * users carry over from Spark's writer ({@code outputMode}, {@code trigger}) that belong to the
     * pipeline, not to a connector.
     */
    public static Result validate(
            Connector connector,
            List<OptionSpec<?>> extraOptions,
            Map<String, String> misplaced,
            Map<String, String> raw) {
        requireNonNull(misplaced, "misplaced is null");
        requireNonNull(connector, "connector is null");
        requireNonNull(extraOptions, "extraOptions is null");
        requireNonNull(raw, "raw is null");
        String subject = connector.kind().subject(connector.name());
        List<Problem> messages = new ArrayList<>();

        Map<String, OptionSpec<?>> declared = new LinkedHashMap<>();
        Map<String, OptionSpec<?>> byAlias = new HashMap<>();
        for (OptionSpec<?> spec : concat(connector.options(), extraOptions)) {
            declared.put(spec.name(), spec);
            spec.deprecatedAliases().forEach(alias -> byAlias.put(alias, spec));
        }
        Secrets secrets = new Secrets(declared, connector.optionPrefixes());

        Map<String, String> canonical = new TreeMap<>();
        Map<String, Object> parsed = new HashMap<>();
        java.util.Set<String> suggested = new java.util.HashSet<>();
        int unknowns = 0;
        for (Map.Entry<String, String> entry : new TreeMap<>(raw).entrySet()) {
            String key = requireNonNull(entry.getKey(), "option name is null");
            String value = requireNonNull(entry.getValue(), () -> "value of option '" + key + "' is null");
            String refusal = connector.rejectedOptions().get(key);
            if (refusal == null && !declared.containsKey(key)) {
                refusal = misplaced.get(key);
            }
            if (refusal != null) {
                messages.add(new Problem(subject, "option '" + key + "' is not supported: " + refusal).item(key));
                continue;
            }
            OptionSpec<?> spec = declared.get(key);
            if (spec == null && byAlias.containsKey(key)) {
                spec = byAlias.get(key);
                if (raw.containsKey(spec.name())) {
                    messages.add(new Problem(
                                    subject,
                                    "options '" + key + "' and '" + spec.name() + "' are the same option ('" + key
                                            + "' is deprecated): set only '" + spec.name() + "'")
                            .item(key));
                    continue;
                }
                LOG.warn("{}: option '{}' is deprecated, use '{}'", subject, key, spec.name());
            }
            if (spec != null) {
                canonical.put(spec.name(), value);
                Optional<String> failure = parse(spec, value, secrets);
                if (failure.isPresent()) {
                    messages.add(new Problem(subject, failure.get()).item(key));
                } else {
                    parsed.put(spec.name(), spec.type().parse(value));
                }
                continue;
            }
            Optional<OptionPrefix> prefix = connector.optionPrefixes().stream()
                    .filter(p -> p.matches(key))
                    .findFirst();
            if (prefix.isPresent() && prefix.get().isKnown(key)) {
                canonical.put(key, value);
                prefix.get()
                        .checkValue(key, value)
                        .ifPresent(why -> messages.add(new Problem(
                                        subject,
                                        describe(key, value, secrets.isSecret(key)) + " is refused by "
                                                + prefix.get().prefix().replace(".", "") + ": " + why)
                                .item(key)));
                continue;
            }
            Optional<String> meant = Suggestions.closest(key, candidates(connector, declared));
            meant.ifPresent(suggested::add);
            unknowns++;
            messages.add(new Problem(subject, unknown(key, meant, connector, declared, unknowns == 1)).item(key));
        }

        for (OptionSpec<?> spec : declared.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList()) {
            // a misspelt required option is one mistake: "did you mean" says it, "missing" would say it twice
            if (spec.required() && !canonical.containsKey(spec.name()) && !suggested.contains(spec.name())) {
                messages.add(new Problem(subject, "missing required option '" + spec.name() + "'").item(spec.name()));
            }
        }

        ConnectorOptions options = new ConnectorOptions(canonical, parsed, secrets::isSecret);
        if (messages.isEmpty()) {
            for (OptionRule rule : connector.rules()) {
                rule.check(options).forEach(message -> messages.add(new Problem(subject, message)));
            }
        }
        return new Result(options, messages);
    }

    /**
     * Whether the connector declares {@code optionName} secret, by an option or through a
     * prefix: the one rule for every place that must hide a value (messages, {@code explain}).
     */
    public static boolean isSecret(Connector connector, String optionName) {
        requireNonNull(connector, "connector is null");
        Map<String, OptionSpec<?>> declared = new LinkedHashMap<>();
        connector.options().forEach(spec -> declared.put(spec.name(), spec));
        return new Secrets(declared, connector.optionPrefixes())
                .isSecret(requireNonNull(optionName, "optionName is null"));
    }

    /** How an option and its value appear in a message: the value is hidden for secrets. */
    public static String describe(String name, String value, boolean secret) {
        return secret ? "option '" + name + "' (secret value hidden)" : "option '" + name + "' = '" + value + "'";
    }

    private static <T> Optional<String> parse(OptionSpec<T> spec, String value, Secrets secrets) {
        String shown = describe(spec.name(), value, secrets.isSecret(spec.name()));
        if (value.isBlank()) {
            return Optional.of("option '" + spec.name() + "' is empty");
        }
        T typed;
        try {
            typed = spec.type().parse(value);
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage() == null ? "" : e.getMessage();
            return Optional.of(shown + " is not " + spec.type().expectation() + hint);
        }
        List<String> failures = spec.check(typed);
        return failures.isEmpty() ? Optional.empty() : Optional.of(shown + " " + String.join(" and ", failures));
    }

    /** Every name a misspelt key may have meant: declared options and the known keys of prefixes. */
    private static TreeSet<String> candidates(Connector connector, Map<String, OptionSpec<?>> declared) {
        TreeSet<String> candidates = new TreeSet<>(declared.keySet());
        for (OptionPrefix prefix : connector.optionPrefixes()) {
            prefix.knownKeys().ifPresent(keys -> keys.forEach(k -> candidates.add(prefix.prefix() + k)));
        }
        return candidates;
    }

    /**
     * {@code unknown option 'x' — did you mean 'y'?}; the connector's options are listed once per
     * connector, with its first unknown key (listing them on every line buried the lines).
     */
    private static String unknown(
            String key,
            Optional<String> meant,
            Connector connector,
            Map<String, OptionSpec<?>> declared,
            boolean first) {
        String hint = meant.map(name -> " — did you mean '" + name + "'?").orElse("");
        if (!first) {
            return "unknown option '" + key + "'" + hint;
        }
        List<String> listing = new ArrayList<>(declared.keySet());
        connector.optionPrefixes().forEach(prefix -> listing.add(prefix.prefix() + "*"));
        String options = listing.isEmpty()
                ? "it takes no options"
                : "options: " + String.join(", ", listing.stream().sorted().toList());
        return "unknown option '" + key + "'" + hint + " (" + options + ")";
    }

    private static List<OptionSpec<?>> concat(List<OptionSpec<?>> first, List<OptionSpec<?>> second) {
        List<OptionSpec<?>> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Which option names are secret: declared secrets and secret keys of prefixes. */
    private record Secrets(Map<String, OptionSpec<?>> declared, List<OptionPrefix> prefixes) {
        boolean isSecret(String name) {
            OptionSpec<?> spec = declared.get(name);
            if (spec != null) {
                return spec.secret();
            }
            return prefixes.stream().anyMatch(prefix -> prefix.matches(name) && prefix.isSecret(name));
        }
    }
}
