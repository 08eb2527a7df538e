package io.sluice.sink.file;

import io.sluice.core.option.OptionCheck;
import io.sluice.core.option.OptionSpec;
import java.util.List;

/**
 * What differs between the file formats Spark writes: the name, the compression codecs it
 * accepts, its own writer options, and which columns it can hold. Everything else about a
 * file sink is the same, and lives once in {@link FileSink}.
 */
enum FileFormat {
    PARQUET(
            "parquet",
            "Apache Parquet files, columnar and compressed",
            List.of("none", "uncompressed", "snappy", "gzip", "lzo", "brotli", "lz4", "lz4_raw", "zstd"),
            List.of()),
    ORC(
            "orc",
            "Apache ORC files, columnar and compressed",
            List.of("none", "uncompressed", "snappy", "zlib", "lzo", "zstd", "lz4", "brotli"),
            List.of()),
    JSON(
            "json",
            "JSON lines, one object per row",
            TextCodecs.ALL,
            List.of(
                    TextOptions.DATE_FORMAT,
                    TextOptions.TIMESTAMP_FORMAT,
                    TextOptions.ENCODING,
                    TextOptions.LINE_SEP,
                    OptionSpec.booleanOption("ignoreNullFields")
                            .defaultValue(true)
                            .description("Leave out fields whose value is null")
                            .build())),
    CSV(
            "csv",
            "CSV files of flat rows",
            TextCodecs.ALL,
            List.of(
                    TextOptions.DATE_FORMAT,
                    TextOptions.TIMESTAMP_FORMAT,
                    TextOptions.ENCODING,
                    TextOptions.LINE_SEP,
                    OptionSpec.booleanOption("header")
                            .defaultValue(false)
                            .description("Write the column names as the first line of each file")
                            .build(),
                    OptionSpec.stringOption("sep")
                            .defaultValue(",")
                            .check(OptionCheck.nonEmpty())
                            .description("Field separator")
                            .build(),
                    OptionSpec.stringOption("quote")
                            .defaultValue("\"")
                            .description("Quote character")
                            .build(),
                    OptionSpec.stringOption("escape")
                            .defaultValue("\\")
                            .description("Escape character inside quoted values")
                            .build(),
                    OptionSpec.stringOption("nullValue")
                            .defaultValue("")
                            .description("How a null value is written")
                            .build(),
                    OptionSpec.booleanOption("quoteAll")
                            .defaultValue(false)
                            .description("Quote every value, not only those that need it")
                            .build())),
    TEXT(
            "text",
            "Plain text, one line per row of a single string column",
            TextCodecs.ALL,
            List.of(TextOptions.LINE_SEP));

    private final String connectorName;
    private final String description;
    private final List<String> codecs;
    private final List<OptionSpec<?>> ownOptions;

    FileFormat(String connectorName, String description, List<String> codecs, List<OptionSpec<?>> ownOptions) {
        this.connectorName = connectorName;
        this.description = description;
        this.codecs = codecs;
        this.ownOptions = ownOptions;
    }

    String connectorName() {
        return connectorName;
    }

    String description() {
        return description;
    }

    List<String> codecs() {
        return codecs;
    }

    List<OptionSpec<?>> ownOptions() {
        return ownOptions;
    }

    /** Codecs of Spark's text-based formats (json, csv, text). */
    private static final class TextCodecs {
        static final List<String> ALL = List.of("none", "bzip2", "gzip", "lz4", "snappy", "deflate", "zstd");
    }

    /** Options the text-based formats share, declared once. */
    private static final class TextOptions {
        static final OptionSpec<String> DATE_FORMAT = OptionSpec.stringOption("dateFormat")
                .defaultValue("yyyy-MM-dd")
                .description("Pattern for date values")
                .build();
        static final OptionSpec<String> TIMESTAMP_FORMAT = OptionSpec.stringOption("timestampFormat")
                .defaultValue("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                .description("Pattern for timestamp values")
                .build();
        static final OptionSpec<String> ENCODING = OptionSpec.stringOption("encoding")
                .defaultValue("UTF-8")
                .description("Character set of the files")
                .build();
        static final OptionSpec<String> LINE_SEP = OptionSpec.stringOption("lineSep")
                .defaultValue("\\n")
                .description("Line separator")
                .build();
    }
}
