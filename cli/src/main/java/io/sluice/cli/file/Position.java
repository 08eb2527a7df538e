package io.sluice.cli.file;

/** A place in a pipeline file, 1-based as editors count: where a problem is reported. */
public record Position(int line, int column) {
    public static final Position START = new Position(1, 1);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
