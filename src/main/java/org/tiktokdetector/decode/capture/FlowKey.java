package org.tiktokdetector.decode.capture;

/**
 * Directional 5-tuple of a packet without its protocol (the maps that use it hold one protocol each):
 * addresses packed into longs so that a lookup needs no allocation. Mutable: decoders fill one probe
 * key per packet and {@link #copy()} it only when they insert.
 */
final class FlowKey {
    private long src0;
    private long src1;
    private long dst0;
    private long dst1;
    private int ports;

    /** Sets this key to the packet's source to destination direction. */
    FlowKey set(PacketHeaders h) {
        if (h.ipVersion == 4) {
            src0 = Bytes.u32(h.data, h.srcAddr);
            dst0 = Bytes.u32(h.data, h.dstAddr);
            src1 = dst1 = -1; // cannot collide with IPv6: a v4-mapped address has zero in the low half
        } else {
            src0 = Bytes.u64(h.data, h.srcAddr);
            src1 = Bytes.u64(h.data, h.srcAddr + 8);
            dst0 = Bytes.u64(h.data, h.dstAddr);
            dst1 = Bytes.u64(h.data, h.dstAddr + 8);
        }
        ports = h.srcPort << 16 | h.dstPort;
        return this;
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.src0 = src0;
        k.src1 = src1;
        k.dst0 = dst0;
        k.dst1 = dst1;
        k.ports = ports;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && src0 == k.src0 && src1 == k.src1 && dst0 == k.dst0 && dst1 == k.dst1
                && ports == k.ports;
    }

    @Override
    public int hashCode() {
        long h = src0 * 31 + src1;
        h = h * 31 + dst0;
        h = h * 31 + dst1;
        h = h * 31 + ports;
        return (int) (h ^ (h >>> 32));
    }
}
