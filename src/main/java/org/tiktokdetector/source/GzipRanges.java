package org.tiktokdetector.source;

import org.tiktokdetector.decode.Bytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Cuts a large gzip log made of several members (files joined with {@code cat}, bgzip's blocks, a sensor that
 * appends a member per flush) into ranges of whole members, which the replay source's readers decode in parallel
 * as they do a plain file's byte ranges ({@link FileRanges}). The decompressed stream is what {@code zcat} gives,
 * so lines are cut by it, not by the members: a range owns the lines that start in its members' bytes, reads its
 * last line on into the next range's members, and passes over the end of the line the range before owns.
 *
 * <p>Member starts cannot be told from the compressed bytes alone: inside a member's data the bytes of a gzip
 * header can occur (verbatim in a stored deflate block). So candidate cuts (bgzip's block sizes, or header-shaped
 * bytes near each cut point that inflate) are only hints for where to start the parallel pass, and the ranges are
 * chained exactly: starting from the file's first byte, each pass inflates whole members (a deflate stream ends
 * exactly, {@link Inflater#getRemaining}, and its CRC32 and length must check) until a member starts at or after
 * the next candidate, and the next range starts where that member starts. A pass that started at a candidate the
 * pass before did not land on is thrown away, and the range before is inflated on from where it really ended. The
 * pass inflates every range once, in parallel, which also counts the lines before each range (so hits keep their
 * line numbers) and finds the Zeek TSV header in force at each range's start. A member that does not inflate or
 * check (a truncated last member, trailing garbage) ends the cutting: the range it is in reads on to the end of the
 * file as a whole file's reader does, with the same errors.
 */
final class GzipRanges {
    private static final int BUFFER = 1 << 20;
    /** How much of a candidate member is inflated to tell it from compressed data that happens to look like a header. */
    private static final int CHECK = 64 * 1024;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private GzipRanges() {}

    /** The ranges of a gzip file of {@code length} compressed bytes, about {@code size} bytes each; one whole range when it cannot be cut. */
    static List<FileRanges.Range> cut(Path file, long length, long size) throws IOException {
        if (length <= size) {
            return List.of(FileRanges.Range.WHOLE);
        }
        long[] cuts = candidates(file, length, size);
        if (cuts.length == 1) {
            return List.of(FileRanges.Range.WHOLE);
        }
        Walk[] walks = IntStream.range(0, cuts.length).parallel()
                .mapToObj(k -> walk(file, cuts[k], k + 1 < cuts.length ? cuts[k + 1] : Long.MAX_VALUE)).toArray(Walk[]::new);
        List<FileRanges.Range> ranges = new ArrayList<>();
        long at = 0;
        Walk w = walks[0];
        long inflated = 0; // before the range
        long newlines = 0;
        int last = -1;
        long headerAt = -1;
        long headerSkip = 0;
        while (true) {
            boolean midLine = inflated > 0 && last != '\n';
            boolean end = w.next() < 0;
            ranges.add(new FileRanges.Range(at, end ? Long.MAX_VALUE : w.next(), inflated == 0 ? 0 : newlines + (midLine ? 1 : 0),
                    headerAt, new FileRanges.Members(end ? Long.MAX_VALUE : w.inflated(), midLine, headerSkip)));
            if (end) {
                break;
            }
            inflated += w.inflated();
            newlines += w.newlines();
            last = w.last() >= 0 ? w.last() : last;
            if (w.headerAt() >= 0 && !(w.headerAtStart() && midLine)) { // a '#' at the range's start begins a line only after a '\n'
                headerAt = w.headerAt();
                headerSkip = w.headerSkip();
            }
            at = w.next();
            int k = Arrays.binarySearch(cuts, at);
            if (k >= 0) {
                w = walks[k];
            } else { // the pass before ended past a candidate that was no member start: inflate on from where it did
                long stop = -k - 1 < cuts.length ? cuts[-k - 1] : Long.MAX_VALUE;
                w = walk(file, at, stop);
            }
        }
        return ranges.size() == 1 ? List.of(FileRanges.Range.WHOLE) : ranges;
    }

    /** The decompressed stream of a file's members from the one that starts at {@code member} to the end of the file. */
    static InputStream open(Path file, long member) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ch.position(member);
            return new GZIPInputStream(Channels.newInputStream(ch), 64 * 1024);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** 0 and, for each cut point after it, a likely member start at or after it: bgzip's block chain, else a header that inflates. */
    static long[] candidates(Path file, long length, long size) throws IOException {
        try (Compressed c = new Compressed(file)) {
            if (c.bgzfSize(0) > 0) {
                List<Long> cuts = new ArrayList<>(List.of(0L));
                long target = size;
                for (long p = 0, bs; p < length && target < length && (bs = c.bgzfSize(p)) > 0; p += bs) {
                    if (p >= target) {
                        cuts.add(p);
                        target = (p / size + 1) * size;
                    }
                }
                return cuts.stream().mapToLong(Long::longValue).toArray();
            }
        }
        long[] found = LongStream.range(1, (length + size - 1) / size).parallel()
                .map(k -> firstCandidate(file, k * size, Math.min(length, (k + 1) * size))).filter(p -> p > 0).toArray();
        return LongStream.concat(LongStream.of(0), Arrays.stream(found)).toArray();
    }

    /** The first offset in [from, to) where a member seems to start, -1 when none does. */
    private static long firstCandidate(Path file, long from, long to) {
        try (Compressed c = new Compressed(file)) {
            Inflater inflater = new Inflater(true);
            try {
                for (long p = from; p < to; p++) {
                    if (c.at(p) == 0x1f && c.at(p + 1) == 0x8b && plausible(c, p)
                            && c.member(p, inflater, new CRC32(), null, CHECK) != Compressed.BROKEN) {
                        return p;
                    }
                }
                return -1;
            } finally {
                inflater.end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixed header fields gzip writers set: deflate, no reserved flag, a known XFL and OS. */
    private static boolean plausible(Compressed c, long p) throws IOException {
        int xfl = c.at(p + 8);
        int os = c.at(p + 9);
        return c.at(p + 2) == 8 && (c.at(p + 3) & 0xe0) == 0 && (xfl == 0 || xfl == 2 || xfl == 4) && (os <= 13 || os == 255);
    }

    /**
     * What inflating the members from one start gave.
     *
     * @param next          where the member that ended the pass starts (the next range's start), -1 when the pass
     *                      reached the end of the file or a member that does not inflate or check
     * @param last          the last decompressed byte, -1 when there was none
     * @param headerAt      the start of the member in which the last Zeek TSV header found starts, -1 when none was
     * @param headerAtStart whether that header is at the pass's very first byte (a line start only after a '\n')
     */
    record Walk(long next, long inflated, long newlines, int last, long headerAt, long headerSkip, boolean headerAtStart) {}

    /** Inflates the members from {@code from} (a member start) until one starts at or after {@code stop}. */
    static Walk walk(Path file, long from, long stop) {
        try (Compressed c = new Compressed(file)) {
            Inflater inflater = new Inflater(true);
            try {
                LineStarts lines = new LineStarts(from == 0);
                CRC32 crc = new CRC32();
                long p = from;
                while (p < c.length && p < stop) {
                    p = c.member(p, inflater, crc, lines, Long.MAX_VALUE);
                    if (p < 0) {
                        break;
                    }
                }
                return lines.walk(p >= stop && p < c.length ? p : -1);
            } finally {
                inflater.end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the '\n' of a decompressed stream and notes where the last line that begins with "#separator" starts. */
    private static final class LineStarts {
        private final boolean fileStart;
        private long inflated;
        private long newlines;
        private int last = -1;
        private long headerAt = -1;
        private long headerSkip;
        private boolean headerAtStart;
        /** How many bytes of {@link FileRanges#SEPARATOR} the current candidate line has matched, -1 when there is none. */
        private int matched = -1;
        private long candidateAt;
        private long candidateSkip;
        private boolean candidateAtStart;
        /** The next byte begins a line (or may: the pass's first byte). */
        private boolean lineStart = true;

        LineStarts(boolean fileStart) {
            this.fileStart = fileStart;
        }

        /** @param member where the member these bytes come from starts; @param skip how many of its bytes came before them */
        void accept(byte[] b, int n, long member, long skip) {
            if (n == 0) {
                return;
            }
            if (lineStart) {
                lineStart = false;
                // a byte order mark at the file's start is passed over, as the header's reader would not take the line for one
                int bom = fileStart && inflated == 0 ? FileRanges.byteOrderMark(b, n) : 0;
                begin(member, skip + bom, inflated == 0);
                match(b, bom, n);
            } else if (matched >= 0) {
                match(b, 0, n);
            }
            for (int i = Bytes.indexOfNewline(b, 0, n); i >= 0; i = Bytes.indexOfNewline(b, i + 1, n)) {
                newlines++;
                if (i + 1 == n) {
                    lineStart = true;
                } else if (b[i + 1] == '#') { // headers are rare: only a '#' after a '\n' is matched on
                    begin(member, skip + i + 1, false);
                    match(b, i + 1, n);
                }
            }
            last = b[n - 1] & 0xff;
            inflated += n;
        }

        private void begin(long member, long skip, boolean atStart) {
            matched = 0;
            candidateAt = member;
            candidateSkip = skip;
            candidateAtStart = atStart;
        }

        private void match(byte[] b, int from, int n) {
            for (int i = from; i < n && matched >= 0 && matched < FileRanges.SEPARATOR.length; i++) {
                matched = b[i] == FileRanges.SEPARATOR[matched] ? matched + 1 : -1;
            }
            if (matched == FileRanges.SEPARATOR.length) {
                headerAt = candidateAt;
                headerSkip = candidateSkip;
                headerAtStart = candidateAtStart;
                matched = -1;
            }
        }

        Walk walk(long next) {
            return new Walk(next, inflated, newlines, last, headerAt, headerSkip, headerAtStart);
        }
    }

    /** A gzip file's compressed bytes, read through a window. */
    private static final class Compressed implements AutoCloseable {
        /** {@link #member}: the member does not inflate or check, or the file ends in it. */
        static final long BROKEN = -1;
        /** {@link #member}: the member inflated without fault as far as it was asked to. */
        static final long SO_FAR = -2;

        final long length;
        private final FileChannel ch;
        private final byte[] window;
        private final byte[] out = new byte[256 * 1024];
        private long start;
        private int n;

        Compressed(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            length = ch.size();
            window = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
        }

        /** The byte at {@code p}, -1 past the end. */
        int at(long p) throws IOException {
            return has(p) ? window[(int) (p - start)] & 0xff : -1;
        }

        /** Whether the byte at {@code p} is in the window, moved there if need be; false past the end. */
        private boolean has(long p) throws IOException {
            if (p >= start && p < start + n) {
                return true;
            }
            if (p >= length) {
                return false;
            }
            start = p;
            ByteBuffer wrap = ByteBuffer.wrap(window);
            while (wrap.hasRemaining() && ch.read(wrap, start + wrap.position()) > 0) {
                // until the window is full or the file ends
            }
            n = wrap.position();
            return n > 0;
        }

        private int le16(long p) throws IOException {
            return at(p) | at(p + 1) << 8;
        }

        private long le32(long p) throws IOException {
            return (long) le16(p) | (long) le16(p + 2) << 16;
        }

        /** The size of the bgzip block at {@code p} from its header's BC field, -1 when it is no bgzip block. */
        long bgzfSize(long p) throws IOException {
            if (at(p) != 0x1f || at(p + 1) != 0x8b || at(p + 2) != 8 || (at(p + 3) & FEXTRA) == 0) {
                return -1;
            }
            long end = p + 12 + le16(p + 10);
            for (long f = p + 12; f + 4 <= end; f += 4 + le16(f + 2)) {
                if (at(f) == 'B' && at(f + 1) == 'C' && le16(f + 2) == 2) {
                    return le16(f + 4) + 1L;
                }
            }
            return -1;
        }

        /**
         * Inflates the member at {@code p} into {@code lines} (when not null), at most about {@code limit} bytes of it.
         *
         * @return where the next member starts, {@link #BROKEN}, or {@link #SO_FAR} when the limit came first
         */
        long member(long p, Inflater inflater, CRC32 crc, LineStarts lines, long limit) throws IOException {
            long data = dataStart(p);
            if (data < 0) {
                return BROKEN;
            }
            inflater.reset();
            crc.reset();
            long size = 0;
            long in = data;
            try {
                while (!inflater.finished()) {
                    if (size >= limit) {
                        return SO_FAR;
                    }
                    if (inflater.needsInput()) {
                        if (!has(in)) {
                            return BROKEN; // the file ends inside the member
                        }
                        int off = (int) (in - start);
                        inflater.setInput(window, off, n - off);
                        in = start + n;
                    }
                    int k = inflater.inflate(out);
                    if (k == 0 && inflater.needsDictionary()) {
                        return BROKEN;
                    }
                    crc.update(out, 0, k);
                    if (lines != null) {
                        lines.accept(out, k, p, size);
                    }
                    size += k;
                }
            } catch (DataFormatException e) {
                return BROKEN;
            }
            long trailer = in - inflater.getRemaining();
            boolean checks = trailer + 8 <= length && le32(trailer) == crc.getValue() && le32(trailer + 4) == (size & 0xffffffffL);
            return checks ? trailer + 8 : BROKEN;
        }

        /**
         * Where the deflate data of the member at {@code p} starts, -1 when no gzip header is there: the fields
         * {@link GZIPInputStream} reads, and the header's CRC16 checked as it checks it.
         */
        private long dataStart(long p) throws IOException {
            int flags = at(p + 3);
            if (at(p) != 0x1f || at(p + 1) != 0x8b || at(p + 2) != 8 || flags < 0 || p + 10 > length) {
                return -1;
            }
            long q = p + 10;
            if ((flags & FEXTRA) != 0) {
                q += 2 + le16(q);
            }
            for (int field : new int[] {FNAME, FCOMMENT}) {
                if ((flags & field) != 0) {
                    while (at(q) > 0) {
                        q++;
                    }
                    if (at(q) < 0) {
                        return -1;
                    }
                    q++;
                }
            }
            if ((flags & FHCRC) != 0) {
                CRC32 header = new CRC32();
                for (long i = p; i < q; i++) {
                    header.update(at(i));
                }
                if ((header.getValue() & 0xffff) != le16(q)) {
                    return -1;
                }
                q += 2;
            }
            return q <= length ? q : -1;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
