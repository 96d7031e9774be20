package org.tiktokdetector.decode.capture;

import java.util.Arrays;

/**
 * Reassembles fragmented IPv4 datagrams (large DNS answers over UDP come fragmented), within bounds:
 * at most {@link #MAX_PENDING} datagrams in progress (the oldest is dropped first), none kept longer
 * than {@link #TIMEOUT_MICROS} of packet time, none larger than 64 KiB.
 */
final class Ipv4Fragments {
    static final int MAX_PENDING = 256;
    static final long TIMEOUT_MICROS = 30_000_000L;
    private static final int MAX_DATAGRAM = 65535;

    /** {@code tunnel}: the hash of the tunnels around the fragment, so that two tenants' datagrams never mix. */
    private record Key(long addresses, long idAndProtocol, long tunnel) {}

    private static final class Pending extends FlowTable.Entry {
        final byte[] header = new byte[20];
        byte[] payload = new byte[2048];
        /** One bit per 8-byte unit received. */
        final long[] units = new long[(MAX_DATAGRAM / 8 + 64) / 64];
        int totalPayload = -1;
    }

    private final FlowTable<Key, Pending> pending = new FlowTable<>(MAX_PENDING, TIMEOUT_MICROS);
    private byte[] datagram = new byte[2048];

    /**
     * Adds the fragment at {@code data[ip, end)}, found in the tunnels whose {@link Tunnels#hash()} is {@code tunnel}.
     *
     * @return the length of the reassembled datagram, now in {@link #datagram()} with a 20-byte
     *         header (options dropped), or -1 while fragments are missing
     */
    int add(byte[] data, int ip, int ihl, int end, long timestampMicros, long tunnel) {
        int flagsOffset = Bytes.u16(data, ip + 6);
        int offset = (flagsOffset & 0x1fff) * 8;
        boolean more = (flagsOffset & 0x2000) != 0;
        int length = end - ip - ihl;
        if (offset + length > MAX_DATAGRAM || (more && length % 8 != 0) || length <= 0) {
            return -1;
        }
        Key key = new Key(Bytes.u32(data, ip + 12) << 32 | Bytes.u32(data, ip + 16),
                (long) Bytes.u16(data, ip + 4) << 8 | Bytes.u8(data, ip + 9), tunnel);
        Pending p = pending.get(key, timestampMicros);
        if (p == null) {
            p = pending.put(key, new Pending(), timestampMicros);
        }
        if (offset == 0) {
            System.arraycopy(data, ip, p.header, 0, 20);
        }
        if (!more) {
            p.totalPayload = offset + length;
        }
        if (p.payload.length < offset + length) {
            p.payload = Arrays.copyOf(p.payload, Math.min(MAX_DATAGRAM, Math.max(offset + length, p.payload.length * 2)));
        }
        System.arraycopy(data, ip + ihl, p.payload, offset, length);
        for (int u = offset / 8; u < (offset + length + 7) / 8; u++) {
            p.units[u >> 6] |= 1L << u;
        }
        if (p.totalPayload < 0 || !complete(p)) {
            return -1;
        }
        pending.remove(key);
        int total = 20 + p.totalPayload;
        if (datagram.length < total) {
            datagram = new byte[Math.max(total, datagram.length * 2)];
        }
        System.arraycopy(p.header, 0, datagram, 0, 20);
        datagram[0] = 0x45;
        datagram[2] = (byte) (total >> 8);
        datagram[3] = (byte) total;
        datagram[6] = 0;
        datagram[7] = 0;
        System.arraycopy(p.payload, 0, datagram, 20, p.totalPayload);
        return total;
    }

    private static boolean complete(Pending p) {
        int unitCount = (p.totalPayload + 7) / 8;
        for (int u = 0; u < unitCount; u++) {
            if ((p.units[u >> 6] & (1L << u)) == 0) {
                return false;
            }
        }
        return (p.header[0] & 0xf0) == 0x40; // the first fragment, with the header, has arrived
    }

    byte[] datagram() {
        return datagram;
    }
}
