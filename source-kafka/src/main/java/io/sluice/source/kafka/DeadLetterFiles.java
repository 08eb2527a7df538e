package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.LocalFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * A dead letter kept as JSON lines or parquet files in a directory, one file per task that
 * met bad records, with the columns {@code topic, partition, offset, timestamp, key, value,
 * error} ({@code key} and {@code value} raw: in JSON as text when they are valid UTF-8, else
 * base64 under {@code keyBase64} / {@code valueBase64}).
 *
 * <p>A file is written under a hidden name ({@code .name.attempt.tmp}, which Spark's readers
 * skip) and renamed when the task succeeds, so a reader never sees half a file; its name is
 * the task's first bad record ({@code topic-partition-offset}), so a replayed task finds its
 * file already there and keeps it.
 */
final class DeadLetterFiles implements DeadLetter {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private static final MessageType PARQUET = Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("topic")
            .optional(PrimitiveTypeName.INT32)
            .named("partition")
            .optional(PrimitiveTypeName.INT64)
            .named("offset")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named("timestamp")
            .optional(PrimitiveTypeName.BINARY)
            .named("key")
            .optional(PrimitiveTypeName.BINARY)
            .named("value")
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("error")
            .named("dead_letter");

    private final String path;
    private final String format;
    private transient Configuration hadoop;

    DeadLetterFiles(String path, String format, Configuration hadoop) {
        this.path = requireNonNull(path, "path is null");
        this.format = requireNonNull(format, "format is null");
        this.hadoop = new Configuration(requireNonNull(hadoop, "hadoop is null"));
    }

    @Override
    public String description() {
        return format + " files at " + path;
    }

    @Override
    public Spool open(DeadLetterRecord first, long taskAttemptId) throws IOException {
        Path directory = new Path(path);
        if (format.equals("json") && LocalFiles.isLocal(directory, hadoop)) {
            return local(new java.io.File(directory.toUri().getPath()).toPath().resolve(first.spoolName() + ".json"));
        }
        FileSystem fs = directory.getFileSystem(hadoop);
        String name = first.spoolName() + "." + format;
        Path done = new Path(directory, name);
        Path temporary = new Path(directory, "." + name + "." + taskAttemptId + ".tmp");
        RecordWriter writer = format.equals("parquet") ? parquet(temporary) : json(fs, temporary);
        return new Spool() {
            @Override
            public void write(DeadLetterRecord record) throws IOException {
                writer.write(record);
            }

            @Override
            public void commit() throws IOException {
                writer.close();
                if (fs.exists(done)) { // a replay of records already kept: the same file, written before
                    fs.delete(temporary, false);
                } else if (!fs.rename(temporary, done) && !fs.exists(done)) {
                    throw new IOException("cannot rename " + temporary + " to " + done);
                }
            }

            @Override
            public void discard() {
                try {
                    writer.close();
                    fs.delete(temporary, false);
                } catch (IOException | RuntimeException ignored) {
                    // the task's own failure is the one to report
                }
            }
        };
    }

    /**
     * A spool on the local disk, written without Hadoop's local file system (which forks a
     * process for a new file's permissions — most of a small batch's dead-letter time): published
     * whole when the task succeeds; a replay finds its file already there and keeps it.
     */
    private static Spool local(java.nio.file.Path done) throws IOException {
        LocalFiles.AtomicFile file = LocalFiles.create(done, false);
        RecordWriter writer = json(file);
        return new Spool() {
            @Override
            public void write(DeadLetterRecord record) throws IOException {
                writer.write(record);
            }

            @Override
            public void commit() throws IOException {
                try {
                    writer.close();
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // a replay of records already kept: the same file, written before
                }
            }

            @Override
            public void discard() {
                file.cancel();
            }
        };
    }

    /** Writes records to one file. */
    private interface RecordWriter {
        void write(DeadLetterRecord record) throws IOException;

        void close() throws IOException;
    }

    /**
     * A raw key or value as a JSON field a person can read: the text itself under {@code name}
     * when the bytes are valid UTF-8 (a malformed JSON value reads as what was sent), else base64
     * under {@code nameBase64} — never a lossy decoding, and a reader knows which it has by the name.
     */
    static Map.Entry<String, String> textOrBase64(String name, byte[] value) {
        try {
            String text = java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(value))
                    .toString();
            return Map.entry(name, text);
        } catch (java.nio.charset.CharacterCodingException e) {
            return Map.entry(name + "Base64", java.util.Base64.getEncoder().encodeToString(value));
        }
    }

    private static RecordWriter json(FileSystem fs, Path file) throws IOException {
        return json(fs.create(file, true));
    }

    private static RecordWriter json(java.io.OutputStream out) throws IOException {
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
        return new RecordWriter() {
            @Override
            public void write(DeadLetterRecord record) throws IOException {
                json.writeStartObject();
                record.writeTo(new DeadLetterRecord.Fields() {
                    @Override
                    public void string(String name, String value) throws IOException {
                        json.writeStringField(name, value);
                    }

                    @Override
                    public void integer(String name, int value) throws IOException {
                        json.writeNumberField(name, value);
                    }

                    @Override
                    public void bigint(String name, long value) throws IOException {
                        json.writeNumberField(name, value);
                    }

                    @Override
                    public void timestamp(String name, long micros) throws IOException {
                        json.writeStringField(
                                name, DeadLetterRecord.instant(micros).toString());
                    }

                    @Override
                    public void binary(String name, byte[] value) throws IOException {
                        Map.Entry<String, String> field = textOrBase64(name, value);
                        json.writeStringField(field.getKey(), field.getValue());
                    }
                });
                json.writeEndObject();
                json.writeRaw('\n');
            }

            @Override
            public void close() throws IOException {
                json.close();
            }
        };
    }

    private RecordWriter parquet(Path file) throws IOException {
        ParquetWriter<Group> parquet = ExampleParquetWriter.builder(file)
                .withConf(hadoop)
                .withType(PARQUET)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
        SimpleGroupFactory groups = new SimpleGroupFactory(PARQUET);
        return new RecordWriter() {
            @Override
            public void write(DeadLetterRecord record) throws IOException {
                Group group = groups.newGroup();
                record.writeTo(new DeadLetterRecord.Fields() {
                    @Override
                    public void string(String name, String value) {
                        group.add(name, value);
                    }

                    @Override
                    public void integer(String name, int value) {
                        group.add(name, value);
                    }

                    @Override
                    public void bigint(String name, long value) {
                        group.add(name, value);
                    }

                    @Override
                    public void timestamp(String name, long micros) {
                        group.add(name, micros);
                    }

                    @Override
                    public void binary(String name, byte[] value) {
                        group.add(name, Binary.fromConstantByteArray(value));
                    }
                });
                parquet.write(group);
            }

            @Override
            public void close() throws IOException {
                parquet.close();
            }
        };
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        hadoop.write(new DataOutputStream(out));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        hadoop = new Configuration(false);
        hadoop.readFields(new DataInputStream(in));
    }
}
