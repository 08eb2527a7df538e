package com.example.lines;

import io.sluice.core.BatchSink;
import io.sluice.testkit.BatchSinkContract;
import io.sluice.testkit.RefusedOptions;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

class LinesSinkTest extends BatchSinkContract {
    protected BatchSink sink() {
        return new LinesSink();
    }

    protected Map<String, String> validOptions() {
        return Map.of("path", workDir.resolve("out").toString());
    }

    protected List<RefusedOptions> refusedOptions() {
        return List.of(RefusedOptions.of(Map.of(), "sink 'lines': missing required option 'path'"));
    }

    protected List<Row> readBack() throws Exception {
        if (!Files.exists(workDir.resolve("out"))) {
            return List.of();
        }
        try (Stream<java.nio.file.Path> files = Files.walk(workDir.resolve("out"))) {
            String[] lines = files.filter(f -> f.toString().endsWith(".jsonl")).map(Object::toString).toArray(String[]::new);
            return lines.length == 0 ? List.of() : SharedSluice.get().spark().read().schema(schema()).json(lines).collectAsList();
        }
    }
}
