package io.sluice.testkit;

import io.sluice.core.Connector;
import io.sluice.engine.catalog.OptionTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps the documentation's generated sections equal to what they document: option tables
 * equal to the declarations, copies of files equal to the files. Each section sits between
 * {@code <!-- NAME -->} and {@code <!-- /NAME -->} ({@code options:KIND:NAME} for a connector's
 * table) on the README or a page under {@code docs/}; a test calls {@link #checkDocs} (or
 * {@link #check} for one file), which fails with the expected text when they differ, or
 * rewrites the section when run with {@code -Dsluice.updateReadme=true}.
 */
public final class ReadmeTables {
    private ReadmeTables() {}

    /** The README at the root of the build, from a module's directory. */
    public static Path projectReadme() {
        return Path.of("..", "README.md").toAbsolutePath().normalize();
    }

    /** The documentation pages under {@code docs/} at the root of the build, and the README. */
    public static List<Path> projectPages() {
        Path docs = projectReadme().getParent().resolve("docs");
        List<Path> pages = new ArrayList<>(List.of(projectReadme()));
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** The page among {@link #projectPages()} that holds {@code section}; empty when none does. */
    public static Optional<Path> pageOf(String section) {
        String open = "<!-- " + section + " -->\n";
        return projectPages().stream().filter(page -> read(page).contains(open)).findFirst();
    }

    /** Checks (or updates) the option table of {@code connector}, on whichever page of the docs holds it. */
    public static String checkDocs(Connector connector) {
        return checkDocs(
                "options:" + connector.kind().singular() + ":" + connector.name(), OptionTable.markdown(connector));
    }

    /** Checks (or updates) {@code section}, on whichever page of the docs holds it. */
    public static String checkDocs(String section, String expected) {
        return pageOf(section)
                .map(page -> check(page, section, expected))
                .orElse("no page of the docs (README.md, docs/**.md) has a section <!-- " + section + " -->");
    }

    private static String read(Path page) {
        try {
            return Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks (or updates) the section of {@code connector} in {@code readme}; returns an error text, or empty when equal. */
    public static String check(Path readme, Connector connector) {
        return check(
                readme,
                "options:" + connector.kind().singular() + ":" + connector.name(),
                OptionTable.markdown(connector));
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
                Files.writeString(
                        readme,
                        text.substring(0, start + open.length()) + expected + text.substring(end),
                        StandardCharsets.UTF_8);
                return "";
            }
            return readme.getFileName() + "'s " + section
                    + " section differs from what it documents (run the tests with"
                    + " -Dsluice.updateReadme=true to rewrite it); expected:\n" + expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
