package org.tiktokdetector.decode.capture;

/**
 * The link, IP and UDP/TCP headers of one packet, decoded in place: fields are offsets into
 * {@link #data} and numbers, so decoding allocates nothing. One instance is reused for every packet.
 *
 * <p>Link types: Ethernet (1) with 802.1Q/802.1ad/QinQ tags and PPPoE sessions, Linux cooked SLL (113)
 * and SLL2 (276), raw IP (101, 12, 14, 228, 229), BSD null (0) and loopback (108), PPP (9, with or without
 * HDLC address and control bytes). IPv6 extension headers (hop-by-hop, routing, destination options,
 * AH) are walked; IPv4 fragments are reassembled by {@link Ipv4Fragments}; IPv6 fragments are not.
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

    private final Ipv4Fragments fragments;

    PacketHeaders(Ipv4Fragments fragments) {
        this.fragments = fragments;
    }

    /**
     * @return {@link #UDP} or {@link #TCP} with the fields set, {@link #NOTHING}, or -1 with
     *         {@link #skipReason} set to a constant phrase
     */
    int decode(Packet p) {
        data = p.data;
        timestampMicros = p.timestampMicros;
        int ip = linkPayload(p.linkType, p.data, p.length);
        if (ip < 0) {
            return -1;
        }
        if (ip >= p.length) {
            return skip("truncated link header");
        }
        int version = (data[ip] >> 4) & 0xf;
        if (version == 4) {
            return ipv4(ip, p.length);
        }
        if (version == 6) {
            return ipv6(ip, p.length);
        }
        return skip("not IPv4 or IPv6");
    }

    /** Offset of the IP header, or -1 with the skip reason set. */
    private int linkPayload(int linkType, byte[] b, int len) {
        switch (linkType) {
            case 1: // Ethernet
                return ethernet(b, 12, len);
            case 113: // Linux cooked v1: protocol at 14, header 16
                return len < 16 ? skip("truncated link header") : etherType(b, Bytes.u16(b, 14), 16, len);
            case 276: // Linux cooked v2: protocol at 0, header 20
                return len < 20 ? skip("truncated link header") : etherType(b, Bytes.u16(b, 0), 20, len);
            case 101: case 12: case 14: case 228: case 229: // raw IP
                return 0;
            case 0: case 108: // 4-byte address family, host or network order: the IP version says which
                return 4;
            case 9: // PPP, HDLC-framed or not
                int o = len >= 2 && Bytes.u8(b, 0) == 0xff && Bytes.u8(b, 1) == 0x03 ? 2 : 0;
                return len < o + 2 ? skip("truncated link header") : ppp(Bytes.u16(b, o), o + 2);
            default:
                return skip("unsupported link type");
        }
    }

    private int ethernet(byte[] b, int typeAt, int len) {
        if (len < typeAt + 2) {
            return skip("truncated link header");
        }
        return etherType(b, Bytes.u16(b, typeAt), typeAt + 2, len);
    }

    private int etherType(byte[] b, int type, int next, int len) {
        switch (type) {
            case 0x0800: case 0x86dd:
                return next;
            case 0x8100: case 0x88a8: case 0x9100: // VLAN tag: 2 bytes TCI, then the inner type
                return ethernet(b, next + 2, len);
            case 0x8864: // PPPoE session: 6-byte header, then the PPP protocol
                return len < next + 8 ? skip("truncated link header") : ppp(Bytes.u16(b, next + 6), next + 8);
            default:
                return skip("not IPv4 or IPv6");
        }
    }

    private int ppp(int protocol, int next) {
        return protocol == 0x0021 || protocol == 0x0057 ? next : skip("not IPv4 or IPv6");
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
            int whole = fragments.add(data, ip, ihl, end, timestampMicros);
            if (whole < 0) {
                return NOTHING;
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
                case 44: // fragment: only an atomic fragment (offset 0, no more) is a whole datagram
                    if (o + 8 > end) {
                        return skip("truncated IPv6 extension header");
                    }
                    if ((Bytes.u16(data, o + 2) & 0xfff9) != 0) {
                        return skip("IPv6 fragment (not reassembled)");
                    }
                    next = Bytes.u8(data, o);
                    o += 8;
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
        if (protocol == UDP) {
            if (end - o < 8) {
                return skip("truncated UDP header");
            }
            srcPort = Bytes.u16(data, o);
            dstPort = Bytes.u16(data, o + 2);
            int udpLength = Bytes.u16(data, o + 4);
            payload = o + 8;
            payloadLength = udpLength >= 8 ? Math.min(end - payload, udpLength - 8) : end - payload;
            return UDP;
        }
        if (protocol == TCP) {
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
        }
        return NOTHING;
    }

    private int skip(String reason) {
        skipReason = reason;
        return -1;
    }

    String srcIp() {
        return ipVersion == 4 ? Bytes.ipv4(data, srcAddr) : Bytes.ipv6(data, srcAddr);
    }

    String dstIp() {
        return ipVersion == 4 ? Bytes.ipv4(data, dstAddr) : Bytes.ipv6(data, dstAddr);
    }
}
