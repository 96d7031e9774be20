package org.tiktokdetector.decode.capture;

import java.util.Arrays;

/**
 * Follows the client Initial packets of QUIC connections until their ClientHello is complete, in every
 * {@link QuicVersion}: walks the coalesced long-header packets of each UDP datagram (or reads Q043's public
 * header), opens the protected Initials with {@link QuicInitial}, and reassembles the handshake (CRYPTO
 * frames, or stream 1 in Q043 and Q046) by offset across frames and packets, in any order and between any
 * PING, PADDING and ACK frames: Chrome splits its hello over several frames and Initials, shuffles them and
 * pads between them. Connections are keyed by the client's 5-tuple; the keys come from the Destination
 * Connection ID of the first Initial that opens, and a client Initial that does not open with them (new keys
 * after a Retry, or a new connection from the same port) starts the connection over with keys from its own
 * DCID. Clear-text Google QUIC tells connections apart by their connection id.
 *
 * <p>One record per handshake: after a Retry the client sends the same ClientHello again under new keys
 * (RFC 9000 section 17.2.5.3). A completed hello is reported unless the last one reported from its 5-tuple
 * had the same client Source Connection ID, which a client keeps across a Retry (section 17.2.5.2), and the
 * same bytes, compared by a 64-bit digest (a TLS hello holds 32 random bytes, so another handshake differs).
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} connections (least recently seen dropped first), idle ones
 * dropped after {@link #IDLE_MICROS} of packet time, and at most {@link TcpStream#MAX_BYTES} of handshake
 * data each (offsets beyond it end the connection's reassembly). A datagram that starts like a QUIC packet
 * of another version (drafts before 22, greased or private versions, older Google QUIC) is counted as
 * {@link #UNKNOWN_VERSION}.
 */
final class QuicInitials {
    static final int MAX_CONNECTIONS = 4096;
    static final long IDLE_MICROS = 60_000_000L;
    static final String UNKNOWN_VERSION = "QUIC packet of an unknown version";
    static final String REPEATED_HELLO = "QUIC ClientHello repeated after a Retry (one record per handshake)";
    private static final int MAX_CRYPTO = TcpStream.MAX_BYTES;
    /** Clients pad the datagrams that carry their Initials to 1200 bytes (RFC 9000 section 14.1). */
    private static final int MIN_INITIAL_DATAGRAM = 1200;
    /** Clear-text Google QUIC packets start their payload with a 12-byte FNV-1a message hash (not checked here). */
    private static final int GOOGLE_HASH = 12;
    /** Before CRYPTO frames (Q050), Google QUIC sent its handshake on stream 1. */
    private static final long GOOGLE_CRYPTO_STREAM = 1;
    /** The lengths that Google QUIC's 2-bit length codes stand for (packet numbers, ACK fields). */
    private static final int[] GOOGLE_LENGTHS = {1, 2, 4, 6};

    private static final class Connection extends FlowTable.Entry {
        QuicVersion version;
        /** Null for the clear-text versions. */
        QuicInitial.Keys keys;
        byte[] dcid;
        byte[] scid;
        long largestPacketNumber;
        byte[] crypto;
        /** One bit per handshake byte received; grown with {@link #crypto}, as most hellos fit in the first 2 KiB. */
        long[] received;
        int contiguous;
        boolean done;
        /** Client SCID and digest of the hello last reported from this 5-tuple; kept when the connection starts over. */
        byte[] reportedScid;
        long reportedDigest;

