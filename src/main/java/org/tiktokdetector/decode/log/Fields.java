package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.records.Timestamps;

import java.util.Locale;

/**
 * Reads and checks the fields of a log record for the dialect decoders: a field of the wrong kind makes the record
 * malformed, with a message naming the log, the field and what was expected.
 */
final class Fields {
    private Fields() {}

    static String typeName(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    /** An ISO-8601 time of {@code field}; a text that is no such time is malformed in the formatter's words. */
    static long iso(String text, String log, String field) throws MalformedRecordException {
        long t;
        try {
            t = Timestamps.fromIso(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
        if (!Timestamps.inRange(t)) {
            throw outOfRange(log, field, "\"" + text + "\"");
        }
        return t;
    }

    /** A time outside 1970 to 9999 ({@link Timestamps#inRange}); {@code written} is how the line gives it. */
    static MalformedRecordException outOfRange(String log, String field, String written) {
        return new MalformedRecordException(log + ": " + Timestamps.outOfRange(field, written));
    }

    /** A required non-empty string field; {@code path} is how the message names it ("query", "dns.rrname"). */
    static String requiredString(JsonNode o, String field, String log, String path) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new MalformedRecordException(log + " without \"" + path + "\"");
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + path + "\" is " + typeName(v) + ", expected a string");
        }
        return v.asText();
    }

    static String optionalString(JsonNode o, String field, String log, String path) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + path + "\" is " + typeName(v) + ", expected a string");
        }
        return v.asText();
    }

    static JsonNode requiredObject(JsonNode o, String field, String log) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedRecordException(log + " without \"" + field + "\" object");
        }
        if (!v.isObject()) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is " + typeName(v) + ", expected an object");
        }
        return v;
    }

    static String ip(JsonNode v, String log, String field) throws MalformedRecordException {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new MalformedRecordException(log + " without \"" + field + "\"");
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is " + typeName(v) + ", expected an IP address string");
        }
        String s = v.asText();
        if (!isIpv4(s) && !isIpv6(s)) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is not an IP address: \"" + abbreviate(s) + "\"");
        }
        return s;
    }

    /** A port number; 0 when absent (e.g. ICMP). */
    static int port(JsonNode v, String log, String field) throws MalformedRecordException {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 65535) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is not a port number: " + abbreviate(v.toString()));
        }
        return v.asInt();
    }

    static String transport(String proto) {
        if (proto == null) {
            return null;
        }
        if (proto.equalsIgnoreCase("udp")) {
            return "udp";
        }
        if (proto.equalsIgnoreCase("tcp")) {
            return "tcp";
        }
        return proto.toLowerCase(Locale.ROOT);
    }

    /** "host:8080" → "host", "[v6]:80" → "v6"; a bare IPv6 literal is left alone. */
    static String stripPort(String h) {
        if (!h.isEmpty() && h.charAt(0) == '[') {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int c = h.indexOf(':');
        if (c < 0 || h.indexOf(':', c + 1) >= 0) {
            return h;
        }
        for (int i = c + 1; i < h.length(); i++) {
            char ch = h.charAt(i);
            if (ch < '0' || ch > '9') {
                return h;
            }
        }
        return h.substring(0, c);
    }

    static boolean isIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    /** Loose IPv6 literal check: hex digits, colons (at least two), an optional embedded IPv4 or %zone. */
    static boolean isIpv6(String s) {
        int n = s.length();
        if (n < 2 || n > 45) {
            return false;
        }
        int colons = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
            } else if (c == '%') {
                break;
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.')) {
                return false;
            }
        }
        return colons >= 2 && colons <= 7;
    }
}
