package io.sluice.source.kafka;

import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.json.JsonToStructsEvaluator;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

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
        StructType schema = StructType.fromDDL(ddl).add(CORRUPT, DataTypes.StringType);
        SparkJson.Evaluator evaluator = new SparkJson.Evaluator(schema, OPTIONS, "UTC");
        int corrupt = schema.fields().length - 1;
        return value -> {
            InternalRow row = evaluator.decode(value);
            return row != null && row.isNullAt(corrupt);
        };
    }

    /** The same with the evaluator of Spark's from_json, fed what {@code CAST(value AS STRING)} gives it. */
    public static Predicate<byte[]> fromJson(String ddl) {
        StructType schema = StructType.fromDDL(ddl).add(CORRUPT, DataTypes.StringType);
        JsonToStructsEvaluator evaluator = new JsonToStructsEvaluator(
                scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(OPTIONS)),
                schema.asNullable(),
                SQLConf.get().columnNameOfCorruptRecord(),
                scala.Option.apply("UTC"),
                false);
        int corrupt = schema.fields().length - 1;
        return value -> {
            InternalRow row = (InternalRow) evaluator.evaluate(UTF8String.fromBytes(value));
            return row != null && row.isNullAt(corrupt);
        };
    }
}
