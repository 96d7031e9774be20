package org.tiktokdetector.decode.capture;

import java.util.Arrays;

/**
 * Directional 5-tuple of a packet without its protocol (the maps that use it hold one protocol each), and the
 * identity of the tunnels it was found in ({@link Tunnels}), so that the same inner addresses in two tunnels are
 * two flows. Addresses are packed into longs so that a lookup needs no allocation. Mutable: decoders fill one
 * probe key per packet and {@link #copy()} it only when they insert.
 */
final class FlowKey {
    private static final long[] NO_TUNNEL = new long[0];

    private long src0;
    private long src1;
    private long dst0;
    private long dst1;
    private int ports;
    /** The tunnel identity: {@code tunnel[0, tunnelWords)}; a probe key shares the headers' array. */
    private long[] tunnel = NO_TUNNEL;
    private int tunnelWords;

    /** Sets this key to the packet's source to destination direction. */
    FlowKey set(PacketHeaders h) {
        src0 = h.addressHigh(h.srcAddr);
        src1 = h.addressLow(h.srcAddr);
        dst0 = h.addressHigh(h.dstAddr);
        dst1 = h.addressLow(h.dstAddr);
        ports = h.srcPort << 16 | h.dstPort;
        tunnel = h.tunnels.words;
        tunnelWords = h.tunnels.wordCount();
        return this;
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.src0 = src0;
        k.src1 = src1;
        k.dst0 = dst0;
        k.dst1 = dst1;
        k.ports = ports;
        k.tunnel = tunnelWords == 0 ? NO_TUNNEL : Arrays.copyOf(tunnel, tunnelWords);
        k.tunnelWords = tunnelWords;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && src0 == k.src0 && src1 == k.src1 && dst0 == k.dst0 && dst1 == k.dst1
                && ports == k.ports && tunnelWords == k.tunnelWords
                && (tunnelWords == 0 || Arrays.equals(tunnel, 0, tunnelWords, k.tunnel, 0, tunnelWords));
    }

    @Override
    public int hashCode() {
        long h = src0 * 31 + src1;
        h = h * 31 + dst0;
        h = h * 31 + dst1;
        h = h * 31 + ports;
        if (tunnelWords > 0) {
            h = h * 31 + Tunnels.hash(tunnel, tunnelWords);
        }
        return (int) (h ^ (h >>> 32));
    }
}
