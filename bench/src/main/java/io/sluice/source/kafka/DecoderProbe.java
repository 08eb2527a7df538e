package io.sluice.source.kafka;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark's view of the Kafka source's JSON decoder, one record at a time, beside the
 * evaluator Spark's {@code from_json} runs: both as the source calls them (PERMISSIVE, a
 * corrupt-record field), so a single-thread rate measures the decoding alone. In the source's
 * package because the decoder is not public API; this class is the benchmark's only use of it.
 */
public final class DecoderProbe {
    private static final String CORRUPT = "_corrupt";
    private static final Map<String, String> OPTIONS =
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);

    private DecoderProbe() {}

    /** Decodes a value with Sluice's decoder; true when it decoded without a corrupt record. */
    public static Predicate<byte[]> sluice(String ddl) {
        StructType schema = withCorrupt(ddl);
        return decoded(new SparkJson.Evaluator(schema, OPTIONS, "UTC")::decode, schema);
    }

    /** Sluice's decoder without its strict fast path: every record through Spark's parser fed a String. */
    public static Predicate<byte[]> sparkParser(String ddl) {
        StructType schema = withCorrupt(ddl);
        return decoded(new SparkJson.Evaluator(schema, OPTIONS, "UTC", false)::decode, schema);
    }

    /** The same with the evaluator of Spark's from_json, fed what {@code CAST(value AS STRING)} gives it. */
    public static Predicate<byte[]> fromJson(String ddl) {
        StructType schema = withCorrupt(ddl);
        return decoded(SparkJson.fromJson(schema, OPTIONS, "UTC"), schema);
    }

    private static StructType withCorrupt(String ddl) {
        return StructType.fromDDL(ddl).add(CORRUPT, DataTypes.StringType);
    }

    private static Predicate<byte[]> decoded(Function<byte[], Object> decoder, StructType schema) {
        int corrupt = schema.fields().length - 1;
        return value -> decoder.apply(value) instanceof InternalRow row && row.isNullAt(corrupt);
    }
}
