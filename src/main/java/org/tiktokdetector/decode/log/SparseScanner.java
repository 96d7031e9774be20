package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static org.tiktokdetector.decode.log.SparseReader.NODES;

/**
 * A hand-written scanner for the common log line, one JSON object in plain ASCII: the sparse tree {@link SparseReader}
 * makes, at a fraction of the cost of Jackson's tokenizer. It gives up on anything beyond that subset of JSON, and the
 * caller then reads the line with {@link SparseReader}.
 */
final class SparseScanner {
    private SparseScanner() {}

    /** Thrown (without a trace) where the scanner gives up on a line. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    /** Deeper than anything a sensor writes, far below Jackson's nesting limit (1000). */
    private static final int MAX_DEPTH = 64;
    /** Longer numbers are left to Jackson (its own limit is 1000 characters). */
    private static final int MAX_NUMBER = 64;

    /**
     * Scans a line that is one JSON object in plain ASCII, kept as {@code keep} says. Returns null when the line is
     * anything else (blank, '#', not an object, malformed, non-ASCII, a kept string with an escape, an integer beyond
     * a long, ...): the caller then reads it with Jackson. It never accepts what Jackson rejects: whatever it is not
     * sure of, it leaves.
     */
    static JsonNode scan(byte[] line, Keep keep) {
        Scanner s = new Scanner(line);
        try {
            s.ws();
            if (s.peek() != '{') {
                return null;
            }
            JsonNode v = s.value(keep);
            s.ws();
            return s.i == line.length ? v : null;
        } catch (GiveUp e) {
            return null;
        }
    }

