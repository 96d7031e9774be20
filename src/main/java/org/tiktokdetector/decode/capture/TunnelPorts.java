package org.tiktokdetector.decode.capture;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The UDP ports on which {@link FlowExtractor} looks for tunnels; immutable. {@link #DEFAULTS} has the standard
 * ones: VXLAN 4789 (IANA) and 8472 (the Linux kernel's default), Geneve 6081, GTP-U 2152, GRE over UDP 4754,
 * Teredo 3544, AYIYA 5072. A datagram is read as a tunnel when its destination port, else its source port, is
 * one of these, neither port is DNS's 53, and the tunnel header checks out; otherwise its payload is read as it is.
 */
public final class TunnelPorts implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Protocol { NONE, VXLAN, GENEVE, GTP_U, GRE, TEREDO, AYIYA }

    /** The names {@link #parse} takes, as a user writes them. */
    private static final Map<String, Protocol> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("vxlan", Protocol.VXLAN);
        NAMES.put("geneve", Protocol.GENEVE);
        NAMES.put("gtp", Protocol.GTP_U);
        NAMES.put("gre", Protocol.GRE);
        NAMES.put("teredo", Protocol.TEREDO);
        NAMES.put("ayiya", Protocol.AYIYA);
    }

    public static final TunnelPorts DEFAULTS = new TunnelPorts(Set.of(4789, 8472), Set.of(6081), Set.of(2152),
            Set.of(4754), Set.of(3544), Set.of(5072));

    private static final Protocol[] PROTOCOLS = Protocol.values();

    /** The protocol ordinal of every port: one array read per datagram. */
    private final byte[] byPort = new byte[65536];
    private final EnumMap<Protocol, Set<Integer>> ports = new EnumMap<>(Protocol.class);

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

    /**
     * The defaults with some protocols' ports replaced, as a user gives them: {@code vxlan=4789,8472}, {@code gtp=2152},
     * {@code teredo=none} (not looked for).
     *
     * @throws IllegalArgumentException naming the mistake and what is allowed
     */
    public static TunnelPorts parse(List<String> specs) {
        EnumMap<Protocol, Set<Integer>> chosen = new EnumMap<>(DEFAULTS.ports);
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            Protocol p = eq < 0 ? null : NAMES.get(spec.substring(0, eq).toLowerCase(Locale.ROOT));
            if (p == null) {
                throw new IllegalArgumentException("tunnel ports \"" + spec + "\": write NAME=PORT[,PORT...] or NAME=none, NAME one of "
                        + String.join(", ", NAMES.keySet()));
            }
            Set<Integer> set = new TreeSet<>();
            String list = spec.substring(eq + 1);
            if (!list.equalsIgnoreCase("none")) {
                for (String port : list.split(",")) {
                    try {
                        set.add(Integer.parseInt(port.strip()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("tunnel ports \"" + spec + "\": \"" + port + "\" is not a port number");
                    }
                }
            }
            chosen.put(p, set);
        }
        return new TunnelPorts(chosen.get(Protocol.VXLAN), chosen.get(Protocol.GENEVE), chosen.get(Protocol.GTP_U),
                chosen.get(Protocol.GRE), chosen.get(Protocol.TEREDO), chosen.get(Protocol.AYIYA));
    }

    private void assign(Protocol protocol, Set<Integer> ports) {
        this.ports.put(protocol, Set.copyOf(ports));
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

    /** Every port on which some tunnel is looked for, in order. */
    public Set<Integer> all() {
        Set<Integer> all = new TreeSet<>();
        ports.values().forEach(all::addAll);
        return all;
    }

    Protocol at(int port) {
        return PROTOCOLS[byPort[port]];
    }
}
