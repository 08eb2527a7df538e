package io.sluice.sink.delta;

import static io.sluice.sink.delta.DeltaSinkOptions.PATH;
import static io.sluice.sink.delta.DeltaSinkOptions.TABLE;

import io.delta.tables.DeltaTable;
import io.sluice.core.option.ConnectorOptions;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Where the table lives: the {@code path}, or the location of the catalog table named by
 * {@code table}. Streams write by location either way, so one code path serves both, and a
 * table name that is not a Delta table is a problem before start.
 */
final class DeltaLocation {
    private DeltaLocation() {}

    static Optional<String> resolve(SparkSession spark, ConnectorOptions options) {
        if (options.isSet(PATH)) {
            return Optional.of(options.get(PATH));
        }
        String table = options.get(TABLE);
        try {
            if (!spark.catalog().tableExists(table)) {
                return Optional.empty();
            }
            return Optional.of(DeltaTable.forName(spark, table)
                    .detail()
                    .select("location")
                    .first()
                    .getString(0));
        } catch (Exception e) { // not a Delta table: Delta throws AnalysisException, checked but undeclared
            return Optional.empty();
        }
    }
}
