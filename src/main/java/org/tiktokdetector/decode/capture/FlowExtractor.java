package org.tiktokdetector.decode.capture;

import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Turns captured packets into {@link FlowRecord}s: the names a client asked for, as DNS queries, TLS and
 * QUIC ClientHello SNI, and HTTP Host headers.
 *
 * <p>What is extracted:
 * <ul>
 * <li>DNS over UDP and TCP port 53 (TCP: length-prefixed messages, several per segment or one split over
 *     segments): one record per question of every query message (qtype set, answers null), and one per
 *     question of every response (answers set to its A, AAAA and CNAME records, an empty list for a
 *     response without them). The client of a response is its destination. mDNS (5353) is not read: its
 *     names are local-link names, not Internet destinations. Questions for the root name are skipped.</li>
 * <li>TLS ClientHello on any TCP port, recognised by its first bytes (0x16 0x03): SNI, ALPN, ECH. The
 *     hello may span TLS records and TCP segments, arrive out of order or be retransmitted. With ECH only
 *     the outer (public) SNI is visible.</li>
 * <li>QUIC client Initials on any UDP port but 53, in every {@link QuicVersion} (IETF drafts 22 to 34, mvfst,
 *     v1, v2, Google's Q043, Q046, Q050, T050, T051): the ClientHello's SNI, ALPN, ECH, or the server name of
 *     Google's CHLO; one record per handshake, also across a Retry.</li>
 * <li>HTTP/1.x: the Host header of the first request of a TCP connection, on any port.</li>
 * </ul>
 * Not extracted: DNS over HTTPS, TLS or QUIC (DoH, DoT, DoQ: their queries are encrypted), names inside
 * encrypted parts of TLS and QUIC (ECH inner hello, certificates of TLS 1.3), hellos without SNI, HTTP/2
 * and HTTP/3 requests, later requests of a keep-alive HTTP connection, QUIC versions not
 * in {@link QuicVersion} (counted).
 *
 * <p>A TCP stream whose SYN was not captured (the capture began mid-connection) starts at the first segment that
 * begins a TLS handshake record or an HTTP request; segments seen before it wait, within the stream's 16 KiB,
 * so a hello whose later segments arrived first is still read. A stream whose first 16 KiB hold no such start
 * is given up.
 *
 * <p>Tunnels: packets are read inside the tap encapsulations {@link PacketHeaders} peels (GRE, ERSPAN, VXLAN,
 * Geneve, GTP-U, MPLS, PBB, IP in IP, Teredo, AYIYA; UDP ones on the {@link TunnelPorts} given). The tunnel
 * identity (each layer's type, id and outer addresses) is part of every flow's key, so the same inner addresses in
 * two tenants or sites are never one TCP stream or QUIC connection, and each record lists its layers in
 * {@link FlowRecord#tunnel}.
 *
 * <p>Timestamps: a record has the time of the packet that completed it (the last segment of a hello).
 *
 * <p>State is bounded: TCP streams and QUIC connections in {@link FlowTable}s (count and idle time),
 * 16 KiB of buffered bytes per stream. Not thread-safe; one extractor per capture or live source.
 */
public final class FlowExtractor {
    static final int MAX_TCP_STREAMS = 4096;
    static final long TCP_IDLE_MICROS = 120_000_000L;
    private static final int DNS_PORT = 53;

    private final CaptureStats stats;
    private final Consumer<FlowRecord> out;
    private final PacketHeaders headers;
    private final FlowKey probe = new FlowKey();
    private final FlowTable<FlowKey, TcpStream> tcp = new FlowTable<>(MAX_TCP_STREAMS, TCP_IDLE_MICROS);
    private final QuicInitials quic;
    private final byte[] handshake = new byte[TcpStream.MAX_BYTES];

    public FlowExtractor(CaptureStats stats, Consumer<FlowRecord> out) {
        this(stats, out, TunnelPorts.DEFAULTS);
    }

    /** An extractor that looks for UDP tunnels on {@code tunnelPorts}. */
    public FlowExtractor(CaptureStats stats, Consumer<FlowRecord> out, TunnelPorts tunnelPorts) {
        this.stats = stats;
        this.out = out;
        this.quic = new QuicInitials(stats);
        this.headers = new PacketHeaders(new IpFragments(), tunnelPorts);
    }

    /** Reads a whole capture; records go to {@code out}, counts and problems to the returned stats. */
    public static CaptureStats extract(InputStream in, String captureName, Consumer<FlowRecord> out) throws IOException {
        return extract(in, captureName, out, TunnelPorts.DEFAULTS);
    }

    /** As {@link #extract(InputStream, String, Consumer)}, looking for UDP tunnels on these ports. */
    public static CaptureStats extract(InputStream in, String captureName, Consumer<FlowRecord> out, TunnelPorts tunnelPorts)
            throws IOException {
        CaptureStats stats = new CaptureStats(captureName);
        FlowExtractor extractor = new FlowExtractor(stats, out, tunnelPorts);
        Packet p = new Packet();
        try (CaptureReader reader = new CaptureReader(in, stats)) {
            while (reader.next(p)) {
                extractor.accept(p);
            }
        }
        return stats;
    }

    public CaptureStats stats() {
        return stats;
    }

    /** TCP streams tracked now (bounded by {@link #MAX_TCP_STREAMS}). */
    int tcpStreamCount() {
        return tcp.size();
    }

    /** Reason counted when a decoder throws: always a bug, but one packet must not stop a tap or loop a job's restarts. */
    static final String DECODER_FAILURE = "decoder failure (a bug; please report it with the capture)";

    /** Decodes one packet; emits the records it completes. */
    public void accept(Packet p) {
        stats.read();
        int transport = headers.decode(p);
        if (transport < 0) {
            stats.skipped(headers.skipReason);
            return;
        }
        stats.decoded();
        try {
            if (transport == PacketHeaders.UDP) {
                udp();
            } else if (transport == PacketHeaders.TCP) {
                tcp();
            }
        } catch (RuntimeException e) {
            stats.noRecord(DECODER_FAILURE);
            stats.problem("capture " + stats.capture() + " packet " + stats.packetsRead() + ": " + e);
        }
    }

    private void udp() {
        PacketHeaders h = headers;
        if (h.payloadLength == 0) {
            return;
        }
        if (h.srcPort == DNS_PORT || h.dstPort == DNS_PORT) {
            dns(h.data, h.payload, h.payloadLength, "udp");
        } else if (QuicInitials.looksLikeInitial(h.data, h.payload, h.payloadLength)) {
            ClientHello hello = quic.datagram(probe.set(h), h.data, h.payload, h.payloadLength, h.timestampMicros);
            if (hello != null) {
                hello(hello, Kind.QUIC, "udp");
            }
        }
    }

    private void tcp() {
        PacketHeaders h = headers;
        FlowKey key = probe.set(h);
        TcpStream s = tcp.get(key, h.timestampMicros);
        boolean closing = (h.tcpFlags & (PacketHeaders.TCP_FIN | PacketHeaders.TCP_RST)) != 0;
        if (h.payloadLength == 0) {
            if ((h.tcpFlags & PacketHeaders.TCP_SYN) != 0) {
                // Knowing where the stream starts lets us place a first segment that arrives late; a SYN on a
                // tracked 5-tuple is a new connection whose close we missed, so it starts over.
                tcp.put(key.copy(), new TcpStream(TcpStream.Content.UNKNOWN, h.seq + 1), h.timestampMicros);
            } else if (closing && s != null) {
                tcp.remove(key);
            }
            return;
        }
        if (s == null) {
            // No SYN seen: the capture began mid-connection. A segment that does not start a message may be
            // the rest of a hello whose first segment comes later, so it waits in an unstarted stream.
            TcpStream.Content content = sniff(h.data, h.payload, h.payloadLength);
            s = tcp.put(key.copy(), content == null ? TcpStream.unstarted() : new TcpStream(content, h.seq), h.timestampMicros);
        }
        if (s.content == TcpStream.Content.DONE) {
            return;
        }
        if (!s.started()) {
            TcpStream.Content content = sniff(h.data, h.payload, h.payloadLength);
            if (content != null) {
                s.start(content, h.seq);
            } else {
                s.add(h.seq, h.data, h.payload, h.payloadLength);
                if (s.overflowed()) {
                    s.finish(); // 16 KiB of a connection's middle and no message start: bulk data, nothing for us
                }
                if (closing) {
                    tcp.remove(key);
                }
                return;
            }
        }
        if (s.startsWith(h.seq) && h.payloadLength <= TcpStream.MAX_BYTES) {
            // Most connections are judged on their first segment, without copying it: nothing for us, or
            // a ClientHello whole in it.
            TcpStream.Content content = s.content == TcpStream.Content.UNKNOWN
                    ? sniff(h.data, h.payload, h.payloadLength) : s.content;
            if (content == null || content == TcpStream.Content.TLS && tls(h.data, h.payload, h.payloadLength)) {
                s.finish();
                if (closing) {
                    tcp.remove(key);
                }
                return;
            }
        }
        s.add(h.seq, h.data, h.payload, h.payloadLength);
        if (s.content == TcpStream.Content.UNKNOWN && s.length() > 0) {
            TcpStream.Content content = sniff(s.buffer(), 0, s.length());
            if (content == null) {
                s.finish();
                return;
            }
            s.content = content;
        }
        switch (s.content) {
            case TLS -> {
                if (tls(s.buffer(), 0, s.length())) {
                    s.finish();
                }
            }
            case HTTP -> http(s);
            case DNS -> dnsOverTcp(s);
            default -> { }
        }
        if (s.overflowed() && s.content != TcpStream.Content.DONE) {
            stats.noRecord("TCP stream over 16 KiB before its name");
            s.finish();
        }
        if (closing) {
            tcp.remove(key);
        }
    }

    /** What a stream carries, from its first bytes (and ports, for DNS); null when nothing for us. */
    private TcpStream.Content sniff(byte[] b, int off, int len) {
        if (headers.srcPort == DNS_PORT || headers.dstPort == DNS_PORT) {
            return TcpStream.Content.DNS;
        }
        if (len >= 2 && b[off] == 0x16 && b[off + 1] == 0x03) {
            return TcpStream.Content.TLS;
        }
        return HttpRequest.startsWithMethod(b, off, len) ? TcpStream.Content.HTTP : null;
    }

    /**
     * Gathers the handshake bytes of the TLS records in {@code b[off, off + len)} (at most
     * {@link TcpStream#MAX_BYTES}) and parses the ClientHello once they hold it.
     *
     * @return true when the stream is decided: its ClientHello read, or seen not to come
     */
    private boolean tls(byte[] b, int off, int len) {
        int end = off + len;
        int have = 0;
        for (int pos = off; pos + 5 <= end; ) {
            int recordLength = Bytes.u16(b, pos + 3);
            if (b[pos] != 0x16) {
                return true; // not a handshake record: whatever this is, no ClientHello follows
            }
            if (pos + 5 + recordLength > end) {
                break;
            }
            System.arraycopy(b, pos + 5, handshake, have, recordLength);
            have += recordLength;
            pos += 5 + recordLength;
            if (handshake[0] != ClientHello.HANDSHAKE_CLIENT_HELLO) {
                return true; // a server's hello, or a later handshake message
            }
            int messageLength = ClientHello.messageLength(handshake, 0, have);
            if (messageLength > 0 && have >= messageLength) {
                try {
                    hello(ClientHello.parse(handshake, 0, messageLength), Kind.TLS, "tcp");
                } catch (MalformedException e) {
                    stats.noRecord("malformed TLS ClientHello");
                }
                return true;
            }
        }
        return false;
    }

    private void http(TcpStream s) {
        int end = HttpRequest.headersEnd(s.buffer(), 0, s.length());
        if (end < 0) {
            return;
        }
        String host = HttpRequest.header(s.buffer(), 0, end, HttpRequest.Header.HOST);
        if (host != null) {
            FlowRecord r = record(Kind.HTTP, "tcp", true, host);
            r.userAgent = HttpRequest.header(s.buffer(), 0, end, HttpRequest.Header.USER_AGENT);
            emit(r);
        }
        s.finish();
    }

    /** DNS over TCP: each message is preceded by its 2-byte length (RFC 1035 section 4.2.2). */
    private void dnsOverTcp(TcpStream s) {
        while (s.length() >= 2) {
            int length = Bytes.u16(s.buffer(), 0);
            if (2 + length > TcpStream.MAX_BYTES) {
                stats.noRecord("DNS over TCP message over 16 KiB");
                s.finish();
                return;
            }
            if (s.length() < 2 + length) {
                return;
            }
            dns(s.buffer(), 2, length, "tcp");
            s.consume(2 + length);
        }
    }

    private void dns(byte[] b, int off, int len, String transport) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(b, off, len);
        } catch (MalformedException e) {
            stats.noRecord("malformed DNS");
            return;
        }
        for (DnsMessage.Question q : m.questions) {
            if (q.name().isEmpty()) {
                continue;
            }
            FlowRecord r = record(Kind.DNS, transport, !m.response, q.name());
            r.queryType = q.type();
            r.answers = m.answers;
            emit(r);
        }
    }

    private void hello(ClientHello hello, Kind kind, String transport) {
        if (hello.serverName == null || hello.serverName.isEmpty()) {
            stats.noRecord(kind == Kind.TLS ? "TLS ClientHello without SNI" : "QUIC ClientHello without SNI");
            return;
        }
        FlowRecord r = record(kind, transport, true, hello.serverName);
        r.alpn = hello.alpn;
        r.ech = hello.ech;
        r.userAgent = hello.userAgent;
        emit(r);
    }

    /** A record of the current packet; the client is its source, or its destination for a response. */
    private FlowRecord record(Kind kind, String transport, boolean clientIsSource, String name) {
        PacketHeaders h = headers;
        FlowRecord r = clientIsSource
                ? new FlowRecord(Math.floorDiv(h.timestampMicros, 1000), kind, h.srcIp(), h.srcPort, h.dstIp(), h.dstPort, transport, name)
                : new FlowRecord(Math.floorDiv(h.timestampMicros, 1000), kind, h.dstIp(), h.dstPort, h.srcIp(), h.srcPort, transport, name);
        r.sensor = stats.capture();
        r.packet = stats.packetsRead(); // the packet that completed the record (the last segment or fragment of a hello)
        r.tunnel = h.tunnels.layers();
        return r;
    }

    private void emit(FlowRecord r) {
        stats.record();
        out.accept(r);
    }
}
