package org.tiktokdetector.decode.capture;

/**
 * One captured frame: link type, capture time, and the captured bytes {@code data[0, length)}.
 * Mutable and reused by readers so that reading a capture allocates nothing per packet; copy what
 * you keep.
 */
public final class Packet {
    /** LINKTYPE_* value from the capture (1 Ethernet, 113 SLL, 276 SLL2, 101 raw IP, ...). */
    public int linkType;
    /** Capture time, microseconds since the epoch (UTC). */
    public long timestampMicros;
    public byte[] data = new byte[2048];
    /** Captured length: bytes of {@link #data} that are valid. */
    public int length;
    /** Length on the wire; larger than {@link #length} when the capture was cut by a snap length. */
    public int originalLength;

    /** Makes room for {@code n} bytes, keeping none of the old content. */
    byte[] ensureCapacity(int n) {
        if (data.length < n) {
            data = new byte[Math.max(n, data.length * 2)];
        }
        return data;
    }

    /** Sets this packet from copied bytes (tests, live capture). */
    public Packet set(int linkType, long timestampMicros, byte[] bytes, int len) {
        this.linkType = linkType;
        this.timestampMicros = timestampMicros;
        System.arraycopy(bytes, 0, ensureCapacity(len), 0, len);
        this.length = len;
        this.originalLength = len;
        return this;
    }
}
