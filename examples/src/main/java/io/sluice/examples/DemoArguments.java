package io.sluice.examples;

import io.sluice.core.option.Suggestions;
import java.util.List;
import java.util.Set;

/**
 * The demo's command line, read before anything starts: a mistake is one line naming the
 * argument, the value and what would be right, never a Java stack trace nor a run that fails
 * after start (zero orders would leave Spark nothing to infer a schema from).
 */
record DemoArguments(int records, String badRecords, String format) {
    static final int MAX_RECORDS = 100_000_000;
    private static final List<String> NAMES = List.of("--records", "--bad-records", "--format");

    static DemoArguments parse(String... args) {
        int records = 50_000;
        String badRecords = "dead_letter";
        String format = "json";
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown argument '" + name + "'" + Suggestions.didYouMean(name, NAMES));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("argument '" + name + "' needs a value");
            }
            String value = args[i + 1];
            switch (name) {
                case "--records" -> records = records(value);
                case "--bad-records" ->
                    badRecords = oneOf(name, value, Set.of("dead_letter", "skip"), "dead_letter or skip");
                default -> format = oneOf(name, value, Set.of("json", "avro"), "json or avro");
            }
        }
        return new DemoArguments(records, badRecords, format);
    }

    private static int records(String value) {
        String digits = value.replace(",", "").replace("_", "");
        long count;
        try {
            count = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > MAX_RECORDS) {
            throw new IllegalArgumentException(
                    "--records is a whole number of orders from 1 to 100,000,000, not '" + value + "'");
        }
        return (int) count;
    }

    private static String oneOf(String name, String value, Set<String> allowed, String words) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(
                    name + " is " + words + ", not '" + value + "'" + Suggestions.didYouMean(value, allowed));
        }
        return value;
    }
}
