package org.tiktokdetector.decode.capture;

import java.util.Arrays;

/**
 * Reassembles fragmented IPv4 and IPv6 datagrams (large DNS answers over UDP come fragmented), within bounds:
 * at most {@link #MAX_PENDING} datagrams in progress (the oldest is dropped first), none kept longer
 * than {@link #TIMEOUT_MICROS} of packet time, none larger than 64 KiB. A datagram is keyed by family, addresses,
 * identification, protocol and tunnel. A fragment may repeat bytes already received (a duplicate); one that
 * gives them different values, or reaches past the end the last fragment set, is a lie that could hide a name
 * from us: the datagram is dropped (RFC 5722 drops IPv6 datagrams with any overlap).
 */
final class IpFragments {
    static final int MAX_PENDING = 256;
    static final long TIMEOUT_MICROS = 30_000_000L;
    /** {@link #ipv4} and {@link #ipv6}: the fragment or its datagram was dropped, see {@link #dropReason}. */
    static final int DROPPED = -2;
    private static final int MAX_DATAGRAM = 65535;

    /** {@code tunnel}: the hash of the tunnels around the fragment, so that two tenants' datagrams never mix. */
    private record Key(long src0, long src1, long dst0, long dst1, long familyIdAndProtocol, long tunnel) {}

    private static final class Pending extends FlowTable.Entry {
        /** The IP header of the first fragment (offset 0): 20 bytes for IPv4, 40 for IPv6. */
        final byte[] header = new byte[40];
        boolean haveFirst;
        byte[] payload = new byte[2048];
        /** One bit per 8-byte unit received. */
        final long[] units = new long[(MAX_DATAGRAM / 8 + 64) / 64];
        int totalPayload = -1;
        /** The end of the furthest fragment received. */
        int highestEnd;
    }

    private final FlowTable<Key, Pending> pending = new FlowTable<>(MAX_PENDING, TIMEOUT_MICROS);
    private byte[] datagram = new byte[2048];
    String dropReason;

    /**
     * Adds the IPv4 fragment at {@code data[ip, end)}, found in the tunnels whose {@link Tunnels#hash()} is {@code tunnel}.
     *
     * @return the length of the reassembled datagram, now in {@link #datagram()} with a 20-byte
     *         header (options dropped), -1 while fragments are missing, or {@link #DROPPED}
     */
    int ipv4(byte[] data, int ip, int ihl, int end, long timestampMicros, long tunnel) {
        int flagsOffset = Bytes.u16(data, ip + 6);
        Key key = new Key(Bytes.u32(data, ip + 12), 0, Bytes.u32(data, ip + 16), 0,
                4L << 48 | (long) Bytes.u16(data, ip + 4) << 8 | Bytes.u8(data, ip + 9), tunnel);
        int total = add(key, data, ip, 20, ip + ihl, end, (flagsOffset & 0x1fff) * 8, (flagsOffset & 0x2000) != 0, timestampMicros);
        if (total > 0) {
            datagram[0] = 0x45;
            datagram[2] = (byte) (total >> 8);
            datagram[3] = (byte) total;
            datagram[6] = 0;
            datagram[7] = 0;
        }
        return total;
    }

    /**
     * Adds the IPv6 fragment at {@code data[ip, end)} whose Fragment header is at {@code fragment}.
     *
     * @return the length of the reassembled datagram, now in {@link #datagram()} with the 40-byte fixed
     *         header whose next header is the fragmented part's (the extension headers before the Fragment
     *         header are dropped), -1 while fragments are missing, or {@link #DROPPED}
     */
    int ipv6(byte[] data, int ip, int fragment, int end, long timestampMicros, long tunnel) {
        int next = Bytes.u8(data, fragment);
        Key key = new Key(Bytes.u64(data, ip + 8), Bytes.u64(data, ip + 16), Bytes.u64(data, ip + 24), Bytes.u64(data, ip + 32),
                6L << 48 | Bytes.u32(data, fragment + 4) << 8 | next, tunnel);
        int offsetFlags = Bytes.u16(data, fragment + 2);
        int total = add(key, data, ip, 40, fragment + 8, end, offsetFlags & 0xfff8, (offsetFlags & 1) != 0, timestampMicros);
        if (total > 0) {
            datagram[4] = (byte) ((total - 40) >> 8);
            datagram[5] = (byte) (total - 40);
            datagram[6] = (byte) next;
        }
        return total;
    }

    private int add(Key key, byte[] data, int ip, int headerLength, int start, int end, int offset, boolean more, long now) {
        int length = end - start;
        if (offset + length > MAX_DATAGRAM || (more && length % 8 != 0) || length <= 0) {
            return drop("IP fragment with a bad length or offset");
        }
        Pending p = pending.get(key, now);
        if (p == null) {
            p = pending.put(key, new Pending(), now);
        }
        int newTotal = more ? p.totalPayload : offset + length;
        if (p.totalPayload >= 0 && (offset + length > p.totalPayload || newTotal != p.totalPayload)
                || !more && p.highestEnd > newTotal) {
            pending.remove(key);
            return drop("IP fragments disagree on the datagram's end");
        }
        if (p.payload.length < offset + length) {
            p.payload = Arrays.copyOf(p.payload, Math.min(MAX_DATAGRAM, Math.max(offset + length, p.payload.length * 2)));
        }
        if (!sameWhereReceived(p, data, start, offset, length)) {
            pending.remove(key);
            return drop("IP fragments overlap with different bytes");
        }
        p.totalPayload = newTotal;
        p.highestEnd = Math.max(p.highestEnd, offset + length);
        if (offset == 0) {
            System.arraycopy(data, ip, p.header, 0, headerLength);
            p.haveFirst = true;
        }
        System.arraycopy(data, start, p.payload, offset, length);
        for (int u = offset / 8; u < (offset + length + 7) / 8; u++) {
            p.units[u >> 6] |= 1L << u;
        }
        if (p.totalPayload < 0 || !p.haveFirst || !complete(p)) {
            return -1;
        }
        pending.remove(key);
        int total = headerLength + p.totalPayload;
        if (datagram.length < total) {
            datagram = new byte[Math.max(total, datagram.length * 2)];
        }
        System.arraycopy(p.header, 0, datagram, 0, headerLength);
        System.arraycopy(p.payload, 0, datagram, headerLength, p.totalPayload);
        return total;
    }

    private int drop(String reason) {
        dropReason = reason;
        return DROPPED;
    }

    private static boolean received(Pending p, int unit) {
        return (p.units[unit >> 6] & (1L << unit)) != 0;
    }

    /** True when the bytes of units already received equal the fragment's: a duplicate, not a lie. */
    private static boolean sameWhereReceived(Pending p, byte[] data, int start, int offset, int length) {
        for (int u = offset / 8; u < (offset + length + 7) / 8; u++) {
            if (received(p, u)) {
                int from = Math.max(offset, u * 8);
                int to = Math.min(offset + length, u * 8 + 8);
                if (!Arrays.equals(p.payload, from, to, data, start + from - offset, start + to - offset)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean complete(Pending p) {
        int unitCount = (p.totalPayload + 7) / 8;
        for (int u = 0; u < unitCount; u++) {
            if (!received(p, u)) {
                return false;
            }
        }
        return true;
    }

    byte[] datagram() {
        return datagram;
    }
}
