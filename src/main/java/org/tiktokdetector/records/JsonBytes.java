package org.tiktokdetector.records;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of UTF-8 JSON text, reused from record to record: writing a record allocates nothing,
 * where a Jackson generator per record cost more than decoding the packet behind it. Strings are escaped
 * as Jackson escapes them ({@code "}, {@code \}, and control characters: {@code \n}-style where JSON has
 * a short form, else {@code \}{@code u00XX} in upper-case hex; everything else as is), so the bytes are
 * those Jackson would write.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int length;

    public JsonBytes(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    public int length() {
        return length;
    }

    /** Writes the buffered bytes to {@code out} and empties the buffer. */
    public void drainTo(OutputStream out) throws IOException {
        out.write(buf, 0, length);
        length = 0;
    }

    @Override
    public String toString() {
        return new String(buf, 0, length, StandardCharsets.UTF_8);
    }

    /** Appends ASCII bytes as they are: punctuation and field names known to need no escaping. */
    public JsonBytes raw(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, buf, length, ascii.length);
        length += ascii.length;
        return this;
    }

    public JsonBytes raw(char ascii) {
        ensure(1);
        buf[length++] = (byte) ascii;
        return this;
    }

    public JsonBytes number(long v) {
        if (v == Long.MIN_VALUE) {
            return raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII)); // has no positive counterpart
        }
        ensure(20);
        if (v < 0) {
            buf[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
        return this;
    }

    /** The quoted text of {@link Timestamps#toIso}. */
    public JsonBytes isoTimestamp(long epochMillis) {
        ensure(26);
        buf[length] = '"';
        int end = FastIso.format(epochMillis, buf, length + 1);
        if (end < 0) {
            return string(Timestamps.toIso(epochMillis));
        }
        buf[end] = '"';
        length = end + 1;
        return this;
    }

    /** A quoted, escaped JSON string; {@code null} for null, as Jackson writes it. */
    public JsonBytes string(String s) {
        if (s == null) {
            return raw(NULL);
        }
        int n = s.length();
        ensure(n * 6 + 2); // the most one char can take: a 6-byte escape, or 3 UTF-8 bytes (a surrogate pair: 4 for 2)
        byte[] b = buf;
        int at = length;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[at++] = (byte) c;
            } else if (c < 0x80) {
                at = escape(b, at, c);
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3f);
            } else if (!Character.isSurrogate(c)) {
                b[at++] = (byte) (0xe0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xf0 | cp >> 18);
                b[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                b[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | cp & 0x3f);
            } else {
                b[at++] = '?'; // a lone surrogate: what Java's UTF-8 encoder writes in its place
            }
        }
        b[at++] = '"';
        length = at;
        return this;
    }

    private static int escape(byte[] b, int at, char c) {
        b[at++] = '\\';
        switch (c) {
            case '"', '\\' -> b[at++] = (byte) c;
            case '\b' -> b[at++] = 'b';
            case '\t' -> b[at++] = 't';
            case '\n' -> b[at++] = 'n';
            case '\f' -> b[at++] = 'f';
            case '\r' -> b[at++] = 'r';
            default -> {
                b[at++] = 'u';
                b[at++] = '0';
                b[at++] = '0';
                b[at++] = HEX[c >> 4];
                b[at++] = HEX[c & 0xf];
            }
        }
        return at;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
