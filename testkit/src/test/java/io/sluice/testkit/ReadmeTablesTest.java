package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.catalog.OptionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeTablesTest {

    @Test
    void aSectionIsFoundOnWhicheverPageOfTheDocsHoldsIt() {
        assertEquals(
                "every-sink.md",
                ReadmeTables.pageOf("options:every-sink")
                        .orElseThrow()
                        .getFileName()
                        .toString());
        assertEquals(
                "no page of the docs (README.md, docs/**.md) has a section <!-- options:nothing -->",
                ReadmeTables.checkDocs("options:nothing", ""));
    }

    @Test
    void theDocsDocumentTheOptionsEverySinkAccepts() {
        assertEquals("", ReadmeTables.checkDocs("options:every-sink", OptionTable.frameworkSinkOptions()));
    }

    @Test
    void aStaleTableIsReportedWithTheExpectedOne(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n<!-- options:every-sink -->\n| old |\n<!-- /options:every-sink -->\n");
        String error = ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), false);
        assertTrue(error.startsWith("README.md's options:every-sink section differs from what it documents"), error);
        assertTrue(error.endsWith(OptionTable.frameworkSinkOptions()), error);
        assertEquals(
                readme + " has no section <!-- options:nothing --> ... <!-- /options:nothing -->",
                ReadmeTables.check(readme, "options:nothing", "", false));
        assertEquals("", ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), true));
        assertEquals("", ReadmeTables.check(readme, "options:every-sink", OptionTable.frameworkSinkOptions(), false));
    }
}
