package io.sluice.testkit.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.plan.Expectations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * Compares the rows a test expects quarantined with those the run's dead letter really holds
 * (read back through the source's fixture): a row matches when it broke exactly the rules the
 * test names and its JSON has the values the test gives (compared as {@link RowsMatch} compares
 * a sink's rows: numbers by value, a column the JSON leaves out is null), and the record where
 * the test says it is. Order does not count: the tasks of a batch write in no order.
 */
final class QuarantineMatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuarantineMatch() {}

    /** A row of the dead letter that a rule set aside: where, which rules, and the row as JSON. */
    record Kept(String record, List<String> rules, String json) {
        /** The quarantined rows among a dead letter's ({@code record, reason, value}); undecodable records left out. */
        static List<Kept> of(List<Row> deadLetter) {
            List<Kept> kept = new ArrayList<>();
            for (Row row : deadLetter) {
                String reason = row.getString(row.fieldIndex("reason"));
                Expectations.rulesBroken(reason)
                        .ifPresent(rules -> kept.add(new Kept(
                                row.getString(row.fieldIndex("record")),
                                rules,
                                row.getString(row.fieldIndex("value")))));
            }
            return kept;
        }

        @Override
        public String toString() {
            return (record == null ? "" : record + ": ") + String.join(", ", rules) + ": " + json;
        }
    }

    static Optional<String> compare(List<Expectation.Quarantined> expected, List<Kept> actual) {
        boolean[] matched = new boolean[actual.size()];
        boolean[] found = new boolean[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < actual.size(); j++) {
                if (!matched[j] && same(expected.get(i), actual.get(j))) {
                    found[i] = matched[j] = true;
                    break;
                }
            }
        }
        boolean all = actual.size() == expected.size();
        for (boolean f : found) {
            all &= f;
        }
        if (all) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("expected ")
                .append(expected.size())
                .append(expected.size() == 1 ? " row" : " rows")
                .append(" quarantined, the dead letter holds ")
                .append(actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Expectation.Quarantined want = expected.get(i);
            text.append("\n  ")
                    .append(found[i] ? " " : "-")
                    .append(' ')
                    .append(want.record().map(r -> r + ": ").orElse(""))
                    .append(String.join(", ", want.rules()))
                    .append(": ")
                    .append(RowsMatch.text(want.row()));
        }
        for (int j = 0; j < actual.size(); j++) {
            if (!matched[j]) {
                text.append("\n  + ").append(actual.get(j));
            }
        }
        return Optional.of(text.toString());
    }

    private static boolean same(Expectation.Quarantined want, Kept got) {
        if (!want.rules().equals(new TreeSet<>(got.rules()))) {
            return false;
        }
        if (want.record().isPresent() && !want.record().get().equals(got.record())) {
            return false;
        }
        Map<?, ?> fields;
        try {
            fields = JSON.readValue(got.json(), Map.class);
        } catch (JsonProcessingException e) {
            return false;
        }
        for (Map.Entry<String, Object> column : want.row().entrySet()) {
            if (!RowsMatch.same(column.getValue(), fields.get(column.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
