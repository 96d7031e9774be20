package org.tiktokdetector.decode.capture;

import java.util.Set;

/**
 * The UDP ports on which {@link FlowExtractor} looks for tunnels; immutable. {@link #DEFAULTS} has the standard
 * ones: VXLAN 4789 (IANA) and 8472 (the Linux kernel's default), Geneve 6081, GTP-U 2152, GRE over UDP 4754,
 * Teredo 3544, AYIYA 5072. A datagram is read as a tunnel when its destination port, else its source port, is
 * one of these, neither port is DNS's 53, and the tunnel header checks out; otherwise its payload is read as it is.
 */
public final class TunnelPorts {
    enum Protocol { NONE, VXLAN, GENEVE, GTP_U, GRE, TEREDO, AYIYA }

    public static final TunnelPorts DEFAULTS = new TunnelPorts(Set.of(4789, 8472), Set.of(6081), Set.of(2152),
            Set.of(4754), Set.of(3544), Set.of(5072));

    private static final Protocol[] PROTOCOLS = Protocol.values();

    /** The protocol ordinal of every port: one array read per datagram. */
    private final byte[] byPort = new byte[65536];

    /** @throws IllegalArgumentException for a port outside 1 to 65535, 53, or one port given to two protocols */
    public TunnelPorts(Set<Integer> vxlan, Set<Integer> geneve, Set<Integer> gtpU, Set<Integer> greOverUdp,
                       Set<Integer> teredo, Set<Integer> ayiya) {
        assign(Protocol.VXLAN, vxlan);
        assign(Protocol.GENEVE, geneve);
        assign(Protocol.GTP_U, gtpU);
        assign(Protocol.GRE, greOverUdp);
        assign(Protocol.TEREDO, teredo);
        assign(Protocol.AYIYA, ayiya);
    }

    private void assign(Protocol protocol, Set<Integer> ports) {
        for (int port : ports) {
            if (port < 1 || port > 65535 || port == 53) {
                throw new IllegalArgumentException(protocol + " port " + port + ": expected 1 to 65535, not DNS's 53");
            }
            if (byPort[port] != 0) {
                throw new IllegalArgumentException("port " + port + " is given to both " + PROTOCOLS[byPort[port]]
                        + " and " + protocol);
            }
            byPort[port] = (byte) protocol.ordinal();
        }
    }

    Protocol at(int port) {
        return PROTOCOLS[byPort[port]];
    }
}
