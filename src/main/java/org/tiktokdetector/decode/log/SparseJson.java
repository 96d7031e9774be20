package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Reads a log line into a sparse Jackson tree: only the fields {@link LogLineDecoder} reads ({@link Keep#LINE}),
 * with the very nodes Jackson's tree deserializer would make for them, so that the decoders, their results and
 * their messages are what a full tree gives. A full tree of every line was the job's largest CPU item
 * (README "Performance"); skipped fields cost no String, node or map entry.
 *
 * <p>Two readers: {@link #scan} for the common line (plain ASCII), a hand-written scanner that gives up on
 * anything beyond that subset of JSON, and {@link #read} on a Jackson {@link JsonParser} for every other line
 * and for the messages of malformed ones.
 */
final class SparseJson {
    static final JsonFactory JSON = FlowRecordJson.MAPPER.getFactory();
    private static final JsonNodeFactory NODES = FlowRecordJson.MAPPER.getNodeFactory();

    private SparseJson() {}

    /**
     * Which parts of a JSON value the decoders read. A field missing here reads as absent, so every field the
     * decoders look at must be listed, in every dialect: the dialect is only known once the whole line is read
     * (JSON field order is free).
     */
    static final class Keep {
        /** The whole value. */
        static final Keep ALL = new Keep(new String[0], new Keep[0]);
        /** Only that the field is there ({@link JsonNode#has}): the value is skipped. */
        static final Keep PRESENCE = new Keep(new String[0], new Keep[0]);
        /** Stands for a field kept as {@link #PRESENCE}. */
        static final JsonNode PRESENT = MissingNode.getInstance();

        /** Of an object, the fields kept, by name and by name bytes (open addressing on String.hashCode). */
        private final String[] names;
        private final Keep[] keeps;
        private final byte[][] bytes;

        private Keep(String[] names, Keep[] keeps) {
            int size = Integer.highestOneBit(Math.max(1, names.length) * 4);
            this.names = new String[size];
            this.keeps = new Keep[size];
            this.bytes = new byte[size][];
            for (int i = 0; i < names.length; i++) {
                int slot = slot(names[i].hashCode());
                while (this.names[slot] != null) {
                    slot = (slot + 1) & (size - 1);
                }
                this.names[slot] = names[i];
                this.keeps[slot] = keeps[i];
                this.bytes[slot] = names[i].getBytes(StandardCharsets.ISO_8859_1);
            }
        }

        private int slot(int hash) {
            return (hash ^ (hash >>> 16)) & (names.length - 1);
        }

        static Keep only(Object... nameThenKeep) {
            String[] names = new String[nameThenKeep.length / 2];
            Keep[] keeps = new Keep[names.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = (String) nameThenKeep[2 * i];
                keeps[i] = (Keep) nameThenKeep[2 * i + 1];
            }
            return new Keep(names, keeps);
        }

        /** How to keep the named field of an object kept this way; null = skip it. */
        Keep field(String name) {
            if (this == ALL) {
                return ALL;
            }
            for (int slot = slot(name.hashCode()); names[slot] != null; slot = (slot + 1) & (names.length - 1)) {
                if (names[slot].equals(name)) {
                    return keeps[slot];
                }
            }
            return null;
        }

        /** The slot of the field named by {@code b[from..to)} (its String.hashCode is {@code hash}); -1 = skip it. */
        int slot(byte[] b, int from, int to, int hash) {
            for (int slot = slot(hash); names[slot] != null; slot = (slot + 1) & (names.length - 1)) {
                if (Arrays.equals(bytes[slot], 0, bytes[slot].length, b, from, to)) {
                    return slot;
                }
            }
            return -1;
        }

        /** {@code nameThenKeep} and, where it does not name them, each of {@code names} kept as PRESENCE. */
        private static Object[] withPresence(Collection<String> names, Object... nameThenKeep) {
            List<Object> all = new ArrayList<>(List.of(nameThenKeep));
            for (String n : names) {
                if (!all.contains(n)) {
                    all.add(n);
                    all.add(PRESENCE);
                }
            }
            return all.toArray();
        }

        /** What the decoders read of a line: LogLineDecoder.dispatch, own, zeek*, suricata*, ZeekSignatures. */
        static final Keep LINE = only(withPresence(ZeekSignatures.FIELDS,
                // dialect detection
                "event_type", ALL, "_path", ALL, "ts", ALL, "id", ALL, "uid", PRESENCE, "uids", PRESENCE,
                "fuid", PRESENCE, "trans_id", PRESENCE, "client_initial_dcid", PRESENCE, "client_scid", PRESENCE,
                "history", PRESENCE, "ssl_history", PRESENCE, "cipher", PRESENCE, "trans_depth", PRESENCE,
                "method", PRESENCE, "uri", PRESENCE,
                // own flow records (FlowRecordJson.read)
                "kind", ALL, "client_ip", ALL, "client_port", ALL, "server_ip", ALL, "server_port", ALL,
                "name", ALL, "sensor", ALL, "transport", ALL, "qtype", ALL, "answers", ALL, "alpn", ALL, "ech", ALL,
                "device_id", ALL, "mac", ALL, "user_agent", ALL, "tunnel", ALL,
                // Zeek
                "id.orig_h", ALL, "id.orig_p", ALL, "id.resp_h", ALL, "id.resp_p", ALL, "_system_name", ALL,
                "proto", ALL, "query", ALL, "qtype_name", ALL, "TTLs", ALL, "server_name", ALL, "host", ALL,
                "client_protocol", ALL, "version", ALL,
                // Zeek log signatures that check a value (the others' fields are added as PRESENCE)
                "level", ALL,
                // Suricata EVE
                "timestamp", ALL, "src_ip", ALL, "src_port", ALL, "dest_ip", ALL, "dest_port", ALL,
                "tls", only("sni", ALL, "client_alpns", ALL), "quic", only("sni", ALL), "http", only("hostname", ALL, "http_user_agent", ALL),
                "dns", only("type", ALL, "rrname", ALL, "rrtype", ALL, "rdata", ALL, "ttl", ALL, "grouped", ALL,
                        "queries", only("rrname", ALL, "rrtype", ALL),
                        "answers", only("rrtype", ALL, "rdata", ALL, "ttl", ALL))));
    }

    // ------------------------------------------------------------------------------------------ Jackson

    /**
     * Reads one JSON value with Jackson, as {@link Keep#LINE} keeps it; rejects trailing tokens with the message
     * Jackson's {@code FAIL_ON_TRAILING_TOKENS} gives (reasons must not change with the parser).
     */
    static JsonNode read(JsonParser p) throws IOException {
        JsonNode v = value(p, p.nextToken(), Keep.LINE);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw MismatchedInputException.from(p, JsonNode.class, "Trailing token (of type " + trailing
                    + ") found after value (bound as `" + JsonNode.class.getName()
                    + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        }
        return v;
    }

    /**
     * The value starting at token {@code t}, kept as {@code keep} says (nodes as Jackson's tree deserializer
     * makes them); null, and only read through, when keep is null. It walks objects with nextFieldName and arrays
     * with nextToken as that deserializer does, skipped values too (not skipChildren): the parser words some
     * errors differently on the two paths ("expected a value" against "expected a valid value (...)").
     */
    private static JsonNode value(JsonParser p, JsonToken t, Keep keep) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = keep == null ? null : NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    Keep k = keep == null ? null : keep.field(name);
                    JsonNode v = value(p, p.nextToken(), k == Keep.PRESENCE ? null : k);
                    if (k != null) {
                        o.set(name, k == Keep.PRESENCE ? Keep.PRESENT : v);
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = keep == null ? null : NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    JsonNode v = value(p, e, keep);
                    if (a != null) {
                        a.add(v);
                    }
                }
                return a;
            }
            default -> {
                return keep == null ? null : scalar(p, t);
            }
        }
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        };
    }

    // ------------------------------------------------------------------------------------------ scanner

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
     * Scans a line that is one JSON object in plain ASCII: the same tree {@link #read} makes, at a fraction of
     * the cost of Jackson's tokenizer. Returns null when the line is anything else (blank, '#', not an object,
     * malformed, non-ASCII, a kept string with an escape, an integer beyond a long, ...): the caller then reads
     * it with Jackson. It never accepts what Jackson rejects: whatever it is not sure of, it leaves.
     */
    static JsonNode scan(byte[] line) {
        Scanner s = new Scanner(line);
        try {
            s.ws();
            if (s.peek() != '{') {
                return null;
            }
            JsonNode v = s.value(Keep.LINE);
            s.ws();
            return s.i == line.length ? v : null;
        } catch (GiveUp e) {
            return null;
        }
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
            ObjectNode o = keep == null ? null : NODES.objectNode();
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
                    int slot = keep.slot(b, from, to, hash);
                    Keep k = slot < 0 ? null : keep.keeps[slot];
                    if (k == null || k == Keep.PRESENCE) {
                        value(null);
                        if (k != null) {
                            o.set(keep.names[slot], Keep.PRESENT);
                        }
                    } else {
                        o.set(keep.names[slot], value(k));
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
                // What Jackson's getDoubleValue does with the number's text.
                return NODES.numberNode(Double.parseDouble(new String(b, from, i - from, StandardCharsets.ISO_8859_1)));
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
