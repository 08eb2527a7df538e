package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The strict fast path of the JSON decoder: a parser specialised to one flat schema that
 * accepts a record only when every token is in a subset whose result is provably {@code
 * from_json}'s, and says "not mine" for anything else, which {@link SparkJson} then decodes with
 * Spark's own parser. Nothing here decides what a bad or unusual record becomes: it is only ever
 * Spark's answer, faster for the records that make up nearly every real topic.
 *
 * <p>The subset: one object (JSON's four whitespace characters around and inside it); names of
 * printable ASCII without escapes, each schema field at most once (Spark keeps the last of a
 * duplicate; the subset leaves that to Spark); for {@code BOOLEAN} {@code true}/{@code false};
 * for the integer types an integer token ({@code -?(0|[1-9][0-9]*)}, no {@code .} or exponent —
 * Spark refuses those for integers) of at most 18 digits that fits the type; for {@code DOUBLE}
 * any JSON number, rounded correctly (exactly as Java's {@code Double.parseDouble}, which is what
 * Jackson's {@code getDoubleValue} does; an integer token as the {@code long} it is); for {@code
 * STRING} a string of printable ASCII without escapes; for {@code TIMESTAMP} the ISO form with
 * an explicit offset, {@code "2026-12-05T10:15:30.123456Z"} ({@code T} or a space, up to six
 * fraction digits, {@code Z} or {@code +HH:MM}), and for {@code DATE} {@code "2026-12-05"} —
 * both only while Spark's time parser is not the legacy one, and a time without an offset (read
 * in the session's zone) is Spark's; {@code null} for any field. A key the schema does not have
 * is skipped when its value is a scalar of the same subset. Other types ({@code DECIMAL},
 * {@code FLOAT}, nested structs, arrays, maps) take this path only while their value is {@code
 * null}.
 *
 * <p>The result is written in the schema's order, so the row's bytes are the ones Spark's own
 * projection of {@code from_json}'s row would have (an {@code UnsafeRow} is compared and hashed
 * by its bytes: a struct kept as a column and grouped on must not depend on the key order of
 * the JSON). Not thread-safe: one per task, as the evaluator that holds it.
 */
final class StrictJson {
    /** What a field's value becomes, by its Spark type. */
    enum Kind {
        BOOLEAN,
        BYTE,
        SHORT,
        INT,
        LONG,
        DOUBLE,
        STRING,
        /** Microseconds since the epoch, from the ISO form with an offset. */
        TIMESTAMP,
        /** Days since the epoch, from {@code yyyy-MM-dd}. */
        DATE,
        /** A type the subset does not cover: only {@code null} is read here. */
        NULL_ONLY,
        /** The corrupt-record field: always null for a record read here, and not a JSON key. */
        CORRUPT
    }

    /** Where a record read here is written: Spark's row writer, behind {@link SparkJson}. */
    interface Row {
        void setNullAt(int ordinal);

        void setBoolean(int ordinal, boolean value);

        void setByte(int ordinal, byte value);

        void setShort(int ordinal, short value);

        void setInt(int ordinal, int value);

        void setLong(int ordinal, long value);

        void setDouble(int ordinal, double value);

        /** A string field: the UTF-8 bytes {@code bytes[offset .. offset + length)}. */
        void setUtf8(int ordinal, byte[] bytes, int offset, int length);
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte VALUE = 2;

    private final Kind[] kinds;
    private final byte[][] names;
    private final int[] lookupOrder;

    // one record's state: reused, reset per record
    private final byte[] state;
    private final long[] longs;
    private final double[] doubles;
    private final int[] starts;
    private final int[] ends;
    private byte[] in;
    private int at;
    private long number;
    private double decimal;

    private StrictJson(Kind[] kinds, byte[][] names) {
        this.kinds = kinds;
        this.names = names;
        this.lookupOrder = new int[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            lookupOrder[i] = i;
        }
        this.state = new byte[kinds.length];
        this.longs = new long[kinds.length];
        this.doubles = new double[kinds.length];
        this.starts = new int[kinds.length];
        this.ends = new int[kinds.length];
    }

