package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * A place a source reads or a sink writes — a Kafka topic on a cluster, a directory — so the
 * framework can refuse, before start, a pipeline that would read its own output: every record
 * it writes would come back as input, without end.
 *
 * <p>Places of one {@code system} are compared by name on a shared cluster: two places
 * overlap when their addresses share one (or either has none, as for a local path) and their
 * names are equal, or one is a {@code pattern} (a Java regular expression, as Kafka's
 * {@code subscribePattern}) that matches the other's name. Addresses that differ may still be
 * the same cluster under another name; such a loop is not seen, so none is refused wrongly.
 *
 * @param system what kind of place, in words and lower case, the same for readers and writers of it ({@code kafka topic})
 * @param addresses the cluster's addresses as the user gave them (compared case-insensitively); empty for none
 * @param name the place within the cluster (a topic, a path), or a pattern of names
 * @param pattern whether {@code name} is a regular expression of names
 * @param option the connector's option that names the place ({@code path}, {@code deadLetter.path}),
 *     for messages; empty when unknown. Not part of a place's identity: equality ignores it
 */
@Evolving
public record Place(String system, Set<String> addresses, String name, boolean pattern, String option) {
    public Place {
        requireNonNull(system, "system is null");
        addresses = requireNonNull(addresses, "addresses is null").stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        requireNonNull(name, "name is null");
        requireNonNull(option, "option is null");
    }

    /** A place no option is known to name. */
    public Place(String system, Set<String> addresses, String name, boolean pattern) {
        this(system, addresses, name, pattern, "");
    }

    /** The same place, named by the connector's option {@code option}: messages about it say which. */
    public Place byOption(String option) {
        return new Place(system, addresses, name, pattern, requireNonNull(option, "option is null"));
    }

    /** The same place whatever option names it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Place place
                && system.equals(place.system)
                && addresses.equals(place.addresses)
                && name.equals(place.name)
                && pattern == place.pattern;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(system, addresses, name, pattern);
    }

    /** A place with a plain name. */
    public static Place named(String system, Set<String> addresses, String name) {
        return new Place(system, addresses, name, false);
    }

    /** The {@code system} of {@link #directory} places. */
    public static final String DIRECTORY = "directory";

    /**
     * A directory of a file system, named by its absolute, normalised path (a URI's path for
     * other schemes, with the scheme and authority as its address); two directories overlap
     * when they are the same or one lies inside the other.
     */
    public static Place directory(String path) {
        requireNonNull(path, "path is null");
        java.net.URI uri = java.net.URI.create(path.replace(" ", "%20"));
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            String local = uri.getScheme() == null ? path : uri.getPath();
            return named(
                    DIRECTORY,
                    Set.of(),
                    java.nio.file.Path.of(local).toAbsolutePath().normalize().toString());
        }
        String address = uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
        return named(
                DIRECTORY,
                Set.of(address),
                java.nio.file.Path.of(uri.getPath().isEmpty() ? "/" : uri.getPath())
                        .normalize()
                        .toString());
    }

    /** Whether what is written at one of the two places can be read at the other. */
    public boolean overlaps(Place other) {
        requireNonNull(other, "other is null");
        if (!system.equals(other.system)) {
            return false;
        }
        if (system.equals(DIRECTORY)) {
            return addresses.equals(other.addresses)
                    && (name.equals(other.name) || inside(name, other.name) || inside(other.name, name));
        }
        if (!addresses.isEmpty() && !other.addresses.isEmpty() && Collections.disjoint(addresses, other.addresses)) {
            return false;
        }
        if (pattern == other.pattern) {
            return name.equals(other.name);
        }
        return pattern ? matches(name, other.name) : matches(other.name, name);
    }

    private static boolean inside(String path, String directory) {
        return path.startsWith(directory.endsWith("/") ? directory : directory + "/");
    }

    private static boolean matches(String regex, String name) {
        try {
            return Pattern.compile(regex).matcher(name).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** In words: {@code kafka topic 'orders' on broker:9092}, {@code kafka topics matching 'ord.*' on broker:9092}. */
    @Override
    public String toString() {
        String where =
                addresses.isEmpty() ? "" : " on " + addresses.stream().sorted().collect(Collectors.joining(","));
        return (pattern ? system + "s matching '" : system + " '") + name + "'" + where;
    }
}
