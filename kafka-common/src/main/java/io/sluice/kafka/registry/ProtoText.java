package io.sluice.kafka.registry;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code .proto} file's text, as a schema registry keeps a Protobuf schema, parsed into the
 * descriptor protobuf-java builds messages from. Registries hold the text, not a compiled
 * descriptor, and protobuf-java has no parser ({@code protoc} is C++): this reads what
 * producers' schemas use — {@code syntax} proto2 and proto3, {@code package}, imports,
 * messages nested to any depth, enums, scalar, message and enum fields, {@code optional},
 * {@code repeated}, {@code required}, {@code map<K, V>} and {@code oneof} — and skips what does
 * not shape the data (options, reserved ranges, extensions ranges, services). Groups and
 * editions are refused in words.
 */
public final class ProtoText {
    private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.ofEntries(
            Map.entry("double", FieldDescriptorProto.Type.TYPE_DOUBLE),
            Map.entry("float", FieldDescriptorProto.Type.TYPE_FLOAT),
            Map.entry("int32", FieldDescriptorProto.Type.TYPE_INT32),
            Map.entry("int64", FieldDescriptorProto.Type.TYPE_INT64),
            Map.entry("uint32", FieldDescriptorProto.Type.TYPE_UINT32),
            Map.entry("uint64", FieldDescriptorProto.Type.TYPE_UINT64),
            Map.entry("sint32", FieldDescriptorProto.Type.TYPE_SINT32),
            Map.entry("sint64", FieldDescriptorProto.Type.TYPE_SINT64),
            Map.entry("fixed32", FieldDescriptorProto.Type.TYPE_FIXED32),
            Map.entry("fixed64", FieldDescriptorProto.Type.TYPE_FIXED64),
            Map.entry("sfixed32", FieldDescriptorProto.Type.TYPE_SFIXED32),
            Map.entry("sfixed64", FieldDescriptorProto.Type.TYPE_SFIXED64),
            Map.entry("bool", FieldDescriptorProto.Type.TYPE_BOOL),
            Map.entry("string", FieldDescriptorProto.Type.TYPE_STRING),
            Map.entry("bytes", FieldDescriptorProto.Type.TYPE_BYTES));

    private final List<String> tokens;
    private final List<Integer> lines;
    private int at;
    private boolean proto3;

    private ProtoText(String text) {
        this.tokens = new ArrayList<>();
        this.lines = new ArrayList<>();
        tokenize(text);
    }

    /**
     * The file descriptor of {@code text}, named {@code name} (the name other files import it
     * by); types are left as written, to be resolved against the file's imports when built.
     *
     * @throws IllegalArgumentException saying where the text is not a {@code .proto} file
     */
    public static FileDescriptorProto parse(String name, String text) {
        return new ProtoText(text).file(name);
    }

    private FileDescriptorProto file(String name) {
        FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName(name);
        proto3 = false;
        while (!done()) {
            String word = next();
            switch (word) {
                case "syntax" -> {
                    expect("=");
                    String syntax = string();
                    expect(";");
                    if (!syntax.equals("proto2") && !syntax.equals("proto3")) {
                        throw error("syntax '" + syntax + "' is not proto2 or proto3");
                    }
                    proto3 = syntax.equals("proto3");
                    file.setSyntax(syntax);
                }
                case "edition" -> throw error("Protobuf editions are not supported yet: write the schema as proto3");
                case "package" -> {
                    file.setPackage(next());
                    expect(";");
                }
                case "import" -> {
                    String path = string();
                    if (path.equals("public") || path.equals("weak")) {
                        path = string();
                    }
                    expect(";");
                    file.addDependency(path);
                }
                case "option" -> skipStatement();
                case "message" -> file.addMessageType(message());
                case "enum" -> file.addEnumType(enumeration());
                case "service", "extend" -> {
                    next();
                    skipBlock();
                }
                case ";" -> {}
                default -> throw error("unexpected '" + word + "'");
            }
        }
        return file.build();
    }

