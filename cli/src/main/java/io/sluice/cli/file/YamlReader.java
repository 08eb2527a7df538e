package io.sluice.cli.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into {@link Node}s with positions, through Jackson's streaming parser.
 *
 * <p>Malformed YAML (a tab in the indentation, a bad indent, an unclosed quote) becomes one
 * {@link YamlException} with the line, the column and the parser's own reason in one line —
 * never a parser stack trace. A duplicate key is reported, not silently resolved to the last
 * value as YAML libraries do, because a pipeline whose second {@code path:} wins by accident
 * is a bug that costs data.
 */
public final class YamlReader {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlReader() {}

    /** The outcome of reading: the root node (null for an empty document) and the duplicate keys found. */
    public record Result(Node root, List<FileProblem.At> duplicates) {}

    /** A document that is not YAML at all: one line and column, one reason. */
    public static final class YamlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Position position;

        YamlException(Position position, String message) {
            super(message);
            this.position = position;
        }

        public Position position() {
            return position;
        }
    }

    public static Result read(String text) throws YamlException {
        List<FileProblem.At> duplicates = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Result(null, duplicates);
            }
            Node root = node(parser, duplicates);
            return new Result(root, duplicates);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Node node(JsonParser parser, List<FileProblem.At> duplicates) throws IOException {
        Position position = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node.Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Position keyPosition = position(parser.currentTokenLocation());
                parser.nextToken();
                Node value = node(parser, duplicates);
                Node.Entry earlier = entries.get(key);
                if (earlier != null) {
                    duplicates.add(new FileProblem.At(
                            keyPosition,
                            "",
                            "duplicate key '" + key + "' (first at line "
                                    + earlier.keyPosition().line() + "): remove one of them"));
                } else {
                    entries.put(key, new Node.Entry(key, keyPosition, value));
                }
            }
            return new Node.MapNode(position, entries);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(parser, duplicates));
            }
            return new Node.ListNode(position, items);
        }
        return new Node.Scalar(
                position, token == JsonToken.VALUE_NULL ? null : parser.getText(), token == JsonToken.VALUE_STRING);
    }

    private static Position position(JsonLocation location) {
        return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    private static YamlException malformed(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Position at = new Position(
                    yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1);
            String context = yaml.getContext() == null ? "" : " (" + oneLine(yaml.getContext()) + ")";
            return new YamlException(at, "malformed YAML: " + oneLine(yaml.getProblem()) + context);
        }
        Position at = e.getLocation() == null ? Position.START : position(e.getLocation());
        return new YamlException(at, "malformed YAML: " + oneLine(e.getOriginalMessage()));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
