package io.sluice.source.kafka;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * A key or value in a registry format (Avro, JSON Schema), its schemas settled at start: how it
 * decodes, how its failure reads, and which fields become columns.
 */
interface RegistryReading {
    /** The decoded key or value. */
    Column decoded(Column raw, String timeZone);

    /** Why it did not decode, or null; {@code decoded} is what {@link #decoded} gave. */
    Column error(Column raw, Column decoded, boolean nullIsError);

    /** The fields that become columns (for a value), when the schema is a record or an object. */
    Optional<StructType> fields();

    /** The decoder's own fields, which a key column never shows. */
    List<String> hidden();

    /** What explain says of it: the reader schema resolved at start, and the writers' ids. */
    default String explain() {
        return toString();
    }

    /** What becomes of a record written with a schema id the subject did not have at start. */
    NewSchemaPolicy onNewSchema();
}