    private DescriptorProto message() {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(identifier());
        expect("{");
        while (!peek("}")) {
            String word = next();
            switch (word) {
                case "message" -> message.addNestedType(message());
                case "enum" -> message.addEnumType(enumeration());
                case "option", "reserved", "extensions" -> skipStatement();
                case "extend" -> {
                    next();
                    skipBlock();
                }
                case "oneof" -> oneof(message);
                case "map" -> map(message);
                case ";" -> {}
                default -> {
                    at--;
                    message.addField(field(message, -1));
                }
            }
        }
        expect("}");
        syntheticOneofs(message);
        return message.build();
    }

    /** proto3's optional: a oneof of the field's own, which gives it presence, after every declared oneof. */
    private static void syntheticOneofs(DescriptorProto.Builder message) {
        for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
            if (field.getProto3Optional()) {
                field.setOneofIndex(message.getOneofDeclCount());
                message.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + field.getName()));
            }
        }
    }

    private void oneof(DescriptorProto.Builder message) {
        int index = message.getOneofDeclCount();
        message.addOneofDecl(OneofDescriptorProto.newBuilder().setName(identifier()));
        expect("{");
        while (!peek("}")) {
            if (peek("option")) {
                skipStatement();
            } else if (peek(";")) {
                next();
            } else {
                message.addField(field(message, index));
            }
        }
        expect("}");
    }

    private FieldDescriptorProto field(DescriptorProto.Builder message, int oneof) {
        FieldDescriptorProto.Label label = FieldDescriptorProto.Label.LABEL_OPTIONAL;
        boolean explicitOptional = false;
        String type = next();
        switch (type) {
            case "repeated" -> {
                label = FieldDescriptorProto.Label.LABEL_REPEATED;
                type = next();
            }
            case "required" -> {
                label = FieldDescriptorProto.Label.LABEL_REQUIRED;
                type = next();
            }
            case "optional" -> {
                explicitOptional = true;
                type = next();
            }
            case "group" -> throw error("groups are not supported: write the group as a message field");
            default -> {}
        }
        if (type.equals("group")) {
            throw error("groups are not supported: write the group as a message field");
        }
        FieldDescriptorProto.Builder field =
                FieldDescriptorProto.newBuilder().setName(identifier()).setLabel(label);
        expect("=");
        field.setNumber(number());
        skipFieldOptions();
        expect(";");
        setType(field, type);
        if (oneof >= 0) {
            field.setOneofIndex(oneof);
        } else if (explicitOptional && proto3) {
            field.setProto3Optional(true); // its oneof is added when the message ends (syntheticOneofs)
        }
        return field.build();
    }

    private void map(DescriptorProto.Builder message) {
        expect("<");
        String keyType = next();
        expect(",");
        String valueType = next();
        expect(">");
        String name = identifier();
        expect("=");
        int number = number();
        skipFieldOptions();
        expect(";");
        String entry = entryName(name);
        FieldDescriptorProto.Builder key = FieldDescriptorProto.newBuilder()
                .setName("key")
                .setNumber(1)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        setType(key, keyType);
        FieldDescriptorProto.Builder value = FieldDescriptorProto.newBuilder()
                .setName("value")
                .setNumber(2)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        setType(value, valueType);
        message.addNestedType(DescriptorProto.newBuilder()
                .setName(entry)
                .addField(key)
                .addField(value)
                .setOptions(MessageOptions.newBuilder().setMapEntry(true)));
        message.addField(FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
                .setTypeName(entry));
    }

    /** {@code order_lines} → {@code OrderLinesEntry}, as protoc names a map's entry message. */
    private static String entryName(String field) {
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.append("Entry").toString();
    }

    private static void setType(FieldDescriptorProto.Builder field, String type) {
        FieldDescriptorProto.Type scalar = SCALARS.get(type);
        if (scalar != null) {
            field.setType(scalar);
        } else {
            field.setTypeName(type); // a message or an enum: resolved when the file is built
        }
    }

    private EnumDescriptorProto enumeration() {
        EnumDescriptorProto.Builder enumeration =
                EnumDescriptorProto.newBuilder().setName(identifier());
        expect("{");
        while (!peek("}")) {
            String word = next();
            switch (word) {
                case "option", "reserved" -> skipStatement();
                case ";" -> {}
                default -> {
                    expect("=");
                    String value = next();
                    int number;
                    try {
                        number = Integer.decode(value);
                    } catch (NumberFormatException e) {
                        throw error("enum value '" + word + "' = '" + value + "' is not a number");
                    }
                    skipFieldOptions();
                    expect(";");
                    enumeration.addValue(
                            EnumValueDescriptorProto.newBuilder().setName(word).setNumber(number));
                }
            }
        }
        expect("}");
        return enumeration.build();
    }

    private void skipFieldOptions() {
        if (peek("[")) {
            int depth = 0;
            do {
                String token = next();
                if (token.equals("[")) {
                    depth++;
                } else if (token.equals("]")) {
                    depth--;
                }
            } while (depth > 0);
        }
    }

    /** Skips to the end of a statement, over an option's aggregate value in braces. */
    private void skipStatement() {
        int depth = 0;
        while (true) {
            String token = next();
            if (token.equals("{")) {
                depth++;
            } else if (token.equals("}")) {
                depth--;
            } else if (token.equals(";") && depth == 0) {
                return;
            }
        }
    }

    private void skipBlock() {
        expect("{");
        int depth = 1;
        while (depth > 0) {
            String token = next();
            if (token.equals("{")) {
                depth++;
            } else if (token.equals("}")) {
                depth--;
            }
        }
    }

    private String identifier() {
        String word = next();
        if (!Character.isJavaIdentifierStart(word.charAt(0))) {
            throw error("expected a name, found '" + word + "'");
        }
        return word;
    }

    private int number() {
        String word = next();
        try {
            return Integer.decode(word);
        } catch (NumberFormatException e) {
            throw error("expected a field number, found '" + word + "'");
        }
    }

    private String string() {
        String word = next();
        if (word.length() < 2 || (word.charAt(0) != '"' && word.charAt(0) != '\'')) {
            if (word.equals("public") || word.equals("weak")) {
                return word;
            }
            throw error("expected a quoted string, found '" + word + "'");
        }
        return word.substring(1, word.length() - 1);
    }

    private void expect(String token) {
        String word = next();
        if (!word.equals(token)) {
            at--;
            throw error("expected '" + token + "', found '" + word + "'");
        }
    }

    private boolean peek(String token) {
        if (done()) {
            throw error("unexpected end of the schema");
        }
        return tokens.get(at).equals(token);
    }

    private boolean done() {
        return at >= tokens.size();
    }

    private String next() {
        if (done()) {
            throw error("unexpected end of the schema");
        }
        return tokens.get(at++);
    }

    private IllegalArgumentException error(String what) {
        int line = lines.isEmpty() ? 1 : lines.get(Math.min(Math.max(at - 1, 0), lines.size() - 1));
        return new IllegalArgumentException("is not a Protobuf schema this reads (line " + line + "): " + what);
    }

    private void tokenize(String text) {
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i)) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                line += (int)
                        text.substring(i, end).chars().filter(ch -> ch == '\n').count();
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c) {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                add(text.substring(i, Math.min(j + 1, text.length())), line);
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') {
                int j = i;
                while (j < text.length()
                        && (Character.isLetterOrDigit(text.charAt(j))
                                || text.charAt(j) == '_'
                                || text.charAt(j) == '.'
                                || (j == i && (text.charAt(j) == '-' || text.charAt(j) == '+')))) {
                    j++;
                }
                add(text.substring(i, j), line);
                i = j;
            } else {
                add(String.valueOf(c), line);
                i++;
            }
        }
    }

    private void add(String token, int line) {
        tokens.add(token);
        lines.add(line);
    }
}
