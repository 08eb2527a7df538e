package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.Connector;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.testkit.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays what a newcomer reads in five minutes — the Quick start, one pipeline, the
 * connectors, a map of the docs — and everything it and the docs pages show is true: the demo's
 * file as it is, the connector list from the catalogue, every link to a page that exists, and
 * every page linked.
 */
class ReadmeTest {
    private static final Path ROOT = ReadmeTables.projectReadme().getParent();
    private static final Pattern LINK = Pattern.compile("\\]\\(((?:docs/)?[\\w./-]+\\.md)\\)");

    @Test
    void theReadmeShowsTheDemoPipelineFile() throws IOException {
        String file = "examples/pipelines/orders.yaml";
        String expected = "```yaml\n" + Files.readString(ROOT.resolve(file)) + "```\n";
        assertEquals("", ReadmeTables.checkDocs("file:" + file, expected));
    }

    @Test
    void theReadmeListsEveryBuiltInConnectorWithItsPage() {
        ConnectorRegistry registry = ConnectorRegistry.load(getClass().getClassLoader());
        List<Connector> connectors = new ArrayList<>();
        registry.sources().stream()
                .sorted(Comparator.comparing(Connector::name))
                .forEach(connectors::add);
        registry.sinks().stream().sorted(Comparator.comparing(Connector::name)).forEach(connectors::add);
        StringBuilder list = new StringBuilder();
        for (Connector connector : connectors.stream()
                .filter(c -> !c.getClass().getName().startsWith("io.sluice.examples."))
                .toList()) {
            String section = "options:" + connector.kind().singular() + ":" + connector.name();
            Path page =
                    ReadmeTables.pageOf(section).orElseThrow(() -> new AssertionError("no docs page has " + section));
            list.append("- [`")
                    .append(connector.name())
                    .append("`](")
                    .append(ROOT.relativize(page))
                    .append(") ")
                    .append(connector.kind().singular())
                    .append(": ")
                    .append(connector.description())
                    .append('\n');
        }
        assertEquals("", ReadmeTables.checkDocs("connectors", list.toString()));
    }

    @Test
    void theReadmeIsShortAndEveryLinkGoesToAPageAndEveryPageIsLinked() throws IOException {
        List<String> readme = Files.readAllLines(ReadmeTables.projectReadme());
        assertTrue(
                readme.size() <= 250, "README.md has " + readme.size() + " lines: reference material goes under docs/");
        List<Path> linked = new ArrayList<>();
        for (Path page : ReadmeTables.projectPages()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                Path target = page.getParent().resolve(link.group(1)).normalize();
                assertTrue(Files.isRegularFile(target), page + " links to " + link.group(1) + ", which does not exist");
                linked.add(target);
            }
        }
        try (Stream<Path> pages = Files.walk(ROOT.resolve("docs"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
                assertTrue(
                        linked.contains(page.normalize()),
                        page + " is linked from no page: add it to README's map of the docs");
            }
        }
    }
}
