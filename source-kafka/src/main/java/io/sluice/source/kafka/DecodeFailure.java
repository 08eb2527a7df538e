package io.sluice.source.kafka;

import java.util.Arrays;

/**
 * The ways a key or value fails to decode, each with the words its error starts with
 * ({@code value is not JSON matching value.schema}) and the fixed label the metrics' {@code reason}
 * carries ({@code value_not_json}): one place for both, so a label is always found from an error.
 */
enum DecodeFailure {
    NULL("null", " is null"),
    NOT_JSON("not_json", " is not JSON matching "),
    NOT_FRAMED("not_framed", " is not in Confluent's wire format"),
    UNKNOWN_SCHEMA("unknown_schema", " was written with schema id"),
    UNREADABLE_SCHEMA("unreadable_schema", " was written with a schema the reader schema cannot read"),
    NOT_AVRO("not_avro", " does not decode as Avro"),
    NOT_PROTOBUF("not_protobuf", " does not decode as Protobuf"),
    OTHER_MESSAGE("other_message", " was written as message");

    private final String label;
    private final String words;

    DecodeFailure(String label, String words) {
        this.label = label;
        this.words = words;
    }

    /** How an error of {@code part} (key or value) starts: {@code value is null}. */
    String says(String part) {
        return part + words;
    }

    /** Whether {@code error} is this failure of {@code part}. */
    boolean is(String error, String part) {
        return error != null && error.startsWith(says(part));
    }

    /** The metrics label of an error text: {@code value_not_json}, or {@code unknown}. */
    static String label(String error) {
        if (error == null) {
            return "unknown";
        }
        String part = error.startsWith("key") ? "key" : "value";
        return Arrays.stream(values())
                .filter(failure -> failure.is(error, part))
                .findFirst()
                .map(failure -> part + "_" + failure.label)
                .orElse("unknown");
    }
}
