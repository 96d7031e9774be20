package org.tiktokdetector.decode.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * What a TLS ClientHello (RFC 8446 section 4.1.2; also TLS 1.0 to 1.2) tells about the server asked for:
 * the server_name (SNI) host name, the ALPN protocols offered, and whether it carries an Encrypted Client
 * Hello (extension 0xfe0d). With ECH the SNI read here is the outer, public name (e.g.
 * cloudflare-ech.com): the real name is encrypted and not visible on the wire. Chrome sends a GREASE ECH
 * extension when it has no ECH key, indistinguishable by design: so {@link #ech} means "may hide a name",
 * and the SNI of such a hello is then usually the real one.
 *
 * <p>Takes the handshake message itself (type, 3-byte length, body), after the TLS record layer or QUIC
 * CRYPTO frames have been removed and reassembled by the caller. Google QUIC's own client hello
 * ({@link Chlo}) gives one too, with its server name only.
 */
public final class ClientHello {
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_ECH = 0xfe0d;

    /** The first host_name of the server_name extension; null when absent. */
    public final String serverName;
    /** Offered ALPN protocols in order; null when the extension is absent. */
    public final List<String> alpn;
    public final boolean ech;
    /** The client's user agent: Google QUIC's CHLO carries one (tag UAID); a TLS ClientHello has none. */
    public final String userAgent;

    ClientHello(String serverName, List<String> alpn, boolean ech, String userAgent) {
        this.serverName = serverName;
        this.alpn = alpn;
        this.ech = ech;
        this.userAgent = userAgent;
    }

    /**
     * Length of the whole handshake message at {@code b[off, off + available)} (4 + its body length),
     * or -1 while fewer than 4 bytes are there.
     */
    static int messageLength(byte[] b, int off, int available) {
        return available < 4 ? -1 : 4 + Bytes.u24(b, off + 1);
    }

    /**
     * Parses the ClientHello handshake message at {@code b[off, off + len)}. Offsets in errors are from
     * the start of the handshake message.
     */
    public static ClientHello parse(byte[] b, int off, int len) throws MalformedException {
        if (len < 4 || Bytes.u8(b, off) != HANDSHAKE_CLIENT_HELLO) {
            throw MalformedException.at(0, "handshake type 1 (ClientHello)");
        }
        int end = off + 4 + Bytes.u24(b, off + 1);
        if (end > off + len) {
            throw MalformedException.at(1, "a ClientHello of " + (end - off) + " bytes, have " + len);
        }
        int pos = off + 4 + 2 + 32; // version, random
        pos = skipVector(b, off, pos, end, 1, "session id");
        pos = skipVector(b, off, pos, end, 2, "cipher suites");
        pos = skipVector(b, off, pos, end, 1, "compression methods");
        String serverName = null;
        List<String> alpn = null;
        boolean ech = false;
        if (pos + 2 <= end) { // extensions are optional before TLS 1.2
            int extEnd = pos + 2 + Bytes.u16(b, pos);
            if (extEnd > end) {
                throw MalformedException.at(pos - off, "extensions within the ClientHello");
            }
            pos += 2;
            while (pos + 4 <= extEnd) {
                int type = Bytes.u16(b, pos);
                int data = pos + 4;
                int dataEnd = data + Bytes.u16(b, pos + 2);
                if (dataEnd > extEnd) {
                    throw MalformedException.at(pos - off, "extension " + type + " within the extensions");
                }
                if (type == EXT_SERVER_NAME && serverName == null) {
                    serverName = serverName(b, off, data, dataEnd);
                } else if (type == EXT_ALPN && alpn == null) {
                    alpn = alpn(b, off, data, dataEnd);
                } else if (type == EXT_ECH) {
                    ech = true;
                }
                pos = dataEnd;
            }
        }
        return new ClientHello(serverName, alpn, ech, null);
    }

    private static int skipVector(byte[] b, int msg, int pos, int end, int lengthBytes, String what)
            throws MalformedException {
        if (pos + lengthBytes > end) {
            throw MalformedException.at(pos - msg, "the length of the " + what);
        }
        int next = pos + lengthBytes + (lengthBytes == 1 ? Bytes.u8(b, pos) : Bytes.u16(b, pos));
        if (next > end) {
            throw MalformedException.at(pos - msg, what + " within the ClientHello");
        }
        return next;
    }

    /** server_name_list: 2-byte length, then entries of type (0 = host_name), 2-byte length, name. */
    private static String serverName(byte[] b, int msg, int pos, int end) throws MalformedException {
        if (pos + 2 > end || pos + 2 + Bytes.u16(b, pos) > end) {
            throw MalformedException.at(pos - msg, "a server_name list within its extension");
        }
        pos += 2;
        while (pos + 3 <= end) {
            int nameLength = Bytes.u16(b, pos + 1);
            if (pos + 3 + nameLength > end) {
                throw MalformedException.at(pos - msg, "a server name of " + nameLength + " bytes within the list");
            }
            if (Bytes.u8(b, pos) == 0) {
                return Bytes.text(b, pos + 3, nameLength);
            }
            pos += 3 + nameLength;
        }
        return null;
    }

    /** protocol_name_list: 2-byte length, then 1-byte-length names. */
    private static List<String> alpn(byte[] b, int msg, int pos, int end) throws MalformedException {
        if (pos + 2 > end || pos + 2 + Bytes.u16(b, pos) > end) {
            throw MalformedException.at(pos - msg, "an ALPN list within its extension");
        }
        int listEnd = pos + 2 + Bytes.u16(b, pos);
        List<String> protocols = new ArrayList<>(4);
        for (pos += 2; pos < listEnd; ) {
            int n = Bytes.u8(b, pos);
            if (pos + 1 + n > listEnd) {
                throw MalformedException.at(pos - msg, "an ALPN protocol of " + n + " bytes within the list");
            }
            protocols.add(Bytes.text(b, pos + 1, n));
            pos += 1 + n;
        }
        return protocols;
    }
}
