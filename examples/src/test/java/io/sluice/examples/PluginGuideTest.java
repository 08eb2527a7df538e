package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testkit.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * README's "Writing a plugin" shows the files of the plugin project that the build compiles,
 * tests and runs (plugin-parent/src/it, run by maven-invoker in {@code verify}): each snippet
 * must equal its file, so the guide cannot drift from what works.
 */
class PluginGuideTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "plugin-parent/src/it/lines-sink/pom.xml",
                "plugin-parent/src/it/lines-sink/src/main/java/com/example/lines/LinesSink.java",
                "plugin-parent/src/it/lines-sink/src/test/java/com/example/lines/LinesSinkTest.java"
            })
    void theReadmeShowsThePluginProjectTheBuildRuns(String file) throws IOException {
        Path root = ReadmeTables.projectReadme().getParent();
        String language = file.endsWith(".xml") ? "xml" : "java";
        String expected = "```" + language + "\n" + Files.readString(root.resolve(file)) + "```\n";
        assertEquals("", ReadmeTables.checkDocs("file:" + file, expected));
    }
}
