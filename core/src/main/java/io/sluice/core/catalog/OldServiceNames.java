package io.sluice.core.catalog;

import io.sluice.core.ConnectorKind;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Providers registered under the service names Sluice's interfaces had in {@code sluice-spi}, before
 * they moved to {@code core} ({@code io.sluice.spi.StreamSource}, {@code io.sluice.spi.StreamSink}).
 *
 * <p>{@code ServiceLoader} never reads those files, so such a plugin would simply be absent and
 * a pipeline naming it would be told no such connector exists. Reading the old files costs one
 * resource lookup per kind and turns the silence into a failure that names the jar and the fix.
 */
final class OldServiceNames {
    private static final String OLD_PACKAGE = "io.sluice.spi.";

    private OldServiceNames() {}

    static List<LoadFailure> find(ClassLoader loader) {
        List<LoadFailure> failures = new ArrayList<>();
        find(loader, ConnectorKind.SOURCE, StreamSource.class, failures);
        find(loader, ConnectorKind.SINK, StreamSink.class, failures);
        return List.copyOf(failures);
    }

    private static void find(ClassLoader loader, ConnectorKind kind, Class<?> service, List<LoadFailure> failures) {
        String oldName = OLD_PACKAGE + service.getSimpleName();
        try {
            for (URL file : Collections.list(loader.getResources("META-INF/services/" + oldName))) {
                for (String provider : providers(file)) {
                    failures.add(new LoadFailure(
                            kind,
                            provider,
                            "its jar (" + jarOf(file) + ") registers it as "
                                    + oldName
                                    + ", the service name of sluice-spi; rebuild the plugin against sluice-core,"
                                    + " where the interface is " + service.getName()
                                    + " (docs/plugins.md, 'Moving from sluice-spi')"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + oldName + " registrations", e);
        }
    }

    private static List<String> providers(URL file) throws IOException {
        List<String> providers = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!name.isEmpty()) {
                    providers.add(name);
                }
            }
        }
        return providers;
    }

    /** The jar (or directory) a service file came from, as short as still says which. */
    private static String jarOf(URL file) {
        String text = file.toString();
        int bang = text.indexOf("!/");
        if (bang < 0) {
            return text.substring(0, text.indexOf("META-INF/")).replaceFirst("^file:", "");
        }
        String jar = text.substring(0, bang);
        return jar.substring(jar.lastIndexOf('/') + 1);
    }
}