    /**
     * The fast path for {@code schema} (its corrupt-record field named {@code corrupt}, or none);
     * empty when no field would be read by it (every field of a type it does not cover). With
     * {@code datetimes} false (Spark's legacy time parser), dates and timestamps are left to Spark.
     */
    static Optional<StrictJson> of(StructType schema, Optional<String> corrupt, boolean datetimes) {
        requireNonNull(schema, "schema");
        requireNonNull(corrupt, "corrupt");
        StructField[] fields = schema.fields();
        Kind[] kinds = new Kind[fields.length];
        byte[][] names = new byte[fields.length][];
        boolean any = false;
        for (int i = 0; i < fields.length; i++) {
            if (corrupt.isPresent() && fields[i].name().equals(corrupt.get())) {
                kinds[i] = Kind.CORRUPT;
                continue;
            }
            kinds[i] = kind(fields[i].dataType(), datetimes);
            names[i] = fields[i].name().getBytes(StandardCharsets.UTF_8);
            any |= kinds[i] != Kind.NULL_ONLY;
        }
        return any ? Optional.of(new StrictJson(kinds, names)) : Optional.empty();
    }

    private static Kind kind(DataType type, boolean datetimes) {
        if (datetimes && type instanceof TimestampType) {
            return Kind.TIMESTAMP;
        } else if (datetimes && type instanceof DateType) {
            return Kind.DATE;
        }
        if (type instanceof BooleanType) {
            return Kind.BOOLEAN;
        } else if (type instanceof ByteType) {
            return Kind.BYTE;
        } else if (type instanceof ShortType) {
            return Kind.SHORT;
        } else if (type instanceof IntegerType) {
            return Kind.INT;
        } else if (type instanceof LongType) {
            return Kind.LONG;
        } else if (type instanceof DoubleType) {
            return Kind.DOUBLE;
        } else if (type instanceof StringType string && string.isUTF8BinaryCollation()) {
            return Kind.STRING;
        }
        return Kind.NULL_ONLY;
    }

    /**
     * Reads {@code value} into {@code row} when every token is in the subset; false, with {@code
     * row} untouched, when Spark's parser must decode it.
     */
    boolean read(byte[] value, Row row) {
        Arrays.fill(state, ABSENT);
        in = value;
        at = 0;
        try {
            if (!object()) {
                return false;
            }
        } finally {
            in = null;
        }
        for (int i = 0; i < kinds.length; i++) {
            if (state[i] != VALUE) {
                row.setNullAt(i);
                continue;
            }
            switch (kinds[i]) {
                case BOOLEAN -> row.setBoolean(i, longs[i] != 0);
                case BYTE -> row.setByte(i, (byte) longs[i]);
                case SHORT -> row.setShort(i, (short) longs[i]);
                case INT -> row.setInt(i, (int) longs[i]);
                case LONG -> row.setLong(i, longs[i]);
                case DOUBLE -> row.setDouble(i, doubles[i]);
                case STRING -> row.setUtf8(i, value, starts[i], ends[i] - starts[i]);
                case TIMESTAMP -> row.setLong(i, longs[i]);
                case DATE -> row.setInt(i, (int) longs[i]);
                default -> throw new IllegalStateException("no value is kept for " + kinds[i]);
            }
        }
        return true;
    }

    private boolean object() {
        space();
        if (!take('{')) {
            return false;
        }
        space();
        if (!take('}')) {
            int previous = -1;
            while (true) {
                int field = name(previous);
                if (field == -2) {
                    return false;
                }
                space();
                if (!take(':')) {
                    return false;
                }
                space();
                if (!(field < 0 ? skip() : value(field))) {
                    return false;
                }
                previous = field;
                space();
                if (take('}')) {
                    break;
                }
                if (!take(',')) {
                    return false;
                }
                space();
            }
        }
        space();
        return at == in.length;
    }

    /** The ordinal of the key at {@code at}; -1 for a key the schema does not have; -2 for one outside the subset. */
    private int name(int previous) {
        if (!take('"')) {
            return -2;
        }
        int start = at;
        while (at < in.length) {
            byte b = in[at];
            if (b == '"') {
                break;
            }
            if (b < 0x20 || b > 0x7E || b == '\\') {
                return -2;
            }
            at++;
        }
        if (at == in.length) {
            return -2;
        }
        int end = at++;
        // producers write keys in one order: the field after the last one found is tried first
        int n = kinds.length;
        for (int i = 0; i < n; i++) {
            int candidate = (previous + 1 + i) % n;
            byte[] name = names[candidate];
            if (name != null && Arrays.equals(in, start, end, name, 0, name.length)) {
                if (state[candidate] != ABSENT) {
                    return -2; // a duplicate: Spark's rule, not the subset's
                }
                return candidate;
            }
        }
        return -1;
    }

