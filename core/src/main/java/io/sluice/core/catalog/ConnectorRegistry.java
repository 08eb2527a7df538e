package io.sluice.core.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Connector;
import io.sluice.core.ConnectorKind;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.option.Suggestions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every source and sink found on a class path with {@link ServiceLoader}, looked up by name.
 *
 * <p>It lives in {@code core}, beside the interfaces it loads, so that anything holding a class
 * loader — the engine, a command, a plugin's own test — finds connectors the same way without
 * the engine. Loading never fails as a whole: a provider that cannot be instantiated becomes a
 * {@link LoadFailure} and the others stay usable; two connectors of one kind with one name
 * make that name unusable (which of them would run is an accident of class-path order), and
 * a lookup of it says so naming both classes. A lookup of an unknown name says what was
 * probably meant and what exists, and notices a source's name used as a sink. A jar that still
 * registers its connectors under the service names of Sluice before 0.2 ({@code io.sluice.spi.*})
 * would be silently invisible to {@code ServiceLoader}; it is reported as a failure with the fix.
 *
 * <p>Problems are plain sentences here; the engine turns them into its own problem values.
 */
public final class ConnectorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);
    private static final Pattern PROVIDER = Pattern.compile("Provider (\\S+)");

    /** Sluice's own connectors by name, and the module that brings each: what to add when one is missing. */
    private static final Map<String, String> BUILT_IN_SOURCES =
            Map.of("kafka", "sluice-source-kafka", "delta", "sluice-source-delta");

    private static final Map<String, String> BUILT_IN_SINKS = Map.of(
            "parquet", "sluice-sink-file",
            "json", "sluice-sink-file",
            "csv", "sluice-sink-file",
            "orc", "sluice-sink-file",
            "text", "sluice-sink-file",
            "console", "sluice-sink-console",
            "memory", "sluice-sink-memory",
            "kafka", "sluice-sink-kafka",
            "delta", "sluice-sink-delta");

    private final List<StreamSource> sourceList;
    private final List<StreamSink> sinkList;
    private final Map<String, List<StreamSource>> sources;
    private final Map<String, List<StreamSink>> sinks;
    private final List<LoadFailure> failures;

    private ConnectorRegistry(List<StreamSource> sources, List<StreamSink> sinks, List<LoadFailure> failures) {
        this.sourceList = List.copyOf(sources);
        this.sinkList = List.copyOf(sinks);
        this.sources = byName(sources);
        this.sinks = byName(sinks);
        this.failures = List.copyOf(failures);
    }

    /** Loads every registered source and sink visible to {@code classLoader}. */
    public static ConnectorRegistry load(ClassLoader classLoader) {
        requireNonNull(classLoader, "classLoader is null");
        List<LoadFailure> failures = new ArrayList<>();
        List<StreamSource> sources = loadAll(StreamSource.class, ConnectorKind.SOURCE, classLoader, failures);
        List<StreamSink> sinks = loadAll(StreamSink.class, ConnectorKind.SINK, classLoader, failures);
        failures.addAll(OldServiceNames.find(classLoader));
        failures.forEach(failure -> LOG.warn("{}", failure));
        return new ConnectorRegistry(sources, sinks, failures);
    }

    /** A registry of exactly these connectors, without discovery. */
    public static ConnectorRegistry of(List<? extends StreamSource> sources, List<? extends StreamSink> sinks) {
        return new ConnectorRegistry(List.copyOf(sources), List.copyOf(sinks), List.of());
    }

    /** This registry plus one more sink, e.g. a test's own, unregistered one. */
    public ConnectorRegistry withSink(StreamSink sink) {
        List<StreamSink> more = new ArrayList<>(sinkList);
        more.add(requireNonNull(sink, "sink is null"));
        return new ConnectorRegistry(sourceList, more, failures);
    }

    /** This registry plus one more source. */
    public ConnectorRegistry withSource(StreamSource source) {
        List<StreamSource> more = new ArrayList<>(sourceList);
        more.add(requireNonNull(source, "source is null"));
        return new ConnectorRegistry(more, sinkList, failures);
    }

    /** The usable sources, by name. */
    public List<StreamSource> sources() {
        return usable(sources);
    }

    /** The usable sinks, by name. */
    public List<StreamSink> sinks() {
        return usable(sinks);
    }

    /** Providers that failed to load, and names claimed by more than one connector. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        failures.forEach(failure -> problems.add(failure.toString()));
        duplicates(sources, ConnectorKind.SOURCE, problems);
        duplicates(sinks, ConnectorKind.SINK, problems);
        return List.copyOf(problems);
    }

    /** Providers that failed to load, in the order they were met. */
    public List<LoadFailure> failures() {
        return failures;
    }

    /** The source registered as {@code name}, or why there is none. */
    public Lookup<StreamSource> source(String name) {
        return lookup(name, ConnectorKind.SOURCE, sources, sinks);
    }

    /** The sink registered as {@code name}, or why there is none. */
    public Lookup<StreamSink> sink(String name) {
        return lookup(name, ConnectorKind.SINK, sinks, sources);
    }

    private <T extends Connector> Lookup<T> lookup(
            String name,
            ConnectorKind kind,
            Map<String, List<T>> wanted,
            Map<String, ? extends List<? extends Connector>> other) {
        requireNonNull(name, "name is null");
        List<T> found = wanted.getOrDefault(name, List.of());
        if (found.size() == 1) {
            return Lookup.found(found.get(0));
        }
        if (found.size() > 1) {
            return Lookup.missing(duplicateMessage(kind, name, found));
        }
        String known = listing(kind, wanted);
        ConnectorKind otherKind = kind == ConnectorKind.SOURCE ? ConnectorKind.SINK : ConnectorKind.SOURCE;
        if (other.containsKey(name)) {
            return Lookup.missing(
                    "'" + name + "' is a " + otherKind.singular() + ", not a " + kind.singular() + " (" + known + ")");
        }
        String module = (kind == ConnectorKind.SOURCE ? BUILT_IN_SOURCES : BUILT_IN_SINKS).get(name);
        if (module != null) {
            return Lookup.missing("no " + kind.singular() + " named '" + name + "': it comes with the module " + module
                    + " (io.sluice:" + module + "), which is not on the class path — add it as a dependency, or its"
                    + " jar to the plugins directory (" + known + ")");
        }
        return Lookup.missing("no " + kind.singular() + " named '" + name + "'"
                + Suggestions.didYouMean(name, wanted.keySet()) + " (" + known + ")");
    }

    private <T extends Connector> String listing(ConnectorKind kind, Map<String, List<T>> connectors) {
        String names = connectors.isEmpty()
                ? "no " + kind.plural() + " are registered"
                : kind.plural() + ": " + String.join(", ", connectors.keySet());
        List<String> broken = failures.stream()
                .filter(f -> f.kind() == kind)
                .map(LoadFailure::provider)
                .toList();
        return broken.isEmpty() ? names : names + "; could not load: " + String.join(", ", broken);
    }

    private static <T extends Connector> List<T> loadAll(
            Class<T> type, ConnectorKind kind, ClassLoader loader, List<LoadFailure> failures) {
        List<T> loaded = new ArrayList<>();
        Iterator<ServiceLoader.Provider<T>> providers =
                ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<T> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError e) {
                failures.add(new LoadFailure(kind, providerName(e), describe(e)));
                continue;
            }
            try {
                loaded.add(provider.get());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(new LoadFailure(kind, provider.type().getName(), describe(e)));
            }
        }
        return loaded;
    }

    /** The provider class named in a ServiceLoader error; the JDK gives it only in the message. */
    private static String providerName(ServiceConfigurationError e) {
        Matcher matcher = PROVIDER.matcher(String.valueOf(e.getMessage()));
        return matcher.find() ? matcher.group(1) : "(unknown provider)";
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == error && error instanceof ServiceConfigurationError) {
            String message = String.valueOf(error.getMessage());
            int colon = message.indexOf(": ");
            return colon >= 0 ? message.substring(colon + 2) : message;
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static <T extends Connector> Map<String, List<T>> byName(List<T> connectors) {
        Map<String, List<T>> byName = new TreeMap<>();
        for (T connector : connectors) {
            byName.computeIfAbsent(connector.name(), name -> new ArrayList<>()).add(connector);
        }
        byName.replaceAll((name, list) -> list.stream()
                .sorted(Comparator.comparing(connector -> connector.getClass().getName()))
                .toList());
        return byName;
    }

    private static <T extends Connector> List<T> usable(Map<String, List<T>> connectors) {
        return connectors.values().stream()
                .filter(list -> list.size() == 1)
                .map(list -> list.get(0))
                .toList();
    }

    private static <T extends Connector> void duplicates(
            Map<String, List<T>> connectors, ConnectorKind kind, List<String> problems) {
        connectors.forEach((name, list) -> {
            if (list.size() > 1) {
                problems.add(duplicateMessage(kind, name, list));
            }
        });
    }

    private static String duplicateMessage(ConnectorKind kind, String name, List<? extends Connector> found) {
        String count = found.size() == 2 ? "two" : String.valueOf(found.size());
        return count + " " + kind.plural() + " are named '" + name + "': "
                + found.stream()
                        .map(connector -> connector.getClass().getName())
                        .collect(Collectors.joining(", "));
    }
}
