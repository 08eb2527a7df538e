package io.sluice.sink.file;

import com.google.auto.service.AutoService;
import io.sluice.core.StreamSink;

/** The {@code parquet} sink: Spark's file sink writing {@link FileFormat#PARQUET}. */
@AutoService(StreamSink.class)
public final class ParquetSink extends FileSink {
    public ParquetSink() {
        super(FileFormat.PARQUET);
    }
}
