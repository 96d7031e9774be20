package org.tiktokdetector.decode.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes one side of a TCP connection sent, in sequence order, from the first byte we track:
 * retransmitted bytes are dropped, segments that arrive early wait until the gap before them is filled.
 * Bounded: at most {@link #MAX_BYTES} buffered (in order plus waiting); past that the stream overflows
 * and its owner gives up on it.
 *
 * <p>A stream whose first byte is not known yet ({@link #unstarted()}: no SYN seen, the capture began
 * mid-connection) keeps its segments waiting, within the same bound, until its owner {@link #start}s it at a
 * segment that begins a message; the waiting segments after it are then placed, the ones before dropped.
 */
final class TcpStream extends FlowTable.Entry {
    static final int MAX_BYTES = 16 * 1024;

    /** What the owner found the stream to carry; DONE when there is nothing more to read from it. */
    enum Content { UNKNOWN, TLS, HTTP, DNS, DONE }

    private record Early(int seq, byte[] bytes) {}

    private static final byte[] EMPTY = new byte[0];

    Content content;
    private int nextSeq;
    private byte[] buffer = EMPTY;
    private int length;
    private List<Early> early;
    private int earlyBytes;
    private boolean overflowed;
    private boolean started = true;

    TcpStream(Content content, int nextSeq) {
        this.content = content;
        this.nextSeq = nextSeq;
    }

    static TcpStream unstarted() {
        TcpStream s = new TcpStream(Content.UNKNOWN, 0);
        s.started = false;
        return s;
    }

    boolean started() {
        return started;
    }

    /** Starts an unstarted stream at {@code seq}: waiting segments after it stay, the ones before are dropped. */
    void start(Content content, int seq) {
        this.content = content;
        nextSeq = seq;
        started = true;
        if (early != null) {
            early.removeIf(e -> e.seq - seq <= 0 || e.seq - seq > MAX_BYTES);
            earlyBytes = early.stream().mapToInt(e -> e.bytes.length).sum();
        }
    }

    byte[] buffer() {
        return buffer;
    }

    /** In-order bytes buffered: {@code buffer()[0, length())}. */
    int length() {
        return length;
    }

    /** True when nothing has arrived yet and {@code seq} is the first byte: the segment can be judged in place. */
    boolean startsWith(int seq) {
        return length == 0 && early == null && seq == nextSeq;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Adds a segment; its bytes become readable once everything before them has arrived. */
    void add(int seq, byte[] d, int off, int len) {
        int ahead = started ? seq - nextSeq : 1; // unstarted: every segment waits; int arithmetic: sequence numbers wrap
        if (ahead < 0) {
            if (ahead + len <= 0) {
                return; // all retransmitted
            }
            off -= ahead;
            len += ahead;
            ahead = 0;
        }
        if (ahead > 0) {
            if (length + earlyBytes + len > MAX_BYTES || ahead > MAX_BYTES) {
                overflowed = true;
                return;
            }
            if (early == null) {
                early = new ArrayList<>(4);
            }
            early.add(new Early(seq, java.util.Arrays.copyOfRange(d, off, off + len)));
            earlyBytes += len;
            return;
        }
        append(d, off, len);
        while (early != null && !early.isEmpty() && drainOne()) {
            // each pass moves one waiting segment that now touches the in-order bytes
        }
    }

    private boolean drainOne() {
        for (int i = 0; i < early.size(); i++) {
            Early e = early.get(i);
            int ahead = e.seq - nextSeq;
            if (ahead <= 0) {
                early.remove(i);
                earlyBytes -= e.bytes.length;
                if (ahead + e.bytes.length > 0) {
                    append(e.bytes, -ahead, e.bytes.length + ahead);
                }
                return true;
            }
        }
        return false;
    }

    private void append(byte[] d, int off, int len) {
        nextSeq += len;
        if (length + len > MAX_BYTES) {
            overflowed = true;
            return;
        }
        if (buffer.length < length + len) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(MAX_BYTES, Math.max(length + len, Math.max(512, buffer.length * 2))));
        }
        System.arraycopy(d, off, buffer, length, len);
        length += len;
    }

    /** Drops the first {@code n} in-order bytes (a message that has been read). */
    void consume(int n) {
        System.arraycopy(buffer, n, buffer, 0, length - n);
        length -= n;
    }

    /** Frees the buffers of a stream there is nothing more to read from. */
    void finish() {
        content = Content.DONE;
        buffer = EMPTY;
        length = 0;
        early = null;
        earlyBytes = 0;
    }
}