        void start(QuicVersion version, QuicInitial.Keys keys, byte[] b, int dcid, int dcidLength, int scid, int scidLength) {
            this.version = version;
            this.keys = keys;
            this.dcid = Arrays.copyOfRange(b, dcid, dcid + dcidLength);
            this.scid = Arrays.copyOfRange(b, scid, scid + scidLength);
            largestPacketNumber = -1;
            crypto = new byte[2048];
            received = new long[2048 / 64];
            contiguous = 0;
            done = false;
        }
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
     * True when the datagram payload starts like a client's first QUIC packet: worth a closer look. For the
     * versions we know, an Initial (the fixed bit 0x40 is not required: an endpoint may grease it, RFC 9287,
     * and ngtcp2's server does) or Q043's public header with a version; for other versions, a long header
     * with the fixed bit in a datagram padded as Initials are, so that RTP and the like are left alone.
     */
    static boolean looksLikeInitial(byte[] b, int off, int len) {
        if (len < 13) {
            return false;
        }
        int first = b[off] & 0xff;
        if ((first & 0x80) == 0) { // Google's public header: version and connection id present, no reset, reserved bits 0
            return (first & 0xcf) == 0x09 && b[off + 9] == 'Q';
        }
        long number = Bytes.u32(b, off + 1);
        QuicVersion version = QuicVersion.of(number);
        if (version == null) {
            return (first & 0x40) != 0 && number != 0 && len >= MIN_INITIAL_DATAGRAM; // version 0: Version Negotiation
        }
        return version.header != QuicVersion.Header.PUBLIC && ((first >> 4) & 3) == version.initialType();
    }

    /**
     * Reads the packets of one datagram sent from {@code key}'s source.
     *
     * @return the ClientHello when this datagram completed it, else null
     */
    ClientHello datagram(FlowKey key, byte[] b, int off, int len, long now) {
        int end = off + len;
        completed = null;
        try {
            if ((b[off] & 0x80) == 0) {
                publicHeader(key, b, off, end, now);
            } else {
                // A short header (first bit 0) or zero padding ends the coalesced long-header packets.
                for (int p = off; p >= 0 && p < end && (b[p] & 0x80) != 0 && completed == null; ) {
                    p = longHeader(key, b, p, end, now);
                }
            }
        } catch (MalformedException e) {
            stats.noRecord("malformed QUIC Initial");
        }
        return completed;
    }

    /**
     * Q043's public header: flags (0x01 version present, 0x08 connection id present, 0x30 packet number
     * length), the 8-byte connection id, the version, the packet number, then the clear-text payload.
     */
    private void publicHeader(FlowKey key, byte[] b, int p, int end, long now) throws MalformedException {
        if (QuicVersion.of(Bytes.u32(b, p + 9)) != QuicVersion.Q043) {
            stats.noRecord(UNKNOWN_VERSION);
            return;
        }
        int pnLength = GOOGLE_LENGTHS[(b[p] >> 4) & 3];
        int payload = skip(p + 13, pnLength + GOOGLE_HASH, end);
        clearText(key, QuicVersion.Q043, b, p + 1, 8, p + 1, 0, payload, end, pnLength, now);
    }

    /** Handles the long-header packet at {@code p}; returns where the next coalesced packet starts, or -1. */
    private int longHeader(FlowKey key, byte[] b, int p, int end, long now) throws MalformedException {
        if (p + 7 > end) {
            throw MalformedException.at(p, "a QUIC long header");
        }
        QuicVersion version = QuicVersion.of(Bytes.u32(b, p + 1));
        if (version == null || version.header == QuicVersion.Header.PUBLIC) {
            stats.noRecord(UNKNOWN_VERSION);
            return -1;
        }
        int type = (b[p] >> 4) & 3;
        if (version.header == QuicVersion.Header.Q046) {
            if (type == version.initialType()) {
                q046(key, b, p, end, now);
            }
            return -1; // no length field: the packet fills the datagram
        }
        int dcidLength = Bytes.u8(b, p + 5);
        int dcid = p + 6;
        if (dcidLength > 20 || dcid + dcidLength + 1 > end) {
            throw MalformedException.at(p + 5, "a connection id of at most 20 bytes");
        }
        int scidLength = Bytes.u8(b, dcid + dcidLength);
        int scid = dcid + dcidLength + 1;
        if (scidLength > 20) {
            throw MalformedException.at(scid - 1, "a connection id of at most 20 bytes");
        }
        int o = scid + scidLength;
        if (type == version.retryType()) {
            return -1; // no length field: it fills the datagram, and it comes from the server
        }
        boolean isInitial = type == version.initialType();
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
            initial(key, version, b, p, pnOffset, next, dcid, dcidLength, scid, scidLength, now);
        }
        return next;
    }

    /**
     * Q046's long header: the first byte (its low bits give the packet number length), the version, one byte
     * with both connection id lengths (4 bits each: 0, or the length less 3), the ids, the packet number in
     * clear text; no token and no length.
     */
    private void q046(FlowKey key, byte[] b, int p, int end, long now) throws MalformedException {
        int lengths = Bytes.u8(b, p + 5);
        int dcidLength = (lengths >> 4) == 0 ? 0 : (lengths >> 4) + 3;
        int scidLength = (lengths & 15) == 0 ? 0 : (lengths & 15) + 3;
        int dcid = p + 6;
        int payload = skip(dcid, dcidLength + scidLength + (b[p] & 3) + 1 + GOOGLE_HASH, end);
        clearText(key, QuicVersion.Q046, b, dcid, dcidLength, dcid + dcidLength, scidLength, payload, end, 0, now);
    }

    /** A clear-text Google QUIC packet (Q043, Q046): its connection id, not keys, tells which connection it is. */
    private void clearText(FlowKey key, QuicVersion version, byte[] b, int dcid, int dcidLength, int scid, int scidLength,
                           int payload, int end, int stopWaitingLength, long now) throws MalformedException {
        Connection c = connections.get(key, now);
        if (c == null || c.version != version || !Arrays.equals(c.dcid, 0, c.dcid.length, b, dcid, dcid + dcidLength)) {
            c = start(key, c, version, null, b, dcid, dcidLength, scid, scidLength, now);
        }
        if (!c.done) {
            googleFrames(c, b, payload, end, stopWaitingLength);
        }
    }