    /** Powers of ten that a double holds exactly. */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int k = 1; k < POWERS_OF_TEN.length; k++) {
            POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
        }
    }

    /**
     * The double of a JSON number's text {@code b[from..to)}, as {@code Double.parseDouble} (Jackson's getDoubleValue)
     * gives it. Zeek's times ("1795510800.000417") take the exact fast path: digits that make at most 2^53, divided by
     * a power of ten up to 10^22, are two exact doubles, and IEEE division rounds their quotient correctly, so the
     * result is the correctly rounded value of the text. Anything else (an exponent, more digits) is parsed in full.
     */
    static double decimal(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        long digits = 0;
        int count = 0;
        int afterPoint = -1;
        for (int k = negative ? from + 1 : from; k < to; k++) {
            int c = b[k];
            if (c == '.') {
                afterPoint = 0;
            } else if (c >= '0' && c <= '9' && count < 18) {
                count++;
                digits = digits * 10 + (c - '0');
                if (afterPoint >= 0) {
                    afterPoint++;
                }
            } else {
                return parsedInFull(b, from, to); // an exponent, or more digits than a long surely holds
            }
        }
        if (digits > 1L << 53 || afterPoint >= POWERS_OF_TEN.length) {
            return parsedInFull(b, from, to);
        }
        double v = afterPoint > 0 ? digits / POWERS_OF_TEN[afterPoint] : digits;
        return negative ? -v : v;
    }

    private static double parsedInFull(byte[] b, int from, int to) {
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static final class Scanner {
        private final byte[] b;
        private int i;
        private int depth;

        Scanner(byte[] b) {
            this.b = b;
        }

        /** The byte at the position, or -1 at the end. */
        int peek() {
            return i < b.length ? b[i] : -1;
        }

        void ws() {
            while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                i++;
            }
        }

        void expect(char c) {
            ws();
            if (peek() != c) {
                throw GiveUp.INSTANCE;
            }
            i++;
            ws();
        }

        /** The value at the position, kept as {@code keep} says; null (and only checked) when keep is null. */
        JsonNode value(Keep keep) {
            int c = peek();
            if (c == '{') {
                return object(keep);
            }
            if (c == '[') {
                return array(keep);
            }
            if (c == '"') {
                int from = i + 1;
                int to = string();
                if (keep == null) {
                    return null;
                }
                if (to < 0) {
                    throw GiveUp.INSTANCE; // escapes: Jackson decodes them
                }
                return NODES.textNode(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number(keep != null);
            }
            if (literal("true")) {
                return NODES.booleanNode(true);
            }
            if (literal("false")) {
                return NODES.booleanNode(false);
            }
            if (literal("null")) {
                return NODES.nullNode();
            }
            throw GiveUp.INSTANCE;
        }

        private ObjectNode object(Keep keep) {
            if (++depth > MAX_DEPTH) {
                throw GiveUp.INSTANCE;
            }
            i++;
            ws();
            KeptFields kept = keep == null || keep == Keep.ALL ? null : new KeptFields(keep);
            ObjectNode o = keep == null ? null : kept == null ? NODES.objectNode() : new ObjectNode(NODES, kept);
            if (peek() == '}') {
                i++;
                depth--;
                return o;
            }
            while (true) {
                if (peek() != '"') {
                    throw GiveUp.INSTANCE;
                }
                int from = ++i;
                int hash = 0;
                for (int c; (c = b.length > i ? b[i] : -1) != '"'; i++) {
                    if (c < 0x20 || c == '\\') {
                        throw GiveUp.INSTANCE; // the end, a control or non-ASCII byte, or an escape
                    }
                    hash = 31 * hash + c;
                }
                int to = i++;
                expect(':');
                if (keep == null) {
                    value(null);
                } else if (keep == Keep.ALL) {
                    o.set(new String(b, from, to - from, StandardCharsets.ISO_8859_1), value(Keep.ALL));
                } else {
                    int index = keep.index(b, from, to, hash);
                    Keep k = index < 0 ? null : keep.keep(index);
                    if (k == null || k == Keep.PRESENCE) {
                        value(null);
                        if (k != null) {
                            kept.put(index, Keep.PRESENT);
                        }
                    } else {
                        kept.put(index, value(k));
                    }
                }
                ws();
                int c = peek();
                i++;
                if (c == '}') {
                    depth--;
                    return o;
                }
                if (c != ',') {
                    throw GiveUp.INSTANCE;
                }
                ws();
            }
        }

        private ArrayNode array(Keep keep) {
            if (++depth > MAX_DEPTH) {
                throw GiveUp.INSTANCE;
            }
            i++;
            ws();
            ArrayNode a = keep == null ? null : NODES.arrayNode();
            if (peek() == ']') {
                i++;
                depth--;
                return a;
            }
            while (true) {
                JsonNode v = value(keep);
                if (a != null) {
                    a.add(v);
                }
                ws();
                int c = peek();
                i++;
                if (c == ']') {
                    depth--;
                    return a;
                }
                if (c != ',') {
                    throw GiveUp.INSTANCE;
                }
                ws();
            }
        }

        /**
         * Skips a string at the position (its opening quote), checking its escapes as Jackson does.
         * @return the index of the closing quote, or -1 when the string has escapes
         */
        private int string() {
            i++;
            boolean escaped = false;
            while (true) {
                int c = peek();
                if (c == '"') {
                    int end = i++;
                    return escaped ? -1 : end;
                }
                if (c < 0x20) {
                    throw GiveUp.INSTANCE; // the end, a control or non-ASCII byte
                }
                if (c == '\\') {
                    escaped = true;
                    i++;
                    int e = peek();
                    if (e == 'u') {
                        for (int k = 1; k <= 4; k++) {
                            if (i + k >= b.length || Character.digit(b[i + k], 16) < 0) {
                                throw GiveUp.INSTANCE;
                            }
                        }
                        i += 4;
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw GiveUp.INSTANCE;
                    }
                }
                i++;
            }
        }

        /** A number as Jackson's grammar has it: no leading zeros, digits after '.' and 'e'. */
        private JsonNode number(boolean keep) {
            int from = i;
            boolean negative = peek() == '-';
            if (negative) {
                i++;
            }
            int intFrom = i;
            if (peek() == '0') {
                i++;
            } else {
                digits();
            }
            int intTo = i;
            boolean fraction = false;
            if (peek() == '.') {
                i++;
                fraction = true;
                digits();
            }
            int c = peek();
            if (c == 'e' || c == 'E') {
                i++;
                fraction = true;
                c = peek();
                if (c == '+' || c == '-') {
                    i++;
                }
                digits();
            }
            if (!delimiter(peek()) || i - from > MAX_NUMBER) {
                throw GiveUp.INSTANCE; // "01", "1x", very long numbers
            }
            if (!keep) {
                return null;
            }
            if (fraction) {
                return NODES.numberNode(decimal(b, from, i));
            }
            if (intTo - intFrom > 18) {
                throw GiveUp.INSTANCE; // maybe beyond a long: Jackson makes a BigInteger node
            }
            long v = 0;
            for (int k = intFrom; k < intTo; k++) {
                v = v * 10 + (b[k] - '0');
            }
            if (negative) {
                if (v == 0) {
                    throw GiveUp.INSTANCE; // "-0": left to Jackson
                }
                v = -v;
            }
            // Jackson's number type: INT when it fits, else LONG.
            return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }

        private static boolean delimiter(int c) {
            return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == -1;
        }

        private int peekAt(int at) {
            return at < b.length ? b[at] : -1;
        }

        /** One or more digits. */
        private void digits() {
            int from = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == from) {
                throw GiveUp.INSTANCE;
            }
        }

        private boolean literal(String word) {
            int n = word.length();
            if (i + n > b.length) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                if (b[i + k] != word.charAt(k)) {
                    return false;
                }
            }
            if (!delimiter(peekAt(i + n))) {
                throw GiveUp.INSTANCE; // "truex", "nullnull"
            }
            i += n;
            return true;
        }
    }
}
