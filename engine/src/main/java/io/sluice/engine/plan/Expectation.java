package io.sluice.engine.plan;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A named rule on a pipeline's rows — a SQL boolean expression ({@code amount > 0}) — and what
 * happens to a row that breaks it. A row breaks a rule when the expression is false; a NULL
 * result is not a break (as a SQL {@code CHECK} constraint reads it): write {@code amount IS NOT
 * NULL AND amount > 0} to require a value. Every rule a row breaks is counted, not only the
 * first.
 *
 * @param name a word that names the rule in messages, progress lines and metrics labels
 * @param condition the SQL boolean expression every row should satisfy
 * @param action what happens to a row that breaks it
 * @param stage where the rule looks at the rows: the rows the sink receives, or the decoded input
 */
public record Expectation(String name, String condition, Action action, Stage stage) implements java.io.Serializable {

    /** What happens to a row that breaks a rule; the file spells it in lower case ({@code onViolation: drop}). */
    public enum Action {
        /** The row is written; the break is counted. */
        WARN,
        /** The row is not written; counted. */
        DROP,
        /** The batch fails before it commits, naming the rule, how many rows of the task broke it and one of them. */
        FAIL,
        /**
         * The row is not written to the sink but to the source's dead letter, with every rule it broke
         * and the source's coordinates when it carries them; counted.
         */
        QUARANTINE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The action a file's word names ({@code drop}), if any. */
        public static Optional<Action> ofKey(String key) {
            return Arrays.stream(values()).filter(a -> a.key().equals(key)).findFirst();
        }
    }

    /** Where a rule looks at the rows; the file spells it in lower case ({@code stage: input}). */
    public enum Stage {
        /** The rows the sink receives, after the transforms (the default). */
        OUTPUT,
        /** The decoded input, before the transforms: a bad row never reaches an aggregation. */
        INPUT;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Stage> ofKey(String key) {
            return Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst();
        }
    }

    public Expectation {
        requireNonNull(name, "name is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(action, "action is null");
        requireNonNull(stage, "stage is null");
    }

    /** A rule whose broken rows are written and counted. */
    public static Expectation warn(String name, String condition) {
        return new Expectation(name, condition, Action.WARN, Stage.OUTPUT);
    }

    /** A rule whose broken rows are not written, and counted. */
    public static Expectation drop(String name, String condition) {
        return new Expectation(name, condition, Action.DROP, Stage.OUTPUT);
    }

    /** A rule whose first broken row fails the batch. */
    public static Expectation fail(String name, String condition) {
        return new Expectation(name, condition, Action.FAIL, Stage.OUTPUT);
    }

    /** A rule whose broken rows go to the source's dead letter instead of the sink. */
    public static Expectation quarantine(String name, String condition) {
        return new Expectation(name, condition, Action.QUARANTINE, Stage.OUTPUT);
    }

    /** The same rule on the decoded input, before the transforms. */
    public Expectation onInput() {
        return new Expectation(name, condition, action, Stage.INPUT);
    }

    /** {@code amount_positive (amount > 0, drop, on the output)}: the rule in a message or a plan. */
    public String describe() {
        return name + " (" + condition + ", " + action.key() + ", on the " + stage.key() + ")";
    }
}
