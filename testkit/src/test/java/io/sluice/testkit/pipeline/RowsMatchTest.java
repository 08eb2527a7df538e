package io.sluice.testkit.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** How expected rows compare with a sink's, and how a difference is shown. */
class RowsMatchTest {
    private static final StructType SCHEMA =
            new StructType().add("id", DataTypes.LongType).add("at", DataTypes.TimestampType);

    private static Row row(long id, String instant) {
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                new Object[] {id, Timestamp.from(Instant.parse(instant))}, SCHEMA);
    }

    @Test
    void aTimestampEqualsTheInstantWrittenWithAnyZone() {
        assertEquals(
                Optional.empty(),
                RowsMatch.compare(
                        new Expectation.ExpectedRows(
                                List.of(Map.of("id", 1, "at", "2026-11-25T11:00:00+01:00")), false, List.of()),
                        SCHEMA,
                        List.of(row(1, "2026-11-25T10:00:00Z"))));
    }

    /** Both sides of a diff show a timestamp one way, as the instant in UTC, whatever zone wrote it. */
    @Test
    void aDiffShowsEveryTimestampInOneForm() {
        assertEquals(
                Optional.of("1 expected row was not received (-), 1 row was received and not expected (+); 1 expected,"
                        + " 1 received\n"
                        + "+-+--+--------------------+\n"
                        + "| |id|at                  |\n"
                        + "+-+--+--------------------+\n"
                        + "|-|1 |2026-11-25T10:00:00Z|\n"
                        + "|+|1 |2026-11-25T10:00:01Z|\n"
                        + "+-+--+--------------------+"),
                RowsMatch.compare(
                        new Expectation.ExpectedRows(
                                List.of(Map.of("id", 1, "at", "2026-11-25T11:00:00+01:00")), false, List.of()),
                        SCHEMA,
                        List.of(row(1, "2026-11-25T10:00:01Z"))));
    }
}
