package io.sluice.spi;

import io.sluice.spi.option.ConnectorOptions;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A connector that reads a stream: the service interface every source implements.
 *
 * <p>Register an implementation with {@code @AutoService(StreamSource.class)}; Sluice finds
 * it with {@link java.util.ServiceLoader} by its {@link #name()}. The source only turns
 * options that already passed validation into a streaming {@code Dataset}; it never starts a
 * query. {@link #read} runs during validation too (to analyse the whole plan before
 * anything starts), so it must not do I/O unless {@link SourceContext#starting()} is true.
 */
public interface StreamSource extends Connector {

    @Override
    default ConnectorKind kind() {
        return ConnectorKind.SOURCE;
    }

    /**
     * Whether Spark's real-time mode can read this source; Spark 4.2 reads only Kafka in it.
     * A pipeline with a real-time trigger and a source that says no is refused before start.
     */
    default boolean supportsRealTime() {
        return false;
    }

    /**
     * Why real-time mode cannot run this source with these options although it reads the
     * source (a dead letter kept in files, say), or empty when it can. Asked only when
     * {@link #supportsRealTime()} is true; a reason is reported before the query starts.
     */
    @Evolving
    default Optional<String> realTimeRefusal(ConnectorOptions options) {
        return Optional.empty();
    }

    /**
     * The columns of the source's rows that give the order it read its records in, most
     * significant first (Kafka: {@code partition}, {@code offset}): a sink that must keep the
     * last of several rows of a key in one batch, such as an upsert, orders by them when the
     * query passes them through. Empty when the source has no such order.
     */
    @Evolving
    default java.util.List<String> recordOrder() {
        return java.util.List.of();
    }

    /**
     * Where the source reads with these options (Kafka: its topics on its cluster). A pipeline
     * whose sink writes a place its source reads is refused before start: it would read its
     * own output without end. Empty when unknown.
     */
    @Evolving
    default java.util.List<Place> reads(ConnectorOptions options) {
        return java.util.List.of();
    }

    /** Builds the streaming {@code Dataset} from validated options. */
    Dataset<Row> read(SourceContext context, ConnectorOptions options);
}
