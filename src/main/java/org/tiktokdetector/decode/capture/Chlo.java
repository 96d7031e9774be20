package org.tiktokdetector.decode.capture;

/**
 * Google QUIC's client hello (CHLO), the first message of QUIC Crypto, which Google QUIC used before it
 * moved to TLS (Q043 to Q050): the tag "CHLO", the number of entries (2 bytes, little-endian), 2 bytes of
 * padding, then per entry a 4-byte tag and the little-endian end offset of its value, then the values one
 * after another. The server name is the value of the "SNI\0" tag, the user agent (e.g. "Chrome/71.0.3578.98
 * Windows NT 10.0; Win64; x64") that of "UAID". Google QUIC has no ALPN and no Encrypted Client Hello.
 */
final class Chlo {
    private static final int CHLO = 0x43484c4f; // "CHLO"
    private static final int SNI = 0x534e4900; // "SNI\0"
    private static final int UAID = 0x55414944; // "UAID"

    private Chlo() {}

    /**
     * Length of the whole message at {@code b[off, off + available)}, or -1 until its entry table is there:
     * the last entry's end offset says where the values end.
     */
    static int messageLength(byte[] b, int off, int available) {
        if (available < 8) {
            return -1;
        }
        int entries = Bytes.u16le(b, off + 4);
        int values = 8 + 8 * entries;
        if (available < values) {
            return -1;
        }
        long end = entries == 0 ? 0 : Bytes.u32le(b, off + values - 4);
        return (int) Math.min(values + end, Integer.MAX_VALUE);
    }

    /** Reads the server name and user agent of the CHLO at {@code b[off, off + len)}, as a {@link ClientHello} without ALPN. */
    static ClientHello parse(byte[] b, int off, int len) throws MalformedException {
        if (len < 8 || Bytes.u32(b, off) != CHLO) {
            throw MalformedException.at(0, "the tag CHLO");
        }
        int entries = Bytes.u16le(b, off + 4);
        int values = 8 + 8 * entries;
        if (values > len) {
            throw MalformedException.at(4, entries + " entries within the CHLO");
        }
        String serverName = null;
        String userAgent = null;
        long start = 0;
        for (int i = 0; i < entries; i++) {
            int entry = off + 8 + 8 * i;
            long end = Bytes.u32le(b, entry + 4);
            if (end < start || values + end > len) {
                throw MalformedException.at(entry + 4 - off, "an end offset from " + start + " to " + (len - values)
                        + ", got " + end);
            }
            long tag = Bytes.u32(b, entry);
            if (tag == SNI && serverName == null) {
                serverName = Bytes.text(b, off + values + (int) start, (int) (end - start));
            } else if (tag == UAID && userAgent == null) {
                userAgent = Bytes.phrase(b, off + values + (int) start, (int) (end - start));
            }
            start = end;
        }
        return new ClientHello(serverName, null, false, userAgent);
    }
}
