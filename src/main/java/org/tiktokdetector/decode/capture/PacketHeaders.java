package org.tiktokdetector.decode.capture;

/**
 * The link, IP and UDP/TCP headers of one packet, decoded in place: fields are offsets into
 * {@link #data} and numbers, so decoding allocates nothing. One instance is reused for every packet.
 *
 * <p>Link types: Ethernet (1) with 802.1Q/802.1ad/QinQ tags and PPPoE sessions, Linux cooked SLL (113)
 * and SLL2 (276), raw IP (101, 12, 14, 228, 229), BSD null (0) and loopback (108), PPP (9, with or without
 * HDLC address and control bytes). IPv6 extension headers (hop-by-hop, routing, destination options,
 * AH) are walked; IPv4 and IPv6 fragments are reassembled by {@link IpFragments}.
 *
 * <p>Tunnels are peeled, recursively, down to the innermost IP packet, each layer noted in {@link #tunnels}:
 * GRE (checksum, key, sequence; Ethernet, ERSPAN I, II and III, MPLS, PPP of PPTP's enhanced GRE, Aruba's
 * 802.11 frames), GRE over UDP, VXLAN, Geneve, GTP-U, Teredo, AYIYA, IP in IP (protocols 4 and 41), MPLS label
 * stacks (with a pseudowire control word before Ethernet) and 802.1ah PBB. The UDP tunnels are found by port
 * ({@link TunnelPorts}); a datagram on such a port whose header does not check out is an ordinary datagram.
 * A packet nested deeper than {@link Tunnels#MAX_DEPTH} layers is skipped.
 */
final class PacketHeaders {
    static final int UDP = 17;
    static final int TCP = 6;
    /** Headers understood, but nothing for us above them (other protocol, or a fragment being held). */
    static final int NOTHING = 0;

    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_ACK = 0x10;

    static final String TOO_DEEP = "encapsulation deeper than " + Tunnels.MAX_DEPTH + " layers";
    private static final String NOT_IP = "not IPv4 or IPv6";
    /** From a UDP tunnel's decoder: the header does not check out, read the datagram as it is. Never returned by {@link #decode}. */
    private static final int NOT_A_TUNNEL = -2;
    private static final int DNS_PORT = 53;

    byte[] data;
    long timestampMicros;
    int ipVersion;
    /** Offsets of the source and destination addresses (4 or 16 bytes). */
    int srcAddr;
    int dstAddr;
    int srcPort;
    int dstPort;
    int payload;
    int payloadLength;
    /** TCP only. */
    int seq;
    int tcpFlags;
    /** Why the last packet was skipped, when {@link #decode} returned a negative value. */
    String skipReason;
    /** The encapsulations around the innermost IP header, outermost first. */
    final Tunnels tunnels = new Tunnels();

    private final IpFragments fragments;
    private final TunnelPorts ports;

    PacketHeaders(IpFragments fragments) {
        this(fragments, TunnelPorts.DEFAULTS);
    }

    PacketHeaders(IpFragments fragments, TunnelPorts ports) {
        this.fragments = fragments;
        this.ports = ports;
    }

    /**
     * @return {@link #UDP} or {@link #TCP} with the fields set, {@link #NOTHING}, or -1 with
     *         {@link #skipReason} set to a constant phrase
     */
    int decode(Packet p) {
        data = p.data;
        timestampMicros = p.timestampMicros;
        tunnels.clear();
        int ip = linkPayload(p.linkType, p.length);
        if (ip < 0) {
            return -1;
        }
        return ip >= p.length ? skip("truncated link header") : ip(ip, p.length);
    }

    /** Offset of the IP header, or -1 with the skip reason set. */
    private int linkPayload(int linkType, int len) {
        switch (linkType) {
            case 1: // Ethernet
                return ethernet(0, len);
            case 113: // Linux cooked v1: protocol at 14, header 16
                return len < 16 ? skip("truncated link header") : etherType(Bytes.u16(data, 14), 16, len);
            case 276: // Linux cooked v2: protocol at 0, header 20
                return len < 20 ? skip("truncated link header") : etherType(Bytes.u16(data, 0), 20, len);
            case 101: case 12: case 14: case 228: case 229: // raw IP
                return 0;
            case 0: case 108: // 4-byte address family, host or network order: the IP version says which
                return 4;
            case 9: // PPP, HDLC-framed or not
                return ppp(0, len);
            default:
                return skip("unsupported link type");
        }
    }

