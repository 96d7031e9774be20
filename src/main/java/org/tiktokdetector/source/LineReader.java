package org.tiktokdetector.source;

import org.tiktokdetector.decode.Bytes;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Splits a stream into lines ('\n' or "\r\n" ends one) with bounded memory: a line longer than
 * {@code maxLength} is not kept whole; its first {@link #HEAD} bytes are, with its full length, so it can
 * go to the dead letters as evidence while the rest of the stream is still read. Reads a whole stream, or the
 * lines of one {@link FileRanges.Range} of a file, plain or gzip (from the stream {@link FileRanges#open} gives).
 */
final class LineReader {
    /** How much of an over-long line is kept. */
    static final int HEAD = 256;

    /** One line: its bytes without the line end (only the first {@link #HEAD} when it is over-long), its number from 1, and its full length. */
    record Line(byte[] bytes, long number, long length, boolean overlong) {}

    private final InputStream in;
    private final int maxLength;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] pending = new byte[256];
    private long lineNo;
    private long length;
    /** Where buffer[0] is, counted from the range's start. */
    private long base;
    /** Where the range's last line start can be at the latest, counted from its start (exclusive). */
    private final long end;
    /** Whether the stream starts with the end of a line that belongs to the range before. */
    private boolean skipFirst;

    LineReader(InputStream in, int maxLength) {
        this(in, maxLength, FileRanges.Range.WHOLE);
    }

    LineReader(InputStream in, int maxLength, FileRanges.Range range) {
        this.in = in;
        this.maxLength = maxLength;
        this.lineNo = range.linesBefore();
        if (range.members() != null) { // the stream is the range's decompressed members, from their first byte
            this.end = range.members().length();
            this.skipFirst = range.members().midLine();
        } else {
            this.end = range.to() == Long.MAX_VALUE ? Long.MAX_VALUE : range.to() - range.from();
            this.skipFirst = range.from() > 0;
            this.base = skipFirst ? -1 : 0; // the stream starts at the byte before the range
        }
    }

    /** The next line, or null at the end of the stream or range. */
    Line next() throws IOException {
        if (skipFirst) {
            try {
                if (!skipThroughNewline()) {
                    return null;
                }
            } catch (EOFException | ZipException e) {
                return null; // a gzip stream breaks in the line the range before owns: that range reads and reports it
            }
            skipFirst = false;
        }
        if (base + pos >= end) {
            return null; // the next line starts in the next range
        }
        int kept = 0; // bytes of this line moved to pending (a line across buffer refills)
        length = 0;
        while (true) {
            if (pos == limit && !fill()) {
                return length > 0 ? line(pending, 0, kept) : null;
            }
            int start = pos;
            int newline = Bytes.indexOfNewline(buffer, pos, limit);
            if (newline >= 0 && length == 0 && newline - start <= maxLength) {
                pos = newline + 1; // the usual case: a whole line in the buffer, copied once
                length = newline - start;
                return line(buffer, start, newline - start);
            }
            int end = newline >= 0 ? newline : limit;
            int chunk = end - start;
            int keep = (int) Math.min(chunk, Math.max(0, (long) maxLength + 1 - kept));
            if (kept + keep > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, kept + keep));
            }
            System.arraycopy(buffer, start, pending, kept, keep);
            kept += keep;
            length += chunk;
            pos = end;
            if (newline >= 0) {
                pos++; // the '\n'
                return line(pending, 0, kept);
            }
        }
    }

    /** The number of the last line handed out (the lines before the range's first, until it has handed one out). */
    long number() {
        return lineNo;
    }

    /** Reads on into the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        base += limit;
        limit = Math.max(0, in.read(buffer, 0, buffer.length));
        pos = 0;
        return limit > 0;
    }

    /** Passes over the bytes up to and including the first '\n'; false when the stream ends first. */
    private boolean skipThroughNewline() throws IOException {
        while (pos < limit || fill()) {
            int newline = Bytes.indexOfNewline(buffer, pos, limit);
            if (newline >= 0) {
                pos = newline + 1;
                return true;
            }
            pos = limit;
        }
        return false;
    }

    private Line line(byte[] from, int offset, int kept) {
        lineNo++;
        if (length > maxLength) {
            return new Line(Arrays.copyOfRange(from, offset, offset + Math.min(HEAD, kept)), lineNo, length, true);
        }
        int n = kept;
        if (n > 0 && from[offset + n - 1] == '\r') {
            n--;
            length--;
        }
        return new Line(Arrays.copyOfRange(from, offset, offset + n), lineNo, length, false);
    }

    /** The dead-letter reason of an over-long line. */
    static String tooLong(long length, int maxLength, int kept) {
        return "line of " + length + " bytes is longer than the limit of " + maxLength
                + " bytes (--max-line-length); its first " + kept + " bytes are kept";
    }
}