    private void initial(FlowKey key, QuicVersion version, byte[] b, int p, int pnOffset, int end, int dcid,
                         int dcidLength, int scid, int scidLength, long now) throws MalformedException {
        if (plain.length < end - pnOffset) {
            plain = new byte[end - pnOffset];
        }
        Connection c = connections.get(key, now);
        int n = c == null || c.version != version ? -1
                : initial.open(c.keys, b, p, pnOffset, end, plain, c.largestPacketNumber);
        if (n < 0) {
            QuicInitial.Keys keys = initial.clientKeys(version, b, dcid, dcidLength);
            n = initial.open(keys, b, p, pnOffset, end, plain, -1);
            if (n < 0) {
                stats.noRecord("QUIC Initial that does not open with client keys (a server's, or corrupt)");
                return;
            }
            c = start(key, c, version, keys, b, dcid, dcidLength, scid, scidLength, now);
        }
        c.largestPacketNumber = Math.max(c.largestPacketNumber, initial.packetNumber());
        if (c.done) {
            return;
        }
        if (version.googleFrames) {
            googleFrames(c, plain, 0, n, 0);
        } else {
            frames(c, plain, 0, n);
        }
    }

    /** Starts the connection of {@code key}, or starts {@code c} over; what it reported last is kept. */
    private Connection start(FlowKey key, Connection c, QuicVersion version, QuicInitial.Keys keys, byte[] b,
                             int dcid, int dcidLength, int scid, int scidLength, long now) {
        if (c == null) {
            c = connections.put(key.copy(), new Connection(), now);
        }
        c.start(version, keys, b, dcid, dcidLength, scid, scidLength);
        return c;
    }

    /** Walks the IETF frames an Initial may carry (RFC 9000 section 12.4): PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE. */
    private void frames(Connection c, byte[] f, int o, int n) throws MalformedException {
        while (o < n) {
            int type = f[o] & 0xff; // every frame type allowed here fits in one byte
            o++;
            switch (type) {
                case 0x00, 0x01 -> { }
                case 0x02, 0x03 -> {
                    o = skipVarints(f, o, n, 2); // largest acknowledged, delay
                    long ranges = varint(f, o, n);
                    o = skipVarints(f, o, n, 2); // range count, first range
                    for (long i = 0; i < ranges; i++) {
                        o = skipVarints(f, o, n, 2);
                    }
                    if (type == 0x03) {
                        o = skipVarints(f, o, n, 3); // ECN counts
                    }
                }
                case 0x06 -> o = cryptoFrame(c, f, o, n);
                case 0x1c, 0x1d -> {
                    o = skipVarints(f, o, n, type == 0x1c ? 2 : 1);
                    long reason = varint(f, o, n);
                    o += varintLength(f, o) + (int) Math.min(reason, n);
                }
                default -> throw MalformedException.at(o - 1, "a frame allowed in an Initial, got type 0x"
                        + Integer.toHexString(type));
            }
        }
    }

    /**
     * Walks Google QUIC's frames, which predate the IETF encoding: PADDING (0x00), PING (0x07), STOP_WAITING
     * (0x06, Q043 only: its field is as long as the packet number), CRYPTO (0x08, from Q048: offset and
     * length as QUIC variable-length integers), and ACK and STREAM, whose type byte holds the lengths of
     * their fields (big-endian since Q039). Before CRYPTO frames the handshake is on stream 1.
     */
    private void googleFrames(Connection c, byte[] f, int o, int n, int stopWaitingLength) throws MalformedException {
        while (o < n) {
            int type = f[o] & 0xff;
            o++;
            if ((type & 0x80) != 0) { // STREAM: 1, FIN, data length present, 3 bits of offset length, 2 of stream id length
                int idLength = (type & 3) + 1;
                int offsetCode = (type >> 2) & 7;
                int offsetLength = offsetCode == 0 ? 0 : offsetCode + 1;
                boolean hasLength = (type & 0x20) != 0;
                int data = skip(o, idLength + offsetLength + (hasLength ? 2 : 0), n);
                long stream = bigEndian(f, o, idLength);
                long offset = bigEndian(f, o + idLength, offsetLength);
                int length = hasLength ? Bytes.u16(f, data - 2) : n - data;
                o = skip(data, length, n);
                if (stream == GOOGLE_CRYPTO_STREAM) {
                    crypto(c, offset, f, data, length);
                }
            } else if ((type & 0x40) != 0) { // ACK: 0, 1, more blocks, unused, 2 bits of largest acked length, 2 of block length
                int blockLength = GOOGLE_LENGTHS[type & 3];
                o = skip(o, GOOGLE_LENGTHS[(type >> 2) & 3] + 2, n); // largest acked, its delay
                int blocks = 0;
                if ((type & 0x20) != 0) {
                    o = skip(o, 1, n);
                    blocks = f[o - 1] & 0xff;
                }
                o = skip(o, blockLength + blocks * (1 + blockLength) + 1, n); // first block, gap and length of the others, timestamp count
                int timestamps = f[o - 1] & 0xff;
                if (timestamps > 0) {
                    o = skip(o, 1 + 4 + 3 * (timestamps - 1), n); // delta and time of the first, then of each other
                }
            } else if (type == 0x08) {
                o = cryptoFrame(c, f, o, n);
            } else if (type == 0x06 && stopWaitingLength > 0) {
                o = skip(o, stopWaitingLength, n);
            } else if (type != 0x00 && type != 0x07) {
                throw MalformedException.at(o - 1, "a Google QUIC frame allowed in a client's first packets, got type 0x"
                        + Integer.toHexString(type));
            }
        }
    }

