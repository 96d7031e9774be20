package org.tiktokdetector.decode.capture;

/** Unsigned reads from byte arrays at an offset, and the text forms of addresses. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    static int u24(byte[] b, int i) {
        return (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static long u64(byte[] b, int i) {
        return u32(b, i) << 32 | u32(b, i + 4);
    }

    static int u16le(byte[] b, int i) {
        return (b[i + 1] & 0xff) << 8 | (b[i] & 0xff);
    }

    static long u32le(byte[] b, int i) {
        return ((long) (b[i + 3] & 0xff) << 24) | (b[i + 2] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i] & 0xff);
    }

    static long u32(byte[] b, int i, boolean littleEndian) {
        return littleEndian ? u32le(b, i) : u32(b, i);
    }

    static int u16(byte[] b, int i, boolean littleEndian) {
        return littleEndian ? u16le(b, i) : u16(b, i);
    }

    static String ipv4(byte[] b, int i) {
        return u8(b, i) + "." + u8(b, i + 1) + "." + u8(b, i + 2) + "." + u8(b, i + 3);
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::". */
    static String ipv6(byte[] b, int i) {
        int bestStart = -1;
        int bestLen = 1;
        for (int g = 0; g < 8; ) {
            if (u16(b, i + 2 * g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && u16(b, i + 2 * g) == 0) {
                g++;
            }
            if (g - start > bestLen) {
                bestStart = start;
                bestLen = g - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(u16(b, i + 2 * g)));
        }
        return sb.toString();
    }

    /** Bytes as text: printable ASCII as is, anything else (and the backslash) as {@code \DDD}. */
    static String text(byte[] b, int off, int len) {
        return escaped(b, off, len, false);
    }

    /** Bytes as a phrase (a user agent, say): as {@link #text}, but spaces kept as they are. */
    static String phrase(byte[] b, int off, int len) {
        return escaped(b, off, len, true);
    }

    private static String escaped(byte[] b, int off, int len, boolean keepSpaces) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            if (keepSpaces && b[i] == ' ') {
                sb.append(' ');
            } else {
                appendEscaped(sb, u8(b, i), false);
            }
        }
        return sb.toString();
    }

    /** Appends one byte as text; {@code dotToo} also escapes '.' (inside a DNS label). */
    static void appendEscaped(StringBuilder sb, int c, boolean dotToo) {
        if (c > 0x20 && c < 0x7f && c != '\\' && !(dotToo && c == '.')) {
            sb.append((char) c);
        } else {
            sb.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
        }
    }

    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb.toString();
    }
}
