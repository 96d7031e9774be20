package org.tiktokdetector.decode.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * The stream a capture is framed from, shared by {@link PcapReader} and {@link PcapngReader}: it counts
 * records for messages and reports problems with the capture's name. Once {@link #end} is called the
 * framing is lost and the reader stops.
 */
final class CaptureInput {
    private final InputStream in;
    private final CaptureStats stats;
    /** What a record is called in messages ("record" in pcap, "block" in pcapng); null in the file header. */
    private String unit;
    long record;
    private boolean ended;

    CaptureInput(InputStream in, CaptureStats stats) {
        this.in = in;
        this.stats = stats;
    }

    void recordsAre(String unit) {
        this.unit = unit;
    }

    /** Reads up to {@code len} bytes; fewer only at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        return in.readNBytes(b, off, len);
    }

    boolean readFully(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        return n == len || end(where() + ": file ends inside it (" + n + " of " + len + " bytes present)");
    }

    /** Skips {@code n} bytes; false when the stream ends first. */
    boolean skip(long n) throws IOException {
        long skipped = in.skip(n);
        while (skipped < n) {
            if (in.read() < 0) {
                return false;
            }
            skipped++;
        }
        return true;
    }

    /** "record 12", "block 3" or "file header", for a message; built only when there is a problem. */
    String where() {
        return unit == null ? "file header" : unit + " " + record;
    }

    void problem(String message) {
        stats.problem("capture " + stats.capture() + " " + message);
    }

    /** Reports a problem after which the framing is lost, and ends the capture. */
    boolean end(String message) {
        problem(message);
        ended = true;
        return false;
    }

    boolean ended() {
        return ended;
    }

    void close() throws IOException {
        in.close();
    }
}
