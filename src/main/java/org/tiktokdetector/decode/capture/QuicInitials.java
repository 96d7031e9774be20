package org.tiktokdetector.decode.capture;

/**
 * Follows the client Initial packets of QUIC connections until their ClientHello is complete: walks the
 * coalesced long-header packets of each UDP datagram, opens the Initials with {@link QuicInitial}, and
 * reassembles CRYPTO frames by offset across frames and packets (Chrome splits its hello over several
 * of each). Connections are keyed by the client's 5-tuple; the keys come from the Destination Connection
 * ID of the first Initial that opens, and a client Initial with a new DCID that does not open with them
 * (after a Retry) starts over with keys from the new DCID.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} connections (least recently seen dropped first), idle ones
 * dropped after {@link #IDLE_MICROS} of packet time, and at most {@link TcpStream#MAX_BYTES} of CRYPTO
 * data each. Versions other than v1 and v2 (drafts, Google QUIC) are not decoded.
 */
final class QuicInitials {
    static final int MAX_CONNECTIONS = 4096;
    static final long IDLE_MICROS = 60_000_000L;
    private static final int MAX_CRYPTO = TcpStream.MAX_BYTES;

    private static final class Connection extends FlowTable.Entry {
        QuicInitial.Keys keys;
        byte[] crypto = new byte[2048];
        /** One bit per CRYPTO byte received; grown with {@link #crypto}, as most hellos fit in the first 2 KiB. */
        long[] received = new long[2048 / 64];
        int contiguous;
        boolean done;
    }

    private final QuicInitial initial = new QuicInitial();
    private final FlowTable<FlowKey, Connection> connections = new FlowTable<>(MAX_CONNECTIONS, IDLE_MICROS);
    private final CaptureStats stats;
    private byte[] plain = new byte[2048];
    /** Set by {@link #crypto} when a ClientHello is complete, for {@link #datagram} to return. */
    private ClientHello completed;

    QuicInitials(CaptureStats stats) {
        this.stats = stats;
    }

    /**
     * True when the datagram payload starts like a QUIC v1 or v2 Initial: worth a closer look. The fixed
     * bit (0x40) is not required: an endpoint may grease it (RFC 9287), and ngtcp2's server does.
     */
    static boolean looksLikeInitial(byte[] b, int off, int len) {
        if (len < 7 || (b[off] & 0x80) == 0) {
            return false;
        }
        long version = Bytes.u32(b, off + 1);
        return QuicInitial.knownVersion(version) && ((b[off] >> 4) & 3) == QuicInitial.initialType((int) version);
    }

    /**
     * Reads the long-header packets of one datagram sent from {@code key}'s source.
     *
     * @return the ClientHello when this datagram completed it, else null
     */
    ClientHello datagram(FlowKey key, byte[] b, int off, int len, long now) {
        int end = off + len;
        completed = null;
        try {
            // A short header (first bit 0) or zero padding ends the coalesced long-header packets.
            for (int p = off; p >= 0 && p < end && (b[p] & 0x80) != 0 && completed == null; ) {
                p = packet(key, b, p, end, now);
            }
        } catch (MalformedException e) {
            stats.noRecord("malformed QUIC Initial");
        }
        return completed;
    }

    /** Handles the long-header packet at {@code p}; returns where the next coalesced packet starts, or -1. */
    private int packet(FlowKey key, byte[] b, int p, int end, long now) throws MalformedException {
        if (p + 7 > end) {
            throw MalformedException.at(p, "a QUIC long header");
        }
        long version = Bytes.u32(b, p + 1);
        if (!QuicInitial.knownVersion(version)) {
            return -1;
        }
        int dcidLength = Bytes.u8(b, p + 5);
        int dcid = p + 6;
        if (dcidLength > 20 || dcid + dcidLength + 1 > end) {
            throw MalformedException.at(p + 5, "a connection id of at most 20 bytes");
        }
        int scidLength = Bytes.u8(b, dcid + dcidLength);
        int o = dcid + dcidLength + 1 + scidLength;
        int type = (b[p] >> 4) & 3;
        boolean isInitial = type == QuicInitial.initialType((int) version);
        boolean isRetry = type == (version == QuicInitial.VERSION_2 ? 0 : 3);
        if (isRetry) {
            return -1; // no length field: it fills the datagram, and it comes from the server
        }
        if (isInitial) {
            long tokenLength = varint(b, o, end);
            o += varintLength(b, o) + (int) Math.min(tokenLength, end);
        }
        long length = varint(b, o, end);
        int pnOffset = o + varintLength(b, o);
        if (pnOffset + length > end) {
            throw MalformedException.at(o, "a packet length within the datagram, got " + length);
        }
        int next = (int) (pnOffset + length);
        if (isInitial) {
            initial(key, b, p, pnOffset, next, dcid, dcidLength, (int) version, now);
        }
        return next;
    }

