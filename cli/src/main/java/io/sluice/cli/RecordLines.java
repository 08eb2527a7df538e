package io.sluice.cli;

import io.sluice.core.SampleRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A file of records, one per line, as {@code sluice dev produce} sends them and {@code sluice
 * preview --from} decodes them: each line is a record's value (a JSON line, or text); with a
 * key separator, the text before its first occurrence is the key. Blank lines are skipped.
 */
final class RecordLines {
    private RecordLines() {}

    static List<SampleRecord> read(Path file, String keySeparator) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .map(line -> record(line, keySeparator))
                .toList();
    }

    private static SampleRecord record(String line, String keySeparator) {
        int at = keySeparator == null ? -1 : line.indexOf(keySeparator);
        return at < 0
                ? SampleRecord.of(line)
                : SampleRecord.keyed(Optional.of(line.substring(0, at)), line.substring(at + keySeparator.length()));
    }
}