    /** Offset of the IP header in the Ethernet frame at {@code data[at, end)}, or -1. */
    private int ethernet(int at, int end) {
        return end - at < 14 ? skip("truncated link header") : etherType(Bytes.u16(data, at + 12), at + 14, end);
    }

    /**
     * Follows an EtherType through VLAN tags, PPPoE, PBB and MPLS to the IP header it leads to.
     *
     * @return the offset of that IP header, or -1
     */
    private int etherType(int type, int next, int end) {
        while (true) {
            switch (type) {
                case 0x0800: case 0x86dd:
                    return next;
                case 0x8100: case 0x88a8: case 0x9100: // VLAN tag: 2 bytes TCI, then the inner type
                    if (end - next < 4) {
                        return skip("truncated link header");
                    }
                    type = Bytes.u16(data, next + 2);
                    next += 4;
                    break;
                case 0x8864: // PPPoE session: 6-byte header, then PPP
                    return ppp(next + 6, end);
                case 0x88e7: // 802.1ah PBB: I-TAG with the I-SID in its low 24 bits, then the customer's frame
                    if (end - next < 18) {
                        return skip("truncated PBB header");
                    }
                    if (!tunnel(Tunnels.Type.PBB, Bytes.u24(data, next + 1))) {
                        return -1;
                    }
                    return ethernet(next + 4, end);
                case 0x8847: case 0x8848:
                    return mpls(next, end);
                default:
                    return skip(NOT_IP);
            }
        }
    }

    /** What a GRE or Geneve protocol type announces: an EtherType, or 0x6558, a whole Ethernet frame (bridging). */
    private int carried(int type, int next, int end) {
        return type == 0x6558 ? ethernet(next, end) : etherType(type, next, end);
    }

    /** An MPLS label stack, one layer per label: the offset of the IP packet it carries, or -1. */
    private int mpls(int o, int end) {
        boolean bottom = false;
        while (!bottom) {
            if (end - o < 4) {
                return skip("truncated MPLS header");
            }
            if (!tunnel(Tunnels.Type.MPLS, Bytes.u24(data, o) >>> 4)) {
                return -1;
            }
            bottom = (data[o + 2] & 1) != 0;
            o += 4;
        }
        if (o >= end) {
            return skip("truncated MPLS header");
        }
        int nibble = (data[o] >> 4) & 0xf;
        if (nibble == 4 || nibble == 6) {
            return o;
        }
        // A pseudowire's control word starts with 0; an Ethernet frame follows it.
        return nibble == 0 ? ethernet(o + 4, end) : skip("MPLS payload not IP or Ethernet");
    }

    /** A PPP frame at {@code data[o, end)}, with or without HDLC address and control and a compressed protocol: the IP offset, or -1. */
    private int ppp(int o, int end) {
        if (end - o >= 2 && Bytes.u8(data, o) == 0xff && Bytes.u8(data, o + 1) == 0x03) {
            o += 2;
        }
        if (end - o < 2) {
            return skip("truncated link header");
        }
        boolean compressed = (data[o] & 1) != 0; // protocol-field compression: an odd first byte is the whole protocol
        int protocol = compressed ? Bytes.u8(data, o) : Bytes.u16(data, o);
        return protocol == 0x0021 || protocol == 0x0057 ? o + (compressed ? 1 : 2) : skip(NOT_IP);
    }

    /** The IP packet at {@code data[ip, end)}, by its version. */
    private int ip(int ip, int end) {
        if (ip >= end) {
            return skip("truncated IP header");
        }
        int version = (data[ip] >> 4) & 0xf;
        if (version == 4) {
            return ipv4(ip, end);
        }
        if (version == 6) {
            return ipv6(ip, end);
        }
        return skip(NOT_IP);
    }

