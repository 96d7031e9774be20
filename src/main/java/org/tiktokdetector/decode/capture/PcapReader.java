package org.tiktokdetector.decode.capture;

import java.io.IOException;

/**
 * pcap: a 24-byte file header, then a 16-byte header before each packet. Both byte orders, microsecond
 * (0xa1b2c3d4) and nanosecond (0xa1b23c4d) timestamps. A record whose captured length exceeds the snap
 * length is reported and skipped; one above {@link CaptureReader#MAX_PACKET} ends the capture.
 */
final class PcapReader implements FormatReader {
    private final CaptureInput in;
    private final byte[] head = new byte[24];
    private final boolean littleEndian;
    private final boolean nanoseconds;
    private final long snaplen;
    private final int linkType;

    private PcapReader(CaptureInput in, byte[] fileHeader, long magic) {
        this.in = in;
        littleEndian = magic == 0xd4c3b2a1L || magic == 0x4d3cb2a1L;
        nanoseconds = magic == 0xa1b23c4dL || magic == 0x4d3cb2a1L;
        snaplen = Bytes.u32(fileHeader, 16, littleEndian);
        linkType = (int) (Bytes.u32(fileHeader, 20, littleEndian) & 0xffff); // upper bits: FCS length
        in.recordsAre("record");
    }

    /** Whether a file starting with these 4 bytes (read big-endian) is a pcap file. */
    static boolean isMagic(long magic) {
        return magic == 0xa1b2c3d4L || magic == 0xd4c3b2a1L || magic == 0xa1b23c4dL || magic == 0x4d3cb2a1L;
    }

    /** Reads the rest of the file header after its {@code magic}; null when the file ends inside it. */
    static PcapReader open(CaptureInput in, byte[] magic) throws IOException {
        byte[] header = new byte[24];
        System.arraycopy(magic, 0, header, 0, 4);
        return in.readFully(header, 4, 20) ? new PcapReader(in, header, Bytes.u32(magic, 0)) : null;
    }

    @Override
    public boolean next(Packet p) throws IOException {
        while (true) {
            int n = in.read(head, 0, 16);
            if (n == 0) {
                return false;
            }
            long record = ++in.record;
            if (n < 16) {
                return in.end("record " + record + ": file ends inside the record header (" + n + " of 16 bytes)");
            }
            long caplen = Bytes.u32(head, 8, littleEndian);
            if (caplen > CaptureReader.MAX_PACKET) {
                return in.end("record " + record + ": caplen " + caplen + " exceeds the " + CaptureReader.MAX_PACKET
                        + "-byte limit");
            }
            long frac = Bytes.u32(head, 4, littleEndian);
            p.linkType = linkType;
            p.timestampMicros = Bytes.u32(head, 0, littleEndian) * 1_000_000L + (nanoseconds ? frac / 1000 : frac);
            p.originalLength = (int) Math.min(Bytes.u32(head, 12, littleEndian), Integer.MAX_VALUE);
            p.length = (int) caplen;
            boolean lying = snaplen > 0 && caplen > snaplen;
            if (lying) {
                in.problem("record " + record + ": caplen " + caplen + " exceeds snaplen " + snaplen);
            }
            if (!in.readFully(p.ensureCapacity(p.length), 0, p.length)) {
                return false;
            }
            if (!lying) {
                return true;
            } // else skip the suspect record: the next header tells whether the framing survived
        }
    }
}
