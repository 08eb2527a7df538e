package io.sluice.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import io.sluice.engine.definition.Problem;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Named checks and rules as data: one wording for the message and for the generated docs. */
class OptionRulesTest {
    static final OptionSpec<String> FORMAT = OptionSpec.oneOfOption("format", "binary", "json")
            .defaultValue("binary")
            .description("How to decode")
            .build();
    static final OptionSpec<String> SCHEMA =
            OptionSpec.stringOption("schema").description("DDL of the value").build();
    static final OptionSpec<Integer> BATCH = OptionSpec.intOption("batch")
            .defaultValue(10)
            .check(OptionCheck.atLeast(2))
            .description("Rows per call")
            .build();
    static final OptionSpec<Long> DELAY = OptionSpec.longOption("delay")
            .check(OptionCheck.notNegative())
            .description("Milliseconds to wait")
            .build();
    static final OptionSpec<Long> MIN_ROWS = OptionSpec.longOption("minRows")
            .check(OptionCheck.positive())
            .description("Rows to wait for")
            .build();
    static final OptionSpec<List<String>> KEYS = OptionSpec.listOption("keys")
            .check(OptionCheck.nonEmpty())
            .description("Key columns")
            .build();

    static final class RuledSource implements StreamSource {
        @Override
        public String name() {
            return "ruled";
        }

        @Override
        public String description() {
            return "A source with rules";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(FORMAT, SCHEMA, BATCH, DELAY, MIN_ROWS, KEYS);
        }

        @Override
        public List<OptionRule> rules() {
            return List.of(
                    OptionRules.requiredWhen(SCHEMA, FORMAT, "json", "a Spark DDL schema"),
                    OptionRules.onlyWhen(SCHEMA, FORMAT, "json"),
                    OptionRules.requires(DELAY, MIN_ROWS, "it bounds the wait for them"),
                    options -> List.of()); // a rule written as a lambda: checked, left out of the docs
        }

        @Override
        public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<String> problems(Map<String, String> raw) {
        return OptionsValidator.validate(new RuledSource(), List.of(), raw).problems().stream()
                .map(Problem::toString)
                .toList();
    }

    @Test
    void conditionalRulesSayWhatIsNeededAndWhatIsUnused() {
        assertEquals(
                List.of("source 'ruled': option 'format' = 'json' needs option 'schema' (a Spark DDL schema)"),
                problems(Map.of("format", "JSON")));
        assertEquals(
                List.of("source 'ruled': option 'schema' is only used when 'format' is json (it is binary)"),
                problems(Map.of("schema", "id INT")));
        assertEquals(
                List.of("source 'ruled': option 'delay' needs option 'minRows' (it bounds the wait for them)"),
                problems(Map.of("delay", "5")));
        assertEquals(List.of(), problems(Map.of("format", "json", "schema", "id INT", "delay", "0", "minRows", "3")));
    }

    @Test
    void namedChecksEndTheMessageOfABadValue() {
        assertEquals(
                List.of(
                        "source 'ruled': option 'batch' = '1' must be at least 2",
                        "source 'ruled': option 'delay' = '-1' must not be negative",
                        "source 'ruled': option 'minRows' = '0' must be positive"),
                problems(Map.of("batch", "1", "delay", "-1", "minRows", "0")));
    }

    @Test
    void theGeneratedTableListsValidValuesAndRules() {
        assertEquals("""
                | option | type | valid values | default | description |
                |---|---|---|---|---|
                | `format` | enum | binary, json | `binary` | How to decode |
                | `schema` | string |  |  | DDL of the value |
                | `batch` | int | 2 or more | `10` | Rows per call |
                | `delay` | long | 0 or more |  | Milliseconds to wait |
                | `minRows` | long | positive |  | Rows to wait for |
                | `keys` | list | not empty |  | Key columns |

                Rules:

                - `schema` is required when `format` is json
                - `schema` only when `format` is json
                - `delay` needs `minRows` (it bounds the wait for them)
                """, OptionTable.markdown(new RuledSource()));
    }
}
