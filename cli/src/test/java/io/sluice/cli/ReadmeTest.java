package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testkit.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's pipeline file example is the demo's file, which CommandsTest validates. */
class ReadmeTest {
    @Test
    void theReadmeShowsTheDemoPipelineFile() throws IOException {
        Path readme = ReadmeTables.projectReadme();
        String file = "examples/pipelines/orders.yaml";
        String expected = "```yaml\n" + Files.readString(readme.getParent().resolve(file)) + "```\n";
        assertEquals("", ReadmeTables.check(readme, "file:" + file, expected));
    }
}
