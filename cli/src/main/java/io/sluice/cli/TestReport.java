package io.sluice.cli;

import io.sluice.cli.file.TestFile;
import io.sluice.testkit.pipeline.TestOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of {@code sluice test}, as a person reads them (a line per test, each failure at
 * its file:line with its diff indented under it, {@code N passed, N failed} last) and as CI reads
 * them (JUnit XML, one suite per test file).
 */
final class TestReport {
    record Entry(TestFile file, TestFile.FileTest test, TestOutcome outcome) {}

    private final List<Entry> entries = new ArrayList<>();

    void add(TestFile file, TestFile.FileTest test, TestOutcome outcome) {
        entries.add(new Entry(file, test, outcome));
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    long failed() {
        return entries.stream().filter(e -> !e.outcome().passed()).count();
    }

    String summary() {
        return (entries.size() - failed()) + " passed, " + failed() + " failed";
    }

    String text() {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(entry.outcome().passed() ? "PASS " : "FAIL ")
                    .append(entry.file().file())
                    .append(": ")
                    .append(entry.test().test().name())
                    .append('\n');
            for (TestOutcome.Failure failure : entry.outcome().failures()) {
                text.append("  ").append(failureLine(entry, failure)).append('\n');
            }
        }
        return text.toString();
    }

    /** {@code file:line:col: batch 2: rows: ...}, continuation lines indented under it. */
    private static String failureLine(Entry entry, TestOutcome.Failure failure) {
        String where = entry.file().file() + ":" + TestCommand.placeOf(entry.test(), failure) + ": ";
        return (where + failure.describe()).replace("\n", "\n    ");
    }

    String junit() {
        Map<String, List<Entry>> byFile = new LinkedHashMap<>();
        entries.forEach(e ->
                byFile.computeIfAbsent(e.file().file(), f -> new ArrayList<>()).add(e));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"sluice test\" tests=\"")
                .append(entries.size())
                .append("\" failures=\"")
                .append(failed())
                .append("\">\n");
        byFile.forEach((file, tests) -> {
            long failures = tests.stream().filter(e -> !e.outcome().passed()).count();
            double seconds = tests.stream()
                    .mapToDouble(e -> e.outcome().took().toMillis() / 1000.0)
                    .sum();
            xml.append("  <testsuite name=\"")
                    .append(escape(file))
                    .append("\" tests=\"")
                    .append(tests.size())
                    .append("\" failures=\"")
                    .append(failures)
                    .append("\" errors=\"0\" skipped=\"0\" time=\"")
                    .append(seconds(seconds))
                    .append("\">\n");
            for (Entry entry : tests) {
                xml.append("    <testcase classname=\"")
                        .append(escape(file))
                        .append("\" name=\"")
                        .append(escape(entry.test().test().name()))
                        .append("\" time=\"")
                        .append(seconds(entry.outcome().took().toMillis() / 1000.0))
                        .append('"');
                if (entry.outcome().passed()) {
                    xml.append("/>\n");
                    continue;
                }
                xml.append(">\n");
                for (TestOutcome.Failure failure : entry.outcome().failures()) {
                    String line = failureLine(entry, failure);
                    xml.append("      <failure message=\"")
                            .append(escape(line.lines().findFirst().orElse("")))
                            .append("\" type=\"")
                            .append(escape(failure.what()))
                            .append("\">")
                            .append(escape(line))
                            .append("</failure>\n");
                }
                xml.append("    </testcase>\n");
            }
            xml.append("  </testsuite>\n");
        });
        return xml.append("</testsuites>\n").toString();
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\n', '\t' -> escaped.appendCodePoint(c);
                default -> {
                    if (c < 0x20) { // not allowed in XML 1.0, not even as a reference
                        escaped.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
