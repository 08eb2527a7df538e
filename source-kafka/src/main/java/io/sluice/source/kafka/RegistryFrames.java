package io.sluice.source.kafka;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import io.sluice.kafka.registry.ConfluentFrame;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Confluent's framing as Spark columns, for every registry format the source reads (Avro, JSON
 * Schema): the header and the datum of a raw key or value, whether it is framed, its schema id,
 * and the errors of a frame that is not one or names an id unknown at start — one wording for
 * all formats.
 */
final class RegistryFrames {
    private RegistryFrames() {}

    /** The magic byte and the schema id: the five bytes a branch per known id compares. */
    static Column header(Column raw) {
        return substring(raw, 1, ConfluentFrame.HEADER);
    }

    /** What follows the header. */
    static Column datum(Column raw) {
        return substring(raw, ConfluentFrame.HEADER + 1, Integer.MAX_VALUE);
    }

    /** At least a header, starting with the magic byte. */
    static Column framed(Column raw) {
        return length(raw)
                .geq(ConfluentFrame.HEADER)
                .and(substring(raw, 1, 1).equalTo(lit(new byte[] {ConfluentFrame.MAGIC})));
    }

    /** Whether the frame names one of {@code ids}. */
    static Column isOneOf(Column raw, Collection<Integer> ids) {
        return ids.isEmpty()
                ? lit(false)
                : header(raw)
                        .isin(ids.stream()
                                .map(id -> lit(ConfluentFrame.header(id)))
                                .toArray());
    }

    /** The frame's schema id, as text (for error messages only: computed on the error path). */
    static Column id(Column raw) {
        return conv(hex(substring(raw, 2, 4)), 16, 10);
    }

    /**
     * {@code value was written with schema id 12, which subject 'x' did not have when the pipeline
     * started (version 3; ids 1, 2, 7)}, and what becomes of it ({@link NewSchemaPolicy}).
     */
    static Column unknown(
            KafkaSourceOptions.RegistryOptions spec,
            NewSchemaPolicy policy,
            Column raw,
            String subject,
            int version,
            Collection<Integer> ids) {
        return concat(
                lit(DecodeFailure.UNKNOWN_SCHEMA.says(spec.part()) + " "),
                id(raw),
                lit(", which subject '" + subject + "' did not have when the pipeline started (version " + version
                        + "; ids " + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"
                        + policy.whatNext(spec.part(), spec.onNewSchema().name())));
    }

    /**
     * A part's error: null (an error for a value), not framed, or — when {@code notDecoded} —
     * {@code failed}; null when it decoded.
     */
    static Column error(String part, Column raw, boolean nullIsError, Column notDecoded, Column failed) {
        Column notFramed = concat(
                lit(DecodeFailure.NOT_FRAMED.says(part) + " ("),
                when(length(raw).equalTo(0), lit("it is empty"))
                        .otherwise(concat(lit("it starts with 0x"), substring(hex(raw), 1, 2 * ConfluentFrame.HEADER))),
                lit("): a registry's serializer writes the magic byte 0 and a 4-byte schema id before the datum"));
        return when(
                        raw.isNull(),
                        nullIsError
                                ? lit(DecodeFailure.NULL.says(part))
                                : lit(null).cast(DataTypes.StringType))
                .when(framed(raw).unary_$bang(), notFramed)
                .when(notDecoded, failed);
    }
}
