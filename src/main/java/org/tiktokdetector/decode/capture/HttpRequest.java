package org.tiktokdetector.decode.capture;

import java.nio.charset.StandardCharsets;

/**
 * The Host and User-Agent headers of a plain-text HTTP/1.x request. Only the first request of a connection is read
 * (keep-alive requests after it are not), and only requests with a standard method.
 */
final class HttpRequest {
    private static final byte[][] METHODS = {
            ascii("GET "), ascii("POST "), ascii("HEAD "), ascii("PUT "), ascii("DELETE "), ascii("OPTIONS "),
            ascii("CONNECT "), ascii("PATCH "), ascii("TRACE ")};

    /** The headers read: a name (lower case, with its colon), and whether its value is a phrase, spaces and all. */
    enum Header {
        HOST("host:", false), USER_AGENT("user-agent:", true);

        final byte[] name;
        final boolean phrase;

        Header(String name, boolean phrase) {
            this.name = ascii(name);
            this.phrase = phrase;
        }
    }

    private HttpRequest() {}

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** True when {@code b[off, off + len)} starts with a method token and a space. */
    static boolean startsWithMethod(byte[] b, int off, int len) {
        for (byte[] m : METHODS) {
            if (len >= m.length && java.util.Arrays.equals(b, off, off + m.length, m, 0, m.length)) {
                return true;
            }
        }
        return false;
    }

    /** Index just after the blank line that ends the headers, or -1 while it has not arrived. */
    static int headersEnd(byte[] b, int off, int len) {
        for (int i = off; i + 3 < off + len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The value of the first such header in {@code b[off, end)}, trimmed, as on the wire; null if none. */
    static String header(byte[] b, int off, int end, Header header) {
        byte[] name = header.name;
        for (int line = off; line < end; ) {
            int eol = line;
            while (eol < end && b[eol] != '\n') {
                eol++;
            }
            if (line > off && eol - line > name.length && startsWithIgnoreCase(b, line, name)) {
                int from = line + name.length;
                int to = eol;
                while (from < to && (b[from] == ' ' || b[from] == '\t')) {
                    from++;
                }
                while (to > from && (b[to - 1] == '\r' || b[to - 1] == ' ' || b[to - 1] == '\t')) {
                    to--;
                }
                return from >= to ? null : header.phrase ? Bytes.phrase(b, from, to - from) : Bytes.text(b, from, to - from);
            }
            line = eol + 1;
        }
        return null;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int at, byte[] lowerCase) {
        for (int i = 0; i < lowerCase.length; i++) {
            if ((b[at + i] | 0x20) != lowerCase[i] && b[at + i] != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }
}
