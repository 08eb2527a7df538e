package io.sluice.source.kafka;

import java.io.Serializable;
import java.util.Optional;
import org.apache.spark.sql.api.java.UDF3;

/**
 * Why a record did not decode, in the words the dead letter and a preview show: the decoder's
 * error ({@code value is not JSON matching value.schema}), and for JSON where the record went
 * wrong, found by a second reading of the bad record only ({@link JsonMismatch}). Spark's
 * decision stands; when the second reading finds nothing, the decoder's words alone.
 */
final class BadRecordReason implements UDF3<String, byte[], byte[], String>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Null for a key or value that is not JSON (serializable fields, so no Optional). */
    private final JsonMismatch keyMismatch;

    private final JsonMismatch valueMismatch;

    BadRecordReason(Optional<JsonMismatch> keyMismatch, Optional<JsonMismatch> valueMismatch) {
        this.keyMismatch = keyMismatch.orElse(null);
        this.valueMismatch = valueMismatch.orElse(null);
    }

    /** The reason for a record whose decoding failed with {@code error}. */
    String explain(String error, byte[] key, byte[] value) {
        JsonMismatch mismatch = DecodeFailure.NOT_JSON.is(error, "key")
                ? keyMismatch
                : DecodeFailure.NOT_JSON.is(error, "value") ? valueMismatch : null;
        if (mismatch == null) {
            return error;
        }
        return mismatch.explain(mismatch == keyMismatch ? key : value)
                .map(detail -> error + ": " + detail)
                .orElse(error);
    }

    @Override
    public String call(String error, byte[] key, byte[] value) {
        return explain(error, key, value);
    }
}