    /** A CRYPTO frame's offset, length and data (the same in both encodings); returns where the next frame starts. */
    private int cryptoFrame(Connection c, byte[] f, int o, int n) throws MalformedException {
        long offset = varint(f, o, n);
        o += varintLength(f, o);
        long length = varint(f, o, n);
        o += varintLength(f, o);
        if (o + length > n) {
            throw MalformedException.at(o, "CRYPTO data of " + length + " bytes within the packet");
        }
        crypto(c, offset, f, o, (int) length);
        return o + (int) length;
    }

    private void crypto(Connection c, long offset, byte[] f, int from, int length) throws MalformedException {
        if (c.done) {
            return; // a later CRYPTO frame of the packet that completed the hello
        }
        if (offset < 0 || offset > MAX_CRYPTO - length) {
            c.done = true;
            stats.noRecord("QUIC CRYPTO data beyond 16 KiB");
            return;
        }
        int at = (int) offset;
        if (c.crypto.length < at + length) {
            c.crypto = Arrays.copyOf(c.crypto, Math.min(MAX_CRYPTO, Math.max(at + length, c.crypto.length * 2)));
            c.received = Arrays.copyOf(c.received, (c.crypto.length + 63) / 64);
        }
        System.arraycopy(f, from, c.crypto, at, length);
        for (int i = at; i < at + length; i++) {
            c.received[i >> 6] |= 1L << i;
        }
        while (c.contiguous < c.received.length * 64 && (c.received[c.contiguous >> 6] & (1L << c.contiguous)) != 0) {
            c.contiguous++;
        }
        int messageLength = c.version.chlo ? Chlo.messageLength(c.crypto, 0, c.contiguous)
                : ClientHello.messageLength(c.crypto, 0, c.contiguous);
        if (messageLength > MAX_CRYPTO) {
            c.done = true;
            stats.noRecord("QUIC ClientHello larger than 16 KiB");
        } else if (messageLength > 0 && c.contiguous >= messageLength) {
            c.done = true;
            byte[] hello = c.crypto;
            c.crypto = null;
            c.received = null;
            hello(c, hello, messageLength);
        }
    }

    /** A complete hello: reported, unless it is the one reported last from this 5-tuple, sent again after a Retry. */
    private void hello(Connection c, byte[] hello, int length) throws MalformedException {
        long digest = digest(hello, length);
        if (Arrays.equals(c.scid, c.reportedScid) && digest == c.reportedDigest) {
            stats.noRecord(REPEATED_HELLO);
            return;
        }
        c.reportedScid = c.scid;
        c.reportedDigest = digest;
        completed = c.version.chlo ? Chlo.parse(hello, 0, length) : ClientHello.parse(hello, 0, length);
    }

    /** 64-bit FNV-1a of {@code b[0, length)}: tells two hellos apart without keeping them. */
    private static long digest(byte[] b, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** {@code o + count}, once it is sure that those bytes are within {@code end}. */
    private static int skip(int o, long count, int end) throws MalformedException {
        if (o + count > end) {
            throw MalformedException.at(o, count + " more bytes within the packet");
        }
        return (int) (o + count);
    }

    /** An unsigned big-endian number of 0 to 8 bytes (8 bytes may come out negative: callers check). */
    private static long bigEndian(byte[] b, int o, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = v << 8 | (b[o + i] & 0xff);
        }
        return v;
    }

    private static int skipVarints(byte[] b, int o, int end, int count) throws MalformedException {
        for (int i = 0; i < count; i++) {
            varint(b, o, end);
            o += varintLength(b, o);
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
