package org.tiktokdetector.decode.capture;

import org.tiktokdetector.io.ReadAheadInputStream;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Frames the packets of a pcap or pcapng capture read from a stream: reads the magic number and hands
 * the rest to {@link PcapReader} or {@link PcapngReader}. Our own framing because pcap4j's offline loop is
 * about 100 times slower than walking the records (docs/STACK.md), and a Flink file source hands us a
 * stream, not a path.
 *
 * <p>Never throws on bad data: a record that lies about its lengths, or a file that ends inside a record,
 * is reported to {@link CaptureStats#problem} with the capture name and record number, and reading either
 * skips that record (when the framing is still known) or ends. Only the stream's own I/O errors propagate.
 */
public final class CaptureReader implements Closeable {
    /** Largest packet accepted; anything bigger is a lying length, not a packet. */
    public static final int MAX_PACKET = 256 * 1024;
    /** The reader of a file whose header is unreadable. */
    private static final FormatReader NONE = p -> false;

    private final CaptureInput in;
    /** Null until the first packet is asked for. */
    private FormatReader format;
    private boolean done;

    /** A reader of {@code in}, which is buffered here unless it is buffered already. */
    public CaptureReader(InputStream in, CaptureStats stats) {
        boolean buffered = in instanceof BufferedInputStream || in instanceof ReadAheadInputStream;
        this.in = new CaptureInput(buffered ? in : new BufferedInputStream(in, 1 << 16), stats);
    }

    /**
     * Reads the next packet into {@code p}.
     *
     * @return false at the end of the capture, or when its framing is lost
     */
    public boolean next(Packet p) throws IOException {
        if (format == null) {
            format = open();
        }
        if (!done && format.next(p)) {
            return true;
        }
        done = true;
        return false;
    }

    private FormatReader open() throws IOException {
        byte[] magic = new byte[4];
        int n = in.read(magic, 0, 4);
        if (n < 4) {
            in.end(n == 0 ? "is empty" : "ends inside the file header");
            return NONE;
        }
        long m = Bytes.u32(magic, 0);
        if (m == PcapngReader.SECTION_HEADER) {
            return new PcapngReader(in, magic);
        }
        if (PcapReader.isMagic(m)) {
            PcapReader pcap = PcapReader.open(in, magic);
            return pcap == null ? NONE : pcap;
        }
        in.end("is not a pcap or pcapng file: it starts with 0x" + Bytes.hex(magic, 0, 4)
                + ", expected a1b2c3d4, d4c3b2a1, a1b23c4d, 4d3cb2a1 or 0a0d0d0a");
        return NONE;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
