package org.tiktokdetector.source;

import org.tiktokdetector.decode.Bytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts a large plain log file into byte ranges that the replay source's readers decode in parallel: one file
 * would otherwise be decoded by one task while the other cores wait.
 *
 * <p>A range {@code [from, to)} owns every line that <em>starts</em> in it: its reader starts at {@code from - 1},
 * passes over everything up to and including the first '\n' (the end of the line that belongs to the range before),
 * and reads its last line to its end past {@code to}. So the cuts need not fall on line ends, and every line is read
 * exactly once. Cutting the file costs one pass over it, in parallel over the ranges, to count the lines before each
 * range (so records keep their true line numbers, see README "Evidence handles") and to find the Zeek TSV header in
 * force at each range's start ({@code #separator} begins one; a file made of concatenated logs has several).
 */
public final class FileRanges {
    /**
     * The default size of a range (--split-size): at the ~150-250 MB/s one core decodes, 64 MiB is a few tenths of a
     * second of work, so the last ranges leave no core idle for long, while what a range costs on its own (opening
     * the file, reading its header and first timestamps, a round trip to the enumerator) stays below a millisecond.
     */
    public static final long DEFAULT_SIZE = 64L << 20;
    /** What begins a Zeek TSV header. */
    static final byte[] SEPARATOR = "#separator".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 1 << 20;

    /**
     * The lines of a file that start at byte offsets from {@code from} to {@code to - 1}; for a range of a gzip file
     * ({@code members} not null), the lines that start in the decompressed bytes of the members that start there.
     *
     * @param linesBefore how many lines start before {@code from} (the first line of the range is line linesBefore + 1)
     * @param headerAt    where the Zeek TSV header in force at {@code from} starts (its '#', past a byte order mark at
     *                    the file's start), -1 when there is none; in a gzip
     *                    file, where the member it is in starts ({@link Members#headerSkip} says where in it)
     */
    public record Range(long from, long to, long linesBefore, long headerAt, Members members) implements Serializable {
        /** A whole file or stream. */
        public static final Range WHOLE = new Range(0, Long.MAX_VALUE, 0, -1);

        /** A range of a plain file. */
        public Range(long from, long to, long linesBefore, long headerAt) {
            this(from, to, linesBefore, headerAt, null);
        }

        boolean whole() {
            return from == 0 && to == Long.MAX_VALUE;
        }
    }

    /**
     * What a range of a gzip file needs of the decompressed stream, which cannot be read at an offset ({@link GzipRanges}).
     *
     * @param length     how many bytes its members decompress to (Long.MAX_VALUE for the last range): the range's last
     *                   line starts before that
     * @param midLine    the decompressed bytes before the range do not end with '\n': its first bytes end the line the
     *                   range before owns
     * @param headerSkip how many decompressed bytes of the member at {@link Range#headerAt} precede the header
     */
    public record Members(long length, boolean midLine, long headerSkip) implements Serializable {}

    private FileRanges() {}

    /** The ranges of a plain file of {@code length} bytes cut every {@code size} bytes; one whole range when it is not longer. */
    static List<Range> cut(Path file, long length, long size) throws IOException {
        if (length <= size) {
            return List.of(Range.WHOLE);
        }
        int n = (int) ((length + size - 1) / size);
        // Range k counts the '\n' in [from - 1, to - 1): a '\n' at p starts a line at p + 1, so those are the line
        // starts in [from, to); and notes the last header that starts in it.
        Scan[] scans = IntStream.range(0, n).parallel().mapToObj(k -> {
            try {
                return scan(file, Math.max(0, k * size - 1), Math.min(length, (k + 1) * size) - 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toArray(Scan[]::new);
        List<Range> ranges = new ArrayList<>(n);
        long lines = 1; // the line at offset 0
        long header = headerAt(file, 0);
        for (int k = 0; k < n; k++) {
            long to = k == n - 1 ? Long.MAX_VALUE : (k + 1) * size;
            ranges.add(new Range(k * size, to, k == 0 ? 0 : lines, header));
            lines += scans[k].newlines;
            header = scans[k].lastHeader >= 0 ? scans[k].lastHeader : header;
        }
        return ranges;
    }

    private record Scan(long newlines, long lastHeader) {}

    /** The '\n' in [from, to) of a file, and the start of the last header line that one of them begins. */
    private static Scan scan(Path file, long from, long to) throws IOException {
        long newlines = 0;
        long lastHeader = -1;
        byte[] b = new byte[(int) Math.max(1, Math.min(BUFFER, to - from))];
        ByteBuffer wrap = ByteBuffer.wrap(b);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long at = from; at < to; ) {
                wrap.clear().limit((int) Math.min(b.length, to - at));
                int n = ch.read(wrap, at);
                if (n <= 0) {
                    break;
                }
                for (int i = Bytes.indexOfNewline(b, 0, n); i >= 0; i = Bytes.indexOfNewline(b, i + 1, n)) {
                    newlines++;
                    // Headers are rare: a '#' after a '\n' is checked against the file itself.
                    long header;
                    if ((i + 1 == n || b[i + 1] == '#') && (header = headerAt(ch, at + i + 1)) >= 0) {
                        lastHeader = header;
                    }
                }
                at += n;
            }
        }
        return new Scan(newlines, lastHeader);
    }

    private static long headerAt(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return headerAt(ch, at);
        }
    }

    /**
     * Where a Zeek TSV header that starts at this offset has its '#' (past a byte order mark at the file's start, which
     * the header's reader would not take for a '#'); -1 when no header starts there.
     */
    private static long headerAt(FileChannel ch, long at) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(SEPARATOR.length + 3);
        ch.read(head, at);
        byte[] h = head.array();
        int skip = at == 0 ? byteOrderMark(h, head.position()) : 0;
        for (int i = 0; i < SEPARATOR.length; i++) {
            if (skip + i >= head.position() || h[skip + i] != SEPARATOR[i]) {
                return -1;
            }
        }
        return at + skip;
    }

    /**
     * The file's bytes from where a range's reader starts: the byte before the range ({@link LineReader} passes over
     * the rest of the line it ends), or the file's start for the first range; for a gzip range, the decompressed
     * members from its first on (to the end of the file: its last line may go on into the next range's members).
     */
    static InputStream open(Path file, Range range) throws IOException {
        if (range.members() != null) {
            return GzipRanges.open(file, range.from());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(Math.max(0, range.from() - 1));
        return Channels.newInputStream(ch);
    }

    /** The length of a UTF-8 byte order mark at the start of {@code b[0..n)}: 3 or 0. */
    static int byteOrderMark(byte[] b, int n) {
        return n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
    }

    /** The lines from the Zeek TSV header in force where a range starts on, or null when there is none. */
    static InputStream openHeader(Path file, Range range) throws IOException {
        if (range.from() == 0 || range.headerAt() < 0) {
            return null;
        }
        if (range.members() == null) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(range.headerAt());
            return Channels.newInputStream(ch);
        }
        InputStream in = GzipRanges.open(file, range.headerAt());
        try {
            in.skipNBytes(range.members().headerSkip());
            return in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }
}
