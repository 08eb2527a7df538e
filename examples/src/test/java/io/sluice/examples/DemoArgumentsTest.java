package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way the demo's command line can be wrong, with the line the demo prints before its usage. */
class DemoArgumentsTest {
    @Test
    void defaultsAndEverySettingReadBack() {
        assertEquals(new DemoArguments(50_000, "dead_letter", "json"), DemoArguments.parse());
        assertEquals(
                new DemoArguments(1_000_000, "skip", "avro"),
                DemoArguments.parse("--records", "1,000,000", "--bad-records", "skip", "--format", "avro"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--records ten|--records is a whole number of orders from 1 to 100,000,000, not 'ten'",
                "--records 0|--records is a whole number of orders from 1 to 100,000,000, not '0'",
                "--records -5|--records is a whole number of orders from 1 to 100,000,000, not '-5'",
                "--records 999999999999|--records is a whole number of orders from 1 to 100,000,000, not '999999999999'",
                "--bad-records drop|--bad-records is dead_letter or skip, not 'drop'",
                "--bad-records dead-letter|--bad-records is dead_letter or skip, not 'dead-letter' — did you mean 'dead_letter'?",
                "--format jsn|--format is json or avro, not 'jsn' — did you mean 'json'?",
                "--recrods 10|unknown argument '--recrods' — did you mean '--records'?",
                "--verbose|unknown argument '--verbose'",
                "--records|argument '--records' needs a value",
            })
    void aMistakeIsOneLineNamingTheArgumentAndTheValue(String args, String message) {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> DemoArguments.parse(args.split(" ")));
        assertEquals(message, refused.getMessage());
    }
}