    private int ipv4(int ip, int end) {
        if (end - ip < 20) {
            return skip("truncated IP header");
        }
        int ihl = (data[ip] & 0xf) * 4;
        int total = Bytes.u16(data, ip + 2);
        if (ihl < 20 || total < ihl || end - ip < ihl) {
            return skip("bad IPv4 header length");
        }
        end = Math.min(end, ip + total); // drop Ethernet padding; a snapped packet keeps what it has
        int flagsOffset = Bytes.u16(data, ip + 6);
        int protocol = Bytes.u8(data, ip + 9);
        if ((flagsOffset & 0x3fff) != 0) { // more fragments, or a fragment offset
            int whole = fragments.ipv4(data, ip, ihl, end, timestampMicros, tunnels.hash());
            if (whole < 0) {
                return whole == IpFragments.DROPPED ? skip(fragments.dropReason) : NOTHING;
            }
            data = fragments.datagram();
            ip = 0;
            ihl = 20;
            end = whole;
        }
        ipVersion = 4;
        srcAddr = ip + 12;
        dstAddr = ip + 16;
        return transport(protocol, ip + ihl, end);
    }

    private int ipv6(int ip, int end) {
        if (end - ip < 40) {
            return skip("truncated IP header");
        }
        end = Math.min(end, ip + 40 + Bytes.u16(data, ip + 4));
        int next = Bytes.u8(data, ip + 6);
        int o = ip + 40;
        while (true) {
            switch (next) {
                case 0: case 43: case 60: // hop-by-hop, routing, destination options: (len + 1) * 8 bytes
                    if (o + 2 > end) {
                        return skip("truncated IPv6 extension header");
                    }
                    next = Bytes.u8(data, o);
                    o += (Bytes.u8(data, o + 1) + 1) * 8;
                    continue;
                case 51: // AH: (len + 2) * 4 bytes
                    if (o + 2 > end) {
                        return skip("truncated IPv6 extension header");
                    }
                    next = Bytes.u8(data, o);
                    o += (Bytes.u8(data, o + 1) + 2) * 4;
                    continue;
                case 44: // fragment: an atomic fragment (offset 0, no more) is a whole datagram, others are reassembled
                    if (o + 8 > end) {
                        return skip("truncated IPv6 extension header");
                    }
                    if ((Bytes.u16(data, o + 2) & 0xfff9) == 0) {
                        next = Bytes.u8(data, o);
                        o += 8;
                        continue;
                    }
                    int whole = fragments.ipv6(data, ip, o, end, timestampMicros, tunnels.hash());
                    if (whole < 0) {
                        return whole == IpFragments.DROPPED ? skip(fragments.dropReason) : NOTHING;
                    }
                    data = fragments.datagram();
                    ip = 0;
                    end = whole;
                    next = Bytes.u8(data, 6);
                    o = 40;
                    continue;
                default:
                    if (o > end) {
                        return skip("truncated IPv6 extension header");
                    }
                    ipVersion = 6;
                    srcAddr = ip + 8;
                    dstAddr = ip + 24;
                    return transport(next, o, end);
            }
        }
    }

    private int transport(int protocol, int o, int end) {
        switch (protocol) {
            case UDP:
                return udp(o, end);
            case TCP:
                if (end - o < 20) {
                    return skip("truncated TCP header");
                }
                int headerLength = ((data[o + 12] >> 4) & 0xf) * 4;
                if (headerLength < 20 || o + headerLength > end) {
                    return skip("bad TCP header length");
                }
                srcPort = Bytes.u16(data, o);
                dstPort = Bytes.u16(data, o + 2);
                seq = (int) Bytes.u32(data, o + 4);
                tcpFlags = Bytes.u8(data, o + 13);
                payload = o + headerLength;
                payloadLength = end - payload;
                return TCP;
            case 4: case 41: // IP in IP: 4in4, 6in4, 4in6, 6in6
                return tunnel(Tunnels.Type.IPIP, Tunnels.NO_ID) ? ipOfProtocol(protocol, o, end) : -1;
            case 47:
                return gre(o, end);
            default:
                return NOTHING;
        }
    }

    /** The IP packet that protocol number 4 (IPv4) or 41 (IPv6) announces; another version is a lie. */
    private int ipOfProtocol(int protocol, int o, int end) {
        if (o < end && ((data[o] >> 4) & 0xf) != (protocol == 4 ? 4 : 6)) {
            return skip("inner IP version differs from its protocol number");
        }
        return ip(o, end);
    }

