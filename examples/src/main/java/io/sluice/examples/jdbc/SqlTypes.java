package io.sluice.examples.jdbc;

import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** The SQL column type for a Spark type, where the sink can store it. */
final class SqlTypes {
    private SqlTypes() {}

    static Optional<String> of(DataType type) {
        if (type instanceof DecimalType decimal) {
            return Optional.of("DECIMAL(" + decimal.precision() + "," + decimal.scale() + ")");
        }
        if (type.equals(DataTypes.LongType)) {
            return Optional.of("BIGINT");
        }
        if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType)) {
            return Optional.of("INTEGER");
        }
        if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
            return Optional.of("DOUBLE PRECISION");
        }
        if (type.equals(DataTypes.StringType)) {
            return Optional.of("VARCHAR");
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Optional.of("BOOLEAN");
        }
        if (type.equals(DataTypes.TimestampType)) {
            return Optional.of("TIMESTAMP");
        }
        if (type.equals(DataTypes.DateType)) {
            return Optional.of("DATE");
        }
        if (type.equals(DataTypes.BinaryType)) {
            return Optional.of("VARBINARY");
        }
        return Optional.empty();
    }
}
