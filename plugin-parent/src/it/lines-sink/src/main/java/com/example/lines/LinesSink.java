package com.example.lines;

import com.google.auto.service.AutoService;
import io.sluice.core.BatchSink;
import io.sluice.core.BatchWriter;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionSpec;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Writes each micro-batch as JSON lines, one file per partition, named after the batch. */
@AutoService(StreamSink.class)
public final class LinesSink implements BatchSink {
    static final OptionSpec<String> PATH = OptionSpec.stringOption("path").required()
            .description("Directory to write the JSON lines files into").build();

    @Override
    public String name() {
        return "lines";
    }

    @Override
    public String description() {
        return "Writes each micro-batch as JSON lines files, one per partition";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(PATH);
    }

    @Override
    public boolean idempotent() {
        return true; // a replayed batch rewrites the same files
    }

    @Override
    public BatchWriter writer(SinkContext context, ConnectorOptions options, StructType schema) {
        String path = options.get(PATH);
        return BatchWriter.perPartition((batch, partition, rows) -> {
            if (!rows.hasNext()) {
                return;
            }
            Path dir = Path.of(path, batch.queryId(), "batch-" + batch.id());
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".part-" + partition, ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(partial)) {
                while (rows.hasNext()) {
                    out.write(rows.next().json());
                    out.newLine();
                }
            }
            Files.move(partial, dir.resolve("part-" + partition + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
        });
    }
}
