package io.sluice.sink.file;

import com.google.auto.service.AutoService;
import io.sluice.core.StreamSink;

/** The {@code csv} sink: Spark's file sink writing {@link FileFormat#CSV}. */
@AutoService(StreamSink.class)
public final class CsvSink extends FileSink {
    public CsvSink() {
        super(FileFormat.CSV);
    }
}