    private int udp(int o, int end) {
        if (end - o < 8) {
            return skip("truncated UDP header");
        }
        srcPort = Bytes.u16(data, o);
        dstPort = Bytes.u16(data, o + 2);
        int udpLength = Bytes.u16(data, o + 4);
        payload = o + 8;
        payloadLength = udpLength >= 8 ? Math.min(end - payload, udpLength - 8) : end - payload;
        if (srcPort == DNS_PORT || dstPort == DNS_PORT) {
            return UDP;
        }
        TunnelPorts.Protocol tunnel = ports.at(dstPort);
        if (tunnel == TunnelPorts.Protocol.NONE) {
            tunnel = ports.at(srcPort);
        }
        int inner = switch (tunnel) {
            case NONE -> NOT_A_TUNNEL;
            case VXLAN -> vxlan(payload, payload + payloadLength);
            case GENEVE -> geneve(payload, payload + payloadLength);
            case GTP_U -> gtp(payload, payload + payloadLength);
            case GRE -> greHeaderLength(payload, payload + payloadLength) < 0 ? NOT_A_TUNNEL : gre(payload, payload + payloadLength);
            case TEREDO -> teredo(payload, payload + payloadLength);
            case AYIYA -> ayiya(payload, payload + payloadLength);
        };
        return inner == NOT_A_TUNNEL ? UDP : inner;
    }

    /**
     * VXLAN (RFC 7348): flags with the I bit, a 24-bit VNI, an Ethernet frame. The group-policy extension's G bit
     * (0x80) may be set; with the generic protocol extension's P bit (0x04, VXLAN-GPE) the fourth byte names
     * the payload: 1 IPv4, 2 IPv6, 3 Ethernet. Version and reserved bits (0x70) must be zero.
     */
    private int vxlan(int o, int end) {
        if (end - o < 8 + 20 || (data[o] & 0x78) != 0x08) {
            return NOT_A_TUNNEL;
        }
        int next = (data[o] & 0x04) != 0 ? Bytes.u8(data, o + 3) : 3;
        if (next < 1 || next > 3) {
            return NOT_A_TUNNEL;
        }
        if (!tunnel(Tunnels.Type.VXLAN, Bytes.u24(data, o + 4))) {
            return -1;
        }
        return next == 3 ? ipAt(ethernet(o + 8, end), end) : ipOfProtocol(next == 1 ? 4 : 41, o + 8, end);
    }

    /** Geneve (RFC 8926): version 0, options length in 4-byte words, protocol type, 24-bit VNI, options, payload. */
    private int geneve(int o, int end) {
        if (end - o < 8 || (data[o] & 0xc0) != 0) {
            return NOT_A_TUNNEL;
        }
        int inner = o + 8 + (data[o] & 0x3f) * 4;
        if (inner > end) {
            return NOT_A_TUNNEL;
        }
        return tunnel(Tunnels.Type.GENEVE, Bytes.u24(data, o + 4)) ? ipAt(carried(Bytes.u16(data, o + 2), inner, end), end) : -1;
    }

    /**
     * GTP-U version 1 (3GPP TS 29.281): a G-PDU carries a subscriber's IP packet after the 8-byte header, the
     * optional sequence number, N-PDU number and next-extension type, and the extension headers they chain.
     */
    private int gtp(int o, int end) {
        if (end - o < 8 || (data[o] & 0xf0) != 0x30) { // version 1, protocol type GTP (0 would be GTP')
            return NOT_A_TUNNEL;
        }
        if (Bytes.u8(data, o + 1) != 0xff) {
            return NOTHING; // echo, error indication, end marker: signalling, no user data
        }
        end = Math.min(end, o + 8 + Bytes.u16(data, o + 2)); // a snapped packet keeps what it has
        int inner = o + 8;
        if ((data[o] & 0x07) != 0) {
            inner += 4;
            int next = (data[o] & 0x04) != 0 && inner <= end ? Bytes.u8(data, inner - 1) : 0;
            while (next != 0 && inner < end && Bytes.u8(data, inner) > 0) { // each extension: length in 4-byte words, ..., next type
                inner += Bytes.u8(data, inner) * 4;
                next = inner <= end ? Bytes.u8(data, inner - 1) : 0;
            }
            if (next != 0 || inner > end) {
                return skip("truncated GTP header");
            }
        }
        return tunnel(Tunnels.Type.GTP, Bytes.u32(data, o + 4)) ? ip(inner, end) : -1;
    }