    private void initial(FlowKey key, byte[] b, int p, int pnOffset, int end, int dcid, int dcidLength,
                         int version, long now) throws MalformedException {
        if (plain.length < end - pnOffset) {
            plain = new byte[end - pnOffset];
        }
        Connection c = connections.get(key, now);
        int n = c == null ? -1 : initial.open(c.keys, b, p, pnOffset, end, plain);
        if (n < 0) {
            QuicInitial.Keys keys = initial.clientKeys(version, b, dcid, dcidLength);
            n = initial.open(keys, b, p, pnOffset, end, plain);
            if (n < 0) {
                stats.noRecord("QUIC Initial that does not open with client keys (a server's, or corrupt)");
                return;
            }
            c = new Connection();
            c.keys = keys;
            connections.put(key.copy(), c, now);
        }
        if (!c.done) {
            frames(c, n);
        }
    }

    /** Walks the frames an Initial may carry (RFC 9000 section 12.4): PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE. */
    private void frames(Connection c, int n) throws MalformedException {
        for (int o = 0; o < n; ) {
            int type = plain[o] & 0xff; // every frame type allowed here fits in one byte
            o++;
            switch (type) {
                case 0x00, 0x01 -> { }
                case 0x02, 0x03 -> {
                    o = skipVarints(o, n, 2); // largest acknowledged, delay
                    long ranges = varint(plain, o, n);
                    o = skipVarints(o, n, 2); // range count, first range
                    for (long i = 0; i < ranges; i++) {
                        o = skipVarints(o, n, 2);
                    }
                    if (type == 0x03) {
                        o = skipVarints(o, n, 3); // ECN counts
                    }
                }
                case 0x06 -> {
                    long offset = varint(plain, o, n);
                    o += varintLength(plain, o);
                    long length = varint(plain, o, n);
                    o += varintLength(plain, o);
                    if (o + length > n) {
                        throw MalformedException.at(o, "CRYPTO data of " + length + " bytes within the packet");
                    }
                    crypto(c, offset, o, (int) length);
                    o += (int) length;
                }
                case 0x1c, 0x1d -> {
                    o = skipVarints(o, n, type == 0x1c ? 2 : 1);
                    long reason = varint(plain, o, n);
                    o += varintLength(plain, o) + (int) Math.min(reason, n);
                }
                default -> throw MalformedException.at(o - 1, "a frame allowed in an Initial, got type 0x"
                        + Integer.toHexString(type));
            }
        }
    }

    private void crypto(Connection c, long offset, int from, int length) throws MalformedException {
        if (c.done) {
            return; // a later CRYPTO frame of the packet that completed the hello
        }
        if (offset + length > MAX_CRYPTO) {
            c.done = true;
            stats.noRecord("QUIC CRYPTO data beyond 16 KiB");
            return;
        }
        int at = (int) offset;
        if (c.crypto.length < at + length) {
            c.crypto = java.util.Arrays.copyOf(c.crypto, Math.min(MAX_CRYPTO, Math.max(at + length, c.crypto.length * 2)));
            c.received = java.util.Arrays.copyOf(c.received, (c.crypto.length + 63) / 64);
        }
        System.arraycopy(plain, from, c.crypto, at, length);
        for (int i = at; i < at + length; i++) {
            c.received[i >> 6] |= 1L << i;
        }
        while (c.contiguous < c.received.length * 64 && (c.received[c.contiguous >> 6] & (1L << c.contiguous)) != 0) {
            c.contiguous++;
        }
        int messageLength = ClientHello.messageLength(c.crypto, 0, c.contiguous);
        if (messageLength > MAX_CRYPTO) {
            c.done = true;
            stats.noRecord("QUIC ClientHello larger than 16 KiB");
        } else if (messageLength > 0 && c.contiguous >= messageLength) {
            c.done = true;
            byte[] hello = c.crypto;
            c.crypto = null;
            c.received = null;
            completed = ClientHello.parse(hello, 0, messageLength);
        }
    }

    private int skipVarints(int o, int end, int count) throws MalformedException {
        for (int i = 0; i < count; i++) {
            varint(plain, o, end);
            o += varintLength(plain, o);
        }
        return o;
    }

    /** A QUIC variable-length integer (RFC 9000 section 16). */
    static long varint(byte[] b, int o, int end) throws MalformedException {
        if (o >= end || o + varintLength(b, o) > end) {
            throw MalformedException.at(o, "a variable-length integer");
        }
        long v = b[o] & 0x3f;
        for (int i = 1; i < varintLength(b, o); i++) {
            v = v << 8 | (b[o + i] & 0xff);
        }
        return v;
    }

    static int varintLength(byte[] b, int o) {
        return 1 << ((b[o] & 0xc0) >> 6);
    }

    int connectionCount() {
        return connections.size();
    }
}
