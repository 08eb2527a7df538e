package io.sluice.sink.file;

import com.google.auto.service.AutoService;
import io.sluice.core.StreamSink;

/** The {@code json} sink: Spark's file sink writing {@link FileFormat#JSON}. */
@AutoService(StreamSink.class)
public final class JsonSink extends FileSink {
    public JsonSink() {
        super(FileFormat.JSON);
    }
}
