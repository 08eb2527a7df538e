package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value with the place it was written, so every problem found later — by the file's
 * own checks or by the engine's validation — points at a line and column. Jackson's tree model
 * drops positions; this keeps them.
 */
public sealed interface Node {
    Position position();

    /** What the node is, for messages: "a map", "a list", "a value". */
    String kind();

    /** A mapping; keys keep their order and their own positions. */
    record MapNode(Position position, Map<String, Entry> entries) implements Node {
        public MapNode {
            requireNonNull(position, "position is null");
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key)).map(Entry::value);
        }

        @Override
        public String kind() {
            return "a map";
        }
    }

    /** One key of a mapping: where the key was written, and its value. */
    record Entry(String key, Position keyPosition, Node value) {}

    record ListNode(Position position, List<Node> items) implements Node {
        public ListNode {
            requireNonNull(position, "position is null");
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar, as the text written in the file ({@code false}, {@code 10s}); null for {@code ~} or
     * nothing. {@code string} is false for a plain number or boolean ({@code 1}, {@code true}), which
     * a test file's JSON record values keep as JSON numbers and booleans.
     */
    record Scalar(Position position, String text, boolean string) implements Node {
        /** A string scalar (quoted, or plain text that is not a number or boolean). */
        public Scalar(Position position, String text) {
            this(position, text, true);
        }

        public boolean isNull() {
            return text == null;
        }

        @Override
        public String kind() {
            return "a value";
        }
    }
}