    /** Teredo (RFC 4380): IPv6 in UDP, after an optional authentication indicator and origin indication. */
    private int teredo(int o, int end) {
        if (end - o >= 4 && Bytes.u16(data, o) == 0x0001) { // client id, authentication value, nonce, confirmation
            o += 4 + Bytes.u8(data, o + 2) + Bytes.u8(data, o + 3) + 9;
        }
        if (end - o >= 8 && Bytes.u16(data, o) == 0x0000) {
            o += 8;
        }
        if (end - o < 40 || (data[o] & 0xf0) != 0x60 || o + 40 + Bytes.u16(data, o + 4) > end) {
            return NOT_A_TUNNEL;
        }
        return tunnel(Tunnels.Type.TEREDO, Tunnels.NO_ID) ? ipv6(o, end) : -1;
    }

    /**
     * AYIYA (Anything In Anything): an 8-byte header with the lengths of the identity (2^n bytes) and signature
     * (4n bytes) that follow it, an opcode (1: forward) and the carried packet's protocol number.
     */
    private int ayiya(int o, int end) {
        if (end - o < 8) {
            return NOT_A_TUNNEL;
        }
        int inner = o + 8 + (1 << (Bytes.u8(data, o) >> 4)) + (Bytes.u8(data, o + 1) >> 4) * 4;
        int protocol = Bytes.u8(data, o + 3);
        if ((data[o + 2] & 0x0f) != 1 || (protocol != 4 && protocol != 41) || inner > end) {
            return NOT_A_TUNNEL;
        }
        return tunnel(Tunnels.Type.AYIYA, Tunnels.NO_ID) ? ipOfProtocol(protocol, inner, end) : -1;
    }

    /**
     * Length of the GRE header at {@code data[o, end)} (RFC 2784 and 2890: checksum, key and sequence number, each
     * optional; RFC 2637's enhanced GRE of PPTP adds an acknowledgement), or -1 with the reason set for a
     * version other than 0 and 1, source routing, or reserved flags.
     */
    private int greHeaderLength(int o, int end) {
        if (end - o < 4) {
            return skip("truncated GRE header");
        }
        int flags = Bytes.u16(data, o);
        int version = flags & 7;
        boolean pptp = version == 1 && (flags & 0x2000) != 0 && Bytes.u16(data, o + 2) == 0x880b;
        if ((version != 0 && !pptp) || (flags & 0x4078) != 0 || (version == 0 && (flags & 0x0080) != 0)) {
            return skip("GRE version or flags not read");
        }
        int length = 4 + Integer.bitCount(flags & 0xb080) * 4; // checksum, key, sequence, acknowledgement
        return end - o < length ? skip("truncated GRE header") : length;
    }

    /** The packet, frame or mirrored frame a GRE header carries. */
    private int gre(int o, int end) {
        int length = greHeaderLength(o, end);
        if (length < 0) {
            return -1;
        }
        int flags = Bytes.u16(data, o);
        int type = Bytes.u16(data, o + 2);
        int inner = o + length;
        if ((flags & 7) == 1) {
            // PPTP: the key holds the payload length and the peer's call id, a handle that differs per direction
            // and names a call, not a site; PPTP tunnels are told apart by their outer addresses.
            if (!tunnel(Tunnels.Type.GRE, Tunnels.NO_ID)) {
                return -1;
            }
            return inner == end ? NOTHING : ipAt(ppp(inner, end), end); // an acknowledgement alone carries nothing
        }
        switch (type) {
            case 0x88be: // ERSPAN: type II has a sequence number and an 8-byte header; type I neither
                if ((flags & 0x1000) == 0) {
                    return erspan(Tunnels.NO_ID, inner, end);
                }
                if (end - inner < 8 || (data[inner] & 0xf0) != 0x10) {
                    return skip("truncated or unknown ERSPAN header");
                }
                return erspan(Bytes.u16(data, inner + 2) & 0x3ff, inner + 8, end);
            case 0x22eb: // ERSPAN type III: 12-byte header, and an 8-byte platform sub-header when its O bit is set
                if (end - inner < 12 || (data[inner] & 0xf0) != 0x20) {
                    return skip("truncated or unknown ERSPAN header");
                }
                if (((data[inner + 10] >> 2) & 0x1f) != 0) {
                    return skip("ERSPAN III frame type not Ethernet");
                }
                return erspan(Bytes.u16(data, inner + 2) & 0x3ff, inner + 12 + ((data[inner + 11] & 1) != 0 ? 8 : 0), end);
            default:
                long key = (flags & 0x2000) != 0 ? Bytes.u32(data, o + ((flags & 0x8000) != 0 ? 8 : 4)) : Tunnels.NO_ID;
                if (!tunnel(Tunnels.Type.GRE, key)) {
                    return -1;
                }
                boolean aruba = type >= 0x8200 && type <= 0x8370 && (type & 0xf) == 0 || type == 0x9000;
                return ipAt(aruba ? wifi(inner, end) : carried(type, inner, end), end);
        }
    }

