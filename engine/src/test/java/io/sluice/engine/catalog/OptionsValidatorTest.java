package io.sluice.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.SourceContext;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionPrefix;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import io.sluice.core.option.OptionType;
import io.sluice.engine.definition.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class OptionsValidatorTest {

    static final OptionSpec<String> SERVERS = OptionSpec.stringOption("bootstrap")
            .required()
            .description("Servers")
            .build();
    static final OptionSpec<String> SUBSCRIBE =
            OptionSpec.stringOption("subscribe").description("Topics").build();
    static final OptionSpec<String> ASSIGN =
            OptionSpec.stringOption("assign").description("Partitions").build();
    static final OptionSpec<String> PATTERN =
            OptionSpec.stringOption("subscribePattern").description("Pattern").build();
    static final OptionSpec<Long> MAX_OFFSETS = OptionSpec.longOption("maxOffsetsPerTrigger")
            .check(OptionCheck.positive())
            .description("Rate limit")
            .build();
    static final OptionSpec<Duration> DELAY = OptionSpec.durationOption("maxTriggerDelay")
            .defaultValue(Duration.ofMinutes(15))
            .description("Delay")
            .build();
    static final OptionSpec<String> FORMAT = OptionSpec.oneOfOption("format", "binary", "string", "json")
            .defaultValue("binary")
            .description("Value format")
            .build();
    static final OptionSpec<Boolean> FAIL = OptionSpec.booleanOption("failOnDataLoss")
            .defaultValue(true)
            .deprecatedAlias("failOnLoss")
            .description("Fail when data is lost")
            .build();
    static final OptionSpec<String> PASSWORD =
            OptionSpec.stringOption("password").secret().description("Password").build();
    static final OptionSpec<Integer> PARTITIONS = OptionSpec.intOption("minPartitions")
            .secret()
            .description("Secret int")
            .build();
    static final OptionSpec<List<String>> COLUMNS =
            OptionSpec.listOption("columns").description("Columns").build();

    /** A source shaped like Kafka's, to exercise every kind of declaration. */
    static final class FakeSource implements StreamSource {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "A fake source";
        }

        @Override
        public List<OptionSpec<?>> options() {
            return List.of(
                    SERVERS,
                    SUBSCRIBE,
                    ASSIGN,
                    PATTERN,
                    MAX_OFFSETS,
                    DELAY,
                    FORMAT,
                    FAIL,
                    PASSWORD,
                    PARTITIONS,
                    COLUMNS);
        }

        @Override
        public List<OptionPrefix> optionPrefixes() {
            return List.of(
                    OptionPrefix.checked(
                            "kafka.",
                            "Consumer settings",
                            Set.of("bootstrap.servers", "group.id", "ssl.key.password"),
                            key -> key.endsWith("password")),
                    OptionPrefix.open("extra.", "Anything"));
        }

        @Override
        public List<OptionRule> rules() {
            return List.of(OptionRules.exactlyOneOf(SUBSCRIBE, ASSIGN, PATTERN));
        }

        @Override
        public Map<String, String> rejectedOptions() {
            return Map.of("endingOffsets", "streaming queries never end; use a trigger of available-now instead");
        }

        @Override
        public Dataset<Row> read(SourceContext context, ConnectorOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<String> problems(Map<String, String> raw) {
        return OptionsValidator.validate(new FakeSource(), List.of(), raw).problems().stream()
                .map(Problem::toString)
                .toList();
    }

    @Test
    void validOptionsParseToTypedValuesAndDefaults() {
        OptionsValidator.Result result = OptionsValidator.validate(
                new FakeSource(),
                List.of(),
                Map.of(
                        "bootstrap",
                        "b:9092",
                        "subscribe",
                        "t",
                        "maxOffsetsPerTrigger",
                        "10",
                        "format",
                        "JSON",
                        "columns",
                        "a, b ,c",
                        "kafka.group.id",
                        "g",
                        "extra.anything",
                        "x",
                        "failOnLoss",
                        "false"));
        assertEquals(List.of(), result.problems());
        ConnectorOptions options = result.options();
        assertEquals(10L, options.get(MAX_OFFSETS));
        assertEquals("json", options.get(FORMAT));
        assertEquals(Duration.ofMinutes(15), options.get(DELAY));
        assertEquals(List.of("a", "b", "c"), options.get(COLUMNS));
        assertFalse(options.get(FAIL), "the deprecated alias sets the option");
        assertTrue(options.isSet(FAIL));
        assertEquals(Map.of("kafka.group.id", "g"), options.withPrefix("kafka."));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertEquals(
                List.of(
                        "source 'fake': unknown option 'kafka.bootsrap.servers' — did you mean 'kafka.bootstrap.servers'? (options: assign, bootstrap, columns, extra.*, failOnDataLoss, format, kafka.*, maxOffsetsPerTrigger, maxTriggerDelay, minPartitions, password, subscribe, subscribePattern)",
                        "source 'fake': option 'maxOffsetsPerTrigger' = 'ten' is not a long",
                        "source 'fake': missing required option 'bootstrap'"),
                problems(Map.of("kafka.bootsrap.servers", "b:9092", "maxOffsetsPerTrigger", "ten", "subscribe", "t")));
    }

    @Test
    void unknownOptionWithoutCloseMatchListsTheOptions() {
        assertEquals(
                List.of(
                        "source 'fake': unknown option 'zzz' (options: assign, bootstrap, columns, extra.*, failOnDataLoss, format, kafka.*, maxOffsetsPerTrigger, maxTriggerDelay, minPartitions, password, subscribe, subscribePattern)"),
                problems(Map.of("bootstrap", "b", "subscribe", "t", "zzz", "1")));
    }

    @Test
    void exactlyOneOfNamesWhatWasFound() {
        assertEquals(
                List.of(
                        "source 'fake': set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: assign, subscribe)"),
                problems(Map.of("bootstrap", "b", "subscribe", "t", "assign", "{}")));
        assertEquals(
                List.of("source 'fake': set exactly one of 'assign', 'subscribe', 'subscribePattern' (found: none)"),
                problems(Map.of("bootstrap", "b")));
    }

    @Test
    void wrongValuesSayWhatIsExpected() {
        assertEquals(
                List.of(
                        "source 'fake': option 'failOnDataLoss' = 'yes' is not a boolean (true or false)",
                        "source 'fake': option 'format' = 'jsn' is not one of: binary, json, string — did you mean 'json'?",
                        "source 'fake': option 'maxOffsetsPerTrigger' = '-3' must be positive",
                        "source 'fake': option 'maxTriggerDelay' = '5 parsecs' is not a duration (e.g. '10 seconds', '500ms', '2m')"),
                problems(Map.of(
                        "bootstrap",
                        "b",
                        "subscribe",
                        "t",
                        "failOnDataLoss",
                        "yes",
                        "format",
                        "jsn",
                        "maxOffsetsPerTrigger",
                        "-3",
                        "maxTriggerDelay",
                        "5 parsecs")));
    }

    @Test
    void emptyValuesAndListItemsAreReported() {
        assertEquals(
                List.of(
                        "source 'fake': option 'columns' = 'a,,b' is not a comma-separated list (it has an empty item)",
                        "source 'fake': option 'subscribe' is empty"),
                problems(Map.of("bootstrap", "b", "subscribe", " ", "columns", "a,,b")));
    }

    @Test
    void refusedOptionsGiveTheReason() {
        assertEquals(
                List.of(
                        "source 'fake': option 'endingOffsets' is not supported: streaming queries never end; use a trigger of available-now instead"),
                problems(Map.of("bootstrap", "b", "subscribe", "t", "endingOffsets", "latest")));
    }

    @Test
    void deprecatedAliasAndItsOptionTogetherAreAmbiguous() {
        assertEquals(
                List.of(
                        "source 'fake': options 'failOnLoss' and 'failOnDataLoss' are the same option ('failOnLoss' is deprecated): set only 'failOnDataLoss'"),
                problems(Map.of("bootstrap", "b", "subscribe", "t", "failOnLoss", "true", "failOnDataLoss", "false")));
    }

    @Test
    void secretValuesNeverAppearInMessagesOrToString() {
        List<String> messages = problems(Map.of("bootstrap", "b", "subscribe", "t", "minPartitions", "hunter2"));
        assertEquals(List.of("source 'fake': option 'minPartitions' (secret value hidden) is not an int"), messages);

        OptionsValidator.Result result = OptionsValidator.validate(
                new FakeSource(),
                List.of(),
                Map.of("bootstrap", "b", "subscribe", "t", "password", "hunter2", "kafka.ssl.key.password", "hunter3"));
        assertEquals(List.of(), result.problems());
        String shown = result.options().toString();
        assertFalse(shown.contains("hunter"), shown);
        assertEquals("{bootstrap=b, kafka.ssl.key.password=*****, password=*****, subscribe=t}", shown);
    }

    @Test
    void optionTypesParseWhatUsersWrite() {
        assertEquals(Duration.ofSeconds(10), OptionType.DURATION.parse("10 seconds"));
        assertEquals(Duration.ofMillis(500), OptionType.DURATION.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), OptionType.DURATION.parse("2m"));
        assertEquals(Duration.ofHours(1), OptionType.DURATION.parse("1 hour"));
        assertEquals(Duration.ofSeconds(30), OptionType.DURATION.parse("PT30S"));
        assertEquals("10 seconds", OptionType.DURATION.format(Duration.ofSeconds(10)));
        assertEquals(Boolean.TRUE, OptionType.BOOLEAN.parse("TRUE"));
    }
}
