package org.tiktokdetector.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans over the bytes of log lines, eight at a time. Sources look for the end of every line and the
 * decoder checks every line for non-ASCII bytes: a byte-by-byte loop over ~400-byte lines was the
 * largest item in the job's profile after JSON parsing itself.
 */
public final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long NEWLINES = LOW_BITS * '\n';

    private Bytes() {}

    /** @return the index of the first '\n' in {@code b[from..to)}, or -1 */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            // A byte of x is zero where the word has '\n'; (x - 0x01..) & ~x & 0x80.. flags the lowest such byte
            // exactly (higher flags may be false positives, so only the lowest is used).
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether every byte is below 0x80. */
    public static boolean isAscii(byte[] b) {
        int i = 0;
        long any = 0;
        for (; i + 8 <= b.length; i += 8) {
            any |= (long) LONGS.get(b, i);
        }
        for (; i < b.length; i++) {
            any |= b[i];
        }
        return (any & HIGH_BITS) == 0;
    }
}
