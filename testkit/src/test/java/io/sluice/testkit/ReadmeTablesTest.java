package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.catalog.OptionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeTablesTest {

    @Test
    void theReadmeDocumentsTheOptionsEverySinkAccepts() {
        assertEquals("", ReadmeTables.check(ReadmeTables.projectReadme(), "options:every-sink", OptionTable.frameworkSinkOptions()));
    }

    @Test
    void aStaleTableIsReportedWithTheExpectedOne(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n<!-- options:every-sink -->\n| old |\n<!-- /options:every-sink -->\n");
        String error = ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), false);
        assertTrue(error.startsWith("the README's options:every-sink table differs from the declarations"), error);
        assertTrue(error.endsWith(OptionTable.frameworkSinkOptions()), error);
        assertEquals(readme + " has no section <!-- options:nothing --> ... <!-- /options:nothing -->",
                ReadmeTables.check(readme, "options:nothing", "", false));
        assertEquals("", ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), true));
        assertEquals("", ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), false));
    }
}
