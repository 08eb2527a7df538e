package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testkit.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published modules and the BOM agree: every module of the build that a user can depend on
 * is in {@code sluice-bom} (and nothing else is), and every one of them, the BOM too, carries what
 * Maven Central asks of a published artifact. A module added to the build without the BOM entry
 * would make users write its version by hand — this fails first.
 */
class ModulesTest {
    private static final Path ROOT = ReadmeTables.projectReadme().getParent();
    /** Applications and build helpers nobody depends on: not in the BOM, not deployed. */
    private static final Set<String> UNPUBLISHED = Set.of("examples", "bench", "bom", "plugin-parent");

    @Test
    void theBomListsEveryPublishedModuleAtTheProjectsVersion() throws IOException {
        Set<String> published = new TreeSet<>();
        for (String module : modules()) {
            if (!UNPUBLISHED.contains(module)) {
                published.add("sluice-" + module);
            }
        }
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        Set<String> listed = new TreeSet<>();
        Matcher entry = Pattern.compile(
                        "<artifactId>(sluice-[a-z-]+)</artifactId>\\s*<version>\\$\\{project\\.version\\}</version>")
                .matcher(bom);
        while (entry.find()) {
            listed.add(entry.group(1));
        }
        assertEquals(published, listed);
        assertEquals(tag(Files.readString(ROOT.resolve("pom.xml")), "version"), tag(bom, "version"));
    }

    @Test
    void everyPublishedPomCarriesWhatMavenCentralRequires() throws IOException {
        List<String> missing = new ArrayList<>();
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        for (String required : List.of("url", "licenses", "developers", "scm")) {
            if (!parent.contains("<" + required + ">")) {
                missing.add("pom.xml: <" + required + ">");
            }
        }
        List<String> poms = new ArrayList<>(List.of("bom"));
        modules().stream().filter(m -> !UNPUBLISHED.contains(m)).forEach(poms::add);
        for (String module : poms) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            List<String> required = module.equals("bom")
                    ? List.of("name", "description", "url", "licenses", "developers", "scm")
                    : List.of("name", "description");
            for (String tag : required) {
                if (!pom.contains("<" + tag + ">")) {
                    missing.add(module + "/pom.xml: <" + tag + ">");
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theExamplesImportTheBomAsAUserWould() throws IOException {
        String examples = Files.readString(ROOT.resolve("examples/pom.xml"));
        assertTrue(
                examples.matches("(?s).*<artifactId>sluice-bom</artifactId>.*<scope>import</scope>.*"),
                "examples/pom.xml imports sluice-bom");
        assertTrue(
                !examples.substring(examples.indexOf("</parent>"))
                        .matches("(?s).*<artifactId>sluice-(?!bom)[a-z-]+</artifactId>\\s*<version>.*"),
                "examples/pom.xml names no Sluice module's version");
    }

    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher module =
                Pattern.compile("<module>([\\w-]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }

    /** The first {@code <tag>}'s text: the project's own, in a POM without a parent. */
    private static String tag(String pom, String tag) {
        Matcher matcher = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(pom);
        return matcher.find() ? matcher.group(1) : null;
    }
}
