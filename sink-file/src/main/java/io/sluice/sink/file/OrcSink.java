package io.sluice.sink.file;

import com.google.auto.service.AutoService;
import io.sluice.core.StreamSink;

/** The {@code orc} sink: Spark's file sink writing {@link FileFormat#ORC}. */
@AutoService(StreamSink.class)
public final class OrcSink extends FileSink {
    public OrcSink() {
        super(FileFormat.ORC);
    }
}
