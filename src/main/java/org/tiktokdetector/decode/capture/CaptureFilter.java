package org.tiktokdetector.decode.capture;

import java.util.StringJoiner;

/**
 * The default BPF filter of a live capture: it passes what {@link FlowExtractor} reads and little else, so a busy
 * mirror port costs a fraction of its packet rate (video and downloads, the bulk of it, are server-to-client data on
 * established connections and do not pass). What passes, by clause:
 * <ul>
 *   <li>DNS: UDP and TCP port 53, both directions;</li>
 *   <li>QUIC long-header packets (Initials and the rest of the handshake) on any UDP port: first byte with the
 *       header-form and fixed bits set (RTP, whose first byte has the form bit alone, does not pass), and Google QUIC
 *       Q043 packets that carry a version on UDP 443;</li>
 *   <li>on the usual TLS and HTTP ports, TCP segments from the client that carry data (a ClientHello of several
 *       segments, an HTTP request line and its headers) and the SYN, FIN and RST of each connection;</li>
 *   <li>on any other TCP port, a segment that starts a TLS ClientHello record or an HTTP request
 *       (GET, POST, HEAD, CONNECT): a hello there is read when it fits in one segment;</li>
 *   <li>whatever may carry those inside a tunnel the decoder peels: GRE and ERSPAN (IP protocol 47), IP in IP
 *       (4, 41), the UDP tunnel ports ({@link TunnelPorts}), and on Ethernet MPLS, 802.1ah PBB and PPPoE sessions;</li>
 *   <li>IP fragments (IPv4 with a fragment offset or more-fragments flag, IPv6 fragment headers), which the decoder
 *       reassembles: only the first fragment has the ports the clauses above test.</li>
 * </ul>
 * On Ethernet the same clauses are applied again after one 802.1Q tag ({@code (F) or (vlan and (F))}); libpcap's
 * {@code vlan} keyword shifts the offsets of everything after it, so it comes last. Linux usually strips the tag
 * into packet metadata before the filter runs, and then the first part matches. IPv6 clauses read the transport
 * header right after the fixed IPv6 header, as libpcap does: a segment behind extension headers is not passed.
 */
public final class CaptureFilter {
    /** Ports on which TLS and HTTP clients' data is passed whole, not only the segment that starts a hello or request. */
    public static final String WEB_PORTS = "443 or 8443 or 80 or 8080";
    private static final int LINKTYPE_ETHERNET = 1;

    private CaptureFilter() {}

    /**
     * The default expression for an interface of this link type (a DLT number, as {@link Packet#linkType}), looking
     * for tunnels on these UDP ports.
     */
    public static String defaultFor(int linkType, TunnelPorts tunnelPorts) {
        String f = clauses(tunnelPorts);
        if (linkType != LINKTYPE_ETHERNET) {
            return f;
        }
        String ethernet = "(" + f + ") or ether proto 0x8847 or ether proto 0x8848 or ether proto 0x88e7 or ether proto 0x8864";
        return ethernet + " or (vlan and (" + ethernet + "))";
    }

    private static String clauses(TunnelPorts tunnelPorts) {
        StringJoiner or = new StringJoiner(" or ");
        or.add("udp port 53 or tcp port 53");
        // libpcap's udp[] and tcp[] read IPv4 only: IPv6's transport header is read at its place after the fixed header
        or.add(transport("", "udp[%s]", "tcp[%s]", "tcp[%s%s]", "ip[2:2] - ((ip[0] & 0x0f) << 2)"));
        or.add(transport("ip6[6] = %s and ", "ip6[40 + %s]", "ip6[40 + %s]", "ip6[%s + 40%s]", "ip6[4:2]"));
        or.add("ip proto 47 or ip proto 4 or ip proto 41 or ip6 proto 47 or ip6 proto 4 or ip6 proto 41");
        if (!tunnelPorts.all().isEmpty()) {
            StringJoiner ports = new StringJoiner(" or ", "udp port (", ")");
            tunnelPorts.all().forEach(p -> ports.add(Integer.toString(p)));
            or.add(ports.toString());
        }
        or.add("ip[6:2] & 0x3fff != 0 or ip6 proto 44");
        return or.toString();
    }

    /**
     * The QUIC, TLS and HTTP clauses for one IP version.
     *
     * @param guard   what makes the transport header sit where {@code udp} and {@code tcp} say (%s: the protocol number)
     * @param udp     the byte of the UDP header at an offset (%s)
     * @param tcp     the byte of the TCP header at an offset (%s)
     * @param payload the byte of the TCP payload at an offset (%s) from the TCP header's start, and a size (%s: ":4")
     * @param ipLength the IP packet's length less the IP header's, as BPF arithmetic
     */
    private static String transport(String guard, String udp, String tcp, String payload, String ipLength) {
        String dataOffset = "((" + tcp.formatted("12") + " & 0xf0) >> 2)";
        String at = payload.formatted(dataOffset, "");
        String at5 = payload.formatted(dataOffset + " + 5", "");
        String at4 = payload.formatted(dataOffset, ":4");
        String udpGuard = guard.formatted("17");
        String tcpGuard = guard.formatted("6");
        return String.join(" or ",
                "(" + udpGuard + udp.formatted("8") + " & 0xc0 = 0xc0)",
                "(" + udpGuard + "udp port 443 and " + udp.formatted("8") + " & 0xc1 = 0x01)",
                "(" + tcpGuard + "tcp dst port (" + WEB_PORTS + ") and (" + tcp.formatted("13") + " & 0x07 != 0 or "
                        + ipLength + " - " + dataOffset + " != 0))",
                "(" + tcpGuard + at + " = 0x16 and " + at5 + " = 0x01)",
                "(" + tcpGuard + "(" + at4 + " = 0x47455420 or " + at4 + " = 0x504f5354 or " + at4 + " = 0x48454144 or "
                        + at4 + " = 0x434f4e4e))");
    }
}