    private boolean value(int field) {
        if (literal("null")) {
            state[field] = NULL;
            return true;
        }
        Kind kind = kinds[field];
        boolean read = switch (kind) {
            case BOOLEAN -> bool(field);
            case BYTE -> integer(field, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SHORT -> integer(field, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
            case DOUBLE -> real(field);
            case STRING -> string(field);
            case TIMESTAMP -> timestamp(field);
            case DATE -> date(field);
            default -> false;
        };
        if (read) {
            state[field] = VALUE;
        }
        return read;
    }

    /** A value of a key the schema does not have: a scalar of the subset, read and dropped as Spark drops it. */
    private boolean skip() {
        if (at >= in.length) {
            return false;
        }
        byte b = in[at];
        if (b == '"') {
            return string(-1);
        } else if (b == '-' || (b >= '0' && b <= '9')) {
            return numberToken() != 0;
        }
        return literal("null") || literal("true") || literal("false");
    }

    private boolean bool(int field) {
        if (literal("true")) {
            longs[field] = 1;
            return true;
        } else if (literal("false")) {
            longs[field] = 0;
            return true;
        }
        return false;
    }

    private boolean integer(int field, long min, long max) {
        if (numberToken() != INTEGER_TOKEN) {
            return false;
        }
        if (number < min || number > max) {
            return false;
        }
        longs[field] = number;
        return true;
    }

    private boolean real(int field) {
        int token = numberToken();
        if (token == INTEGER_TOKEN) {
            doubles[field] = number; // Jackson reads an integer token as its long, then widens it
            return true;
        } else if (token == REAL_TOKEN) {
            doubles[field] = decimal;
            return true;
        }
        return false;
    }

    /** {@code "yyyy-MM-dd"}: the days since the epoch. */
    private boolean date(int field) {
        if (!take('"') || !civilDate() || !take('"')) {
            return false;
        }
        longs[field] = day;
        return true;
    }

    /** {@code "yyyy-MM-dd(T| )HH:mm:ss(.f{1,6})?(Z|(+|-)HH:mm)"}: the microseconds since the epoch. */
    private boolean timestamp(int field) {
        if (!take('"') || !civilDate() || !(take('T') || take(' '))) {
            return false;
        }
        int hour = digits(2, 0, 23);
        if (hour < 0 || !take(':')) {
            return false;
        }
        int minute = digits(2, 0, 59);
        if (minute < 0 || !take(':')) {
            return false;
        }
        int second = digits(2, 0, 59);
        if (second < 0) {
            return false;
        }
        long micros = 0;
        if (take('.')) {
            int fraction = 0;
            while (at < in.length && digit(in[at])) {
                if (++fraction > 6) {
                    return false;
                }
                micros = micros * 10 + (in[at++] - '0');
            }
            if (fraction == 0) {
                return false;
            }
            for (int i = fraction; i < 6; i++) {
                micros *= 10;
            }
        }
        int offset;
        if (take('Z')) {
            offset = 0;
        } else if (at < in.length && (in[at] == '+' || in[at] == '-')) {
            int sign = in[at++] == '-' ? -1 : 1;
            int hours = digits(2, 0, 17);
            if (hours < 0 || !take(':')) {
                return false;
            }
            int minutes = digits(2, 0, 59);
            if (minutes < 0) {
                return false;
            }
            offset = sign * (hours * 3600 + minutes * 60);
        } else {
            return false; // no offset: the session's zone and its rules, Spark's to apply
        }
        if (!take('"')) {
            return false;
        }
        long seconds = day * 86_400L + hour * 3600L + minute * 60L + second - offset;
        longs[field] = seconds * 1_000_000L + micros;
        return true;
    }

    /** The day {@link #civilDate} read, in days since 1970-01-01. */
    private long day;

    /** {@code yyyy-MM-dd} of the proleptic Gregorian calendar (Spark's and java.time's), years 1000 to 9999. */
    private boolean civilDate() {
        int year = digits(4, 1000, 9999);
        if (year < 0 || !take('-')) {
            return false;
        }
        int month = digits(2, 1, 12);
        if (month < 0 || !take('-')) {
            return false;
        }
        int dayOfMonth = digits(2, 1, java.time.YearMonth.of(year, month).lengthOfMonth());
        if (dayOfMonth < 0) {
            return false;
        }
        day = java.time.LocalDate.of(year, month, dayOfMonth).toEpochDay();
        return true;
    }

    /** Exactly {@code count} digits as a number from {@code min} to {@code max}, or -1. */
    private int digits(int count, int min, int max) {
        if (at + count > in.length) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < count; i++) {
            byte b = in[at + i];
            if (!digit(b)) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        if (value < min || value > max) {
            return -1;
        }
        at += count;
        return value;
    }

    private boolean string(int field) {
        if (!take('"')) {
            return false;
        }
        int start = at;
        while (at < in.length) {
            byte b = in[at];
            if (b == '"') {
                if (field >= 0) {
                    starts[field] = start;
                    ends[field] = at;
                }
                at++;
                return true;
            }
            if (b < 0x20 || b > 0x7E || b == '\\') {
                return false;
            }
            at++;
        }
        return false;
    }

    private static final int NOT_A_NUMBER = 0;
    private static final int INTEGER_TOKEN = 1;
    private static final int REAL_TOKEN = 2;
    /** The longest token read here; Jackson's own limit is 1,000 characters. */
    private static final int MAX_TOKEN = 100;

    /**
     * One number token by JSON's grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}):
     * an integer token that fits a {@code long} in {@link #number}, a real token in {@link
     * #decimal} (correctly rounded); {@link #NOT_A_NUMBER} for anything else, which includes what
     * Jackson reads but the subset leaves to it (integers beyond a {@code long}, very long tokens).
     */
    private int numberToken() {
        int start = at;
        boolean negative = take('-');
        if (at >= in.length || !digit(in[at])) {
            return NOT_A_NUMBER;
        }
        long mantissa = 0;
        int significant = 0;
        boolean overflow = false;
        if (in[at] == '0') {
            at++;
            if (at < in.length && digit(in[at])) {
                return NOT_A_NUMBER; // a leading zero: Jackson refuses it
            }
        } else {
            while (at < in.length && digit(in[at])) {
                int d = in[at++] - '0';
                significant++;
                if (mantissa > (Long.MAX_VALUE - d) / 10) {
                    overflow = true;
                } else if (!overflow) {
                    mantissa = mantissa * 10 + d;
                }
            }
        }
        boolean real = false;
        int scale = 0;
        if (at < in.length && in[at] == '.') {
            real = true;
            at++;
            if (at >= in.length || !digit(in[at])) {
                return NOT_A_NUMBER;
            }
            while (at < in.length && digit(in[at])) {
                int d = in[at++] - '0';
                if (significant == 0 && d == 0) {
                    scale--; // a zero before the first significant digit only moves the point
                    continue;
                }
                significant++;
                if (significant <= 15) {
                    mantissa = mantissa * 10 + d;
                    scale--;
                }
            }
        }
        int exponent = 0;
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            real = true;
            at++;
            boolean negativeExponent = false;
            if (at < in.length && (in[at] == '+' || in[at] == '-')) {
                negativeExponent = in[at++] == '-';
            }
            if (at >= in.length || !digit(in[at])) {
                return NOT_A_NUMBER;
            }
            while (at < in.length && digit(in[at])) {
                exponent = Math.min(exponent * 10 + (in[at++] - '0'), 100_000);
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (at - start > MAX_TOKEN) {
            return NOT_A_NUMBER;
        }
        if (!real) {
            if (overflow) {
                return NOT_A_NUMBER;
            }
            number = negative ? -mantissa : mantissa;
            return INTEGER_TOKEN;
        }
        int power = scale + exponent;
        if (significant <= 15 && Math.abs(power) <= 22) {
            // both operands exact (a mantissa below 2^53, a power of ten up to 1e22): one IEEE operation rounds
            // correctly
            double exact = mantissa;
            exact = power >= 0 ? exact * POWERS_OF_TEN[power] : exact / POWERS_OF_TEN[-power];
            decimal = negative ? -exact : exact;
        } else {
            decimal = Double.parseDouble(new String(in, start, at - start, StandardCharsets.ISO_8859_1));
        }
        return REAL_TOKEN;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** {@code word} at {@code at}, not followed by more of a word (Jackson reads {@code truex} as one bad token). */
    private boolean literal(String word) {
        int end = at + word.length();
        if (end > in.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[at + i] != word.charAt(i)) {
                return false;
            }
        }
        if (end < in.length && !delimiter(in[end])) {
            return false;
        }
        at = end;
        return true;
    }

    private static boolean delimiter(byte b) {
        return b == ',' || b == '}' || b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private boolean take(char expected) {
        if (at < in.length && in[at] == expected) {
            at++;
            return true;
        }
        return false;
    }

    private void space() {
        while (at < in.length) {
            byte b = in[at];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            at++;
        }
    }
}