    private int erspan(long session, int frame, int end) {
        return tunnel(Tunnels.Type.ERSPAN, session) ? ipAt(ethernet(frame, end), end) : -1;
    }

    /**
     * An 802.11 data frame, as Aruba access points send them to their controller in GRE: the offset of the IP
     * packet after its header and LLC/SNAP header, or -1. Encrypted frames and A-MSDU aggregates are not read.
     */
    private int wifi(int o, int end) {
        if (end - o < 24) {
            return skip("truncated 802.11 header");
        }
        int control = Bytes.u8(data, o);
        int flags = Bytes.u8(data, o + 1);
        if ((control & 0x0c) != 0x08 || (control & 0x40) != 0) {
            return skip("802.11 frame without data"); // management, control, or a null-data subtype
        }
        if ((flags & 0x40) != 0) {
            return skip("encrypted 802.11 frame");
        }
        int h = o + 24 + ((flags & 0x03) == 0x03 ? 6 : 0); // a fourth address between two distribution systems
        if ((control & 0x80) != 0) { // QoS data: a 2-byte QoS control, and an HT control when the order bit is set
            if (end - h < 2) {
                return skip("truncated 802.11 header");
            }
            if ((data[h] & 0x80) != 0) {
                return skip("802.11 A-MSDU (not read)");
            }
            h += 2 + ((flags & 0x80) != 0 ? 4 : 0);
        }
        if (end - h < 8) {
            return skip("truncated 802.11 header");
        }
        boolean snap = Bytes.u16(data, h) == 0xaaaa && Bytes.u8(data, h + 2) == 0x03 && Bytes.u24(data, h + 3) == 0;
        return snap ? etherType(Bytes.u16(data, h + 6), h + 8, end) : skip(NOT_IP);
    }

    /** Decodes the IP packet at {@code ip}, an offset found by a frame's decoder (or -1 when it failed). */
    private int ipAt(int ip, int end) {
        return ip < 0 ? -1 : ip(ip, end);
    }

    /** Notes a tunnel layer carried by the current IP header; false with the skip reason set when too deep. */
    private boolean tunnel(Tunnels.Type type, long id) {
        if (tunnels.push(type, id, this)) {
            return true;
        }
        skipReason = TOO_DEEP;
        return false;
    }

    private int skip(String reason) {
        skipReason = reason;
        return -1;
    }

    /** The first 8 bytes of an address of the current IP header; an IPv4 address whole, in the low 4 bytes. */
    long addressHigh(int addr) {
        return ipVersion == 4 ? Bytes.u32(data, addr) : Bytes.u64(data, addr);
    }

    /** The last 8 bytes of an IPv6 address; -1 for IPv4, which cannot collide: a v4-mapped address has zero there. */
    long addressLow(int addr) {
        return ipVersion == 4 ? -1 : Bytes.u64(data, addr + 8);
    }

    String srcIp() {
        return ipVersion == 4 ? Bytes.ipv4(data, srcAddr) : Bytes.ipv6(data, srcAddr);
    }

    String dstIp() {
        return ipVersion == 4 ? Bytes.ipv4(data, dstAddr) : Bytes.ipv6(data, dstAddr);
    }
}
