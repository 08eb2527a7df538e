package io.sluice.testkit;

import io.sluice.core.catalog.OptionTable;
import io.sluice.spi.Connector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a README's option tables equal to the declarations. Each table sits between
 * {@code <!-- options:KIND:NAME -->} and {@code <!-- /options:KIND:NAME -->} (KIND source or sink); a test calls
 * {@link #check}, which fails with the expected table when they differ, or rewrites the
 * section when run with {@code -Dsluice.updateReadme=true}.
 */
public final class ReadmeTables {
    private ReadmeTables() {}

    /** The README at the root of the build, from a module's directory. */
    public static Path projectReadme() {
        return Path.of("..", "README.md").toAbsolutePath().normalize();
    }

    /** Checks (or updates) the section of {@code connector} in {@code readme}; returns an error text, or empty when equal. */
    public static String check(Path readme, Connector connector) {
        return check(readme, "options:" + connector.kind().singular() + ":" + connector.name(), OptionTable.markdown(connector));
    }

    public static String check(Path readme, String section, String expected) {
        return check(readme, section, expected, Boolean.getBoolean("sluice.updateReadme"));
    }

    /** Checks a section; with {@code update}, rewrites it instead of reporting a difference. */
    public static String check(Path readme, String section, String expected, boolean update) {
        try {
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            String open = "<!-- " + section + " -->\n";
            String close = "<!-- /" + section + " -->";
            int start = text.indexOf(open);
            int end = text.indexOf(close);
            if (start < 0 || end < start) {
                return readme + " has no section " + open.strip() + " ... " + close;
            }
            String actual = text.substring(start + open.length(), end);
            if (actual.equals(expected)) {
                return "";
            }
            if (update) {
                Files.writeString(readme, text.substring(0, start + open.length()) + expected + text.substring(end), StandardCharsets.UTF_8);
                return "";
            }
            return "the README's " + section + " table differs from the declarations (run the tests with"
                    + " -Dsluice.updateReadme=true to rewrite it); expected:\n" + expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
