package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

/**
 * A problem in a pipeline file, at its place: {@code orders.yaml:7:5: source 'kafka': unknown
 * option ...}. The same four parts go to JSON for editors and CI.
 *
 * @param subject what the problem is about ({@code source 'kafka'}, {@code pipeline 'orders'}); may be empty
 */
public record FileProblem(String file, Position position, String subject, String message)
        implements Comparable<FileProblem> {
    public FileProblem {
        requireNonNull(file, "file is null");
        requireNonNull(position, "position is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(message, "message is null");
    }

    /** A problem found before the file's name is attached. */
    public record At(Position position, String subject, String message) {
        public FileProblem in(String file) {
            return new FileProblem(file, position, subject, message);
        }
    }

    /** Problems of one file in the order of their lines. */
    @Override
    public int compareTo(FileProblem other) {
        int byFile = file.compareTo(other.file);
        if (byFile != 0) {
            return byFile;
        }
        int byLine = Integer.compare(position.line(), other.position.line());
        if (byLine != 0) {
            return byLine;
        }
        int byColumn = Integer.compare(position.column(), other.position.column());
        return byColumn != 0 ? byColumn : toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return file + ":" + position + ": " + (subject.isEmpty() ? "" : subject + ": ") + message;
    }
}
