package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Counter;
import io.sluice.core.Quarantine;
import io.sluice.core.QuarantinedRow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Decides, in the task that computes a row, what the rules it broke do to it: counts each
 * broken rule (per batch, successful tasks only, so a retried task does not count twice),
 * keeps the row out of the sink when a {@code drop} or {@code quarantine} rule is among them
 * (handing it, as JSON with every rule it broke, to the source's dead letter for the latter),
 * and remembers the
 * {@code fail} breaks of the task — their number and the first row, as JSON — to fail the task
 * when it completes, before its batch can commit. The rules a row broke come as a bit mask
 * (bit {@code i} for rule {@code i}), computed by Spark's generated code with the rest of the
 * plan; the row's JSON is computed only for a row that broke a {@code fail} rule.
 * A UDF over the mask, not a filter function over whole rows, keeps the rows in Spark's
 * internal format, in one pass with the plan.
 */
final class ExpectationFilter implements UDF6<Long, String, String, Integer, Long, Long, Boolean> {
    private static final long serialVersionUID = 1L;

    /** The fail breaks of the running task attempts in this JVM. */
    private static final Map<Long, Breaks> FAILED = new ConcurrentHashMap<>();

    private final List<Expectation> rules;
    private final List<Counter> counters;
    private final long dropMask;
    private final long failMask;
    private final long quarantineMask;
    /** The source's dead letter, or null when no rule quarantines. */
    private final Quarantine quarantine;

    ExpectationFilter(List<Expectation> rules, List<Counter> counters, Quarantine quarantine) {
        this.rules = List.copyOf(requireNonNull(rules, "rules is null"));
        this.counters = List.copyOf(requireNonNull(counters, "counters is null"));
        this.dropMask = mask(rules, Expectation.Action.DROP);
        this.failMask = mask(rules, Expectation.Action.FAIL);
        this.quarantineMask = mask(rules, Expectation.Action.QUARANTINE);
        this.quarantine = quarantine;
        if (quarantineMask != 0 && quarantine == null) {
            throw new IllegalArgumentException("a rule quarantines rows, and there is no dead letter for them");
        }
    }

    static long mask(List<Expectation> rules, Expectation.Action action) {
        long mask = 0;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).action() == action) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    @Override
    public Boolean call(Long broken, String row, String topic, Integer partition, Long offset, Long timestampMicros) {
        if (broken == null || broken == 0) {
            return true;
        }
        for (int i = 0; i < rules.size(); i++) {
            if ((broken & (1L << i)) != 0) {
                counters.get(i).add(1);
            }
        }
        if ((broken & failMask) != 0) {
            failed(broken & failMask, row);
        } else if ((broken & quarantineMask) != 0) {
            quarantine.put(new QuarantinedRow(row, reason(broken), topic, partition, offset, timestampMicros));
        }
        return (broken & (dropMask | failMask | quarantineMask)) == 0;
    }

    /** Every rule the row broke, in the words of {@link Expectations#quarantineReason}. */
    private String reason(long broken) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if ((broken & (1L << i)) != 0) {
                names.add(rules.get(i).name());
            }
        }
        return Expectations.quarantineReason(names);
    }

    /** Remembers a fail break of this task; the first one registers the task's failure at its completion. */
    private void failed(long broken, String row) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new ExpectationFailedException("expectation '"
                    + rules.get(Long.numberOfTrailingZeros(broken)).name() + "' (fail) is broken by" + " the row "
                    + row);
        }
        Breaks breaks = FAILED.computeIfAbsent(task.taskAttemptId(), id -> {
            Breaks fresh = new Breaks();
            task.addTaskCompletionListener((TaskCompletionListener) context -> {
                Breaks done = FAILED.remove(context.taskAttemptId());
                if (done != null && !context.isInterrupted()) {
                    throw new ExpectationFailedException(done.describe(rules, context));
                }
            });
            return fresh;
        });
        breaks.add(broken, row);
    }

    /** The fail breaks of one task: how many rows broke each rule, and the first row that broke any. */
    private static final class Breaks {
        private final Map<Integer, Long> rows = new java.util.TreeMap<>();
        private String first;

        synchronized void add(long broken, String row) {
            for (int i = 0; i < Long.SIZE; i++) {
                if ((broken & (1L << i)) != 0) {
                    rows.merge(i, 1L, Long::sum);
                }
            }
            if (first == null) {
                first = row;
            }
        }

        /**
         * {@code expectation 'amount_positive' (fail) is broken by 3 rows of partition 0 of the batch, e.g.
         * {"id":7,"amount":-1.0}} (the pipeline's failure says which batch).
         */
        synchronized String describe(List<Expectation> rules, TaskContext task) {
            StringBuilder text = new StringBuilder();
            rows.forEach((rule, count) -> text.append(text.length() == 0 ? "" : ", and ")
                    .append("expectation '")
                    .append(rules.get(rule).name())
                    .append("' (fail) is broken by ")
                    .append(count)
                    .append(count == 1 ? " row" : " rows"));
            return text.append(" of partition ")
                    .append(task.partitionId())
                    .append(" of the batch, e.g. ")
                    .append(first)
                    .toString();
        }
    }
}
