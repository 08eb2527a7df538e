package io.sluice.sink.file;

import com.google.auto.service.AutoService;
import io.sluice.core.StreamSink;

/** The {@code text} sink: Spark's file sink writing {@link FileFormat#TEXT}. */
@AutoService(StreamSink.class)
public final class TextSink extends FileSink {
    public TextSink() {
        super(FileFormat.TEXT);
    }
}
