package org.tiktokdetector.source;

import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureReader;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.Packet;
import org.tiktokdetector.decode.log.LineDecoder;
import org.tiktokdetector.io.UsageException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns the user's --input paths (files, folders searched recursively, or "-" for standard input) into
 * the inputs to replay, each read once however it is named (a file and its folder, a symlink, the same
 * path twice), and each recognised by its content, not its name: a pcap or pcapng capture, or a log
 * (JSON lines in any dialect, or Zeek TSV), plain or gzip-compressed. Anything else in a folder (READMEs,
 * scripts) is skipped with the reason; a file named explicitly that is neither is a usage error.
 *
 * <p>Each file's first timestamps are read here too, so the source can hand the files out in event-time
 * order and let event time run ahead only as far as no file still to come would be late
 * ({@link ReplaySource}).
 */
public final class InputFiles {
    /** The --input value that means standard input. */
    public static final String STDIN = "-";
    /** How far into a file its first timestamps are looked for. */
    private static final int SAMPLE_LINES = 1000;

    public enum Kind { CAPTURE, LOG, OTHER }

    /**
     * One file or stream to replay.
     *
     * @param start    the earliest event time it can still send on time ({@link FileClock#start}); Long.MIN_VALUE when
     *                 unknown (streams, files without names in their first lines)
     * @param bindings its first records include address bindings (a DHCP log, NAC accounting); false for streams
     * @param range    the part of the file it is: the whole file, or one range of a large log, plain ({@link FileRanges})
     *                 or gzip of several members ({@link GzipRanges})
     */
    public record Input(String path, Kind kind, long start, boolean bindings, FileRanges.Range range) implements Serializable {
        public Input(String path, Kind kind, long start) {
            this(path, kind, start, false, FileRanges.Range.WHOLE);
        }
    }

    public record Skipped(String path, String why) {}

    public record Found(List<Input> inputs, List<Skipped> skipped) {
        /** How many files (or streams) of this kind, however many ranges each is read in. */
        public long count(Kind kind) {
            return inputs.stream().filter(i -> i.kind() == kind).map(Input::path).distinct().count();
        }

        /** Whether any file begins with address bindings: hits then wait for them ({@code DetectionJob.Settings#waitForBindings}). */
        public boolean bindings() {
            return inputs.stream().anyMatch(Input::bindings);
        }
    }

    /** An input opened for reading: decompressed, and told apart by its first bytes. */
    public record Opened(InputStream in, Kind kind, String why, boolean gzip) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    private InputFiles() {}

    public static Found find(List<String> args, Duration maxAhead, Duration outOfOrderness) throws IOException {
        return find(args, maxAhead, outOfOrderness, FileRanges.DEFAULT_SIZE);
    }

    /**
     * Checks that each input (a path, or - for standard input) exists and can be read, without reading it: a mistake
     * that {@link #find} would also find, told before the run starts its embedded cluster.
     */
    public static void checkReadable(List<String> args) {
        args.stream().filter(arg -> !arg.equals(STDIN) && !arg.equals("/dev/stdin")).forEach(InputFiles::readable);
    }

    private static Path readable(String arg) {
        Path p = Path.of(arg);
        if (!Files.exists(p)) {
            throw new UsageException("input " + arg + " does not exist; give files or folders of Zeek/Suricata/flow-record logs or pcap/pcapng captures, or - for standard input");
        }
        if (!Files.isReadable(p)) {
            throw new UsageException("input " + arg + " cannot be read (permission denied); check its permissions");
        }
        return p;
    }

    /**
     * @param splitSize a log file longer than this is read as ranges of this size, in parallel ({@link FileRanges}); a gzip
     *                  one as ranges of whole members of about this size ({@link GzipRanges})
     */
    public static Found find(List<String> args, Duration maxAhead, Duration outOfOrderness, long splitSize) throws IOException {
        Map<Object, String> seen = new HashMap<>();
        List<Path> files = new ArrayList<>();
        List<Input> inputs = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(STDIN) || arg.equals("/dev/stdin")) {
                if (seen.putIfAbsent("stdin", arg) == null) {
                    inputs.add(new Input(STDIN, null, Long.MIN_VALUE)); // told apart when read
                }
                continue;
            }
            Path p = readable(arg);
            boolean folder = Files.isDirectory(p);
            for (Path f : folder ? filesIn(p, skipped) : List.of(p)) {
                Object key = identity(f);
                String first = seen.putIfAbsent(key, f.toString());
                if (first != null) {
                    skipped.add(new Skipped(f.toString(), "the same file as " + first + ", read once"));
                } else if (!folder && !Files.isRegularFile(p)) {
                    inputs.add(new Input(f.toString(), null, Long.MIN_VALUE)); // a pipe or device: read as a stream
                } else {
                    files.add(f);
                }
            }
        }
        List<Object> classified = files.parallelStream().map(f -> classify(f, maxAhead, outOfOrderness, splitSize)).toList();
        for (int i = 0; i < files.size(); i++) {
            Object c = classified.get(i);
            if (c instanceof List<?> ranges) {
                ranges.forEach(r -> inputs.add((Input) r));
            } else {
                String why = (String) c;
                if (args.contains(files.get(i).toString())) { // named, not found in a folder
                    throw new UsageException("input " + files.get(i) + " " + why);
                }
                skipped.add(new Skipped(files.get(i).toString(), why));
            }
        }
        return new Found(inputs, skipped);
    }

    /** The same file however it is named: device and inode where the file system has them, else the real path. */
    private static Object identity(Path f) throws IOException {
        Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        return key != null ? key : f.toRealPath();
    }

    /** The files below a folder, searched recursively, in path order; hidden ones are skipped and listed. */
    private static List<Path> filesIn(Path folder, List<Skipped> skipped) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = new ArrayList<>();
            for (Path f : walk.sorted().toList()) {
                if (!f.equals(folder) && f.getFileName().toString().startsWith(".")) {
                    if (!Files.isDirectory(f) && !hiddenFolderBelow(folder, f)) {
                        skipped.add(new Skipped(f.toString(), "is hidden (its name starts with a dot)"));
                    }
                } else if (Files.isRegularFile(f) && !hiddenFolderBelow(folder, f)) {
                    files.add(f);
                }
            }
            return files;
        }
    }

    private static boolean hiddenFolderBelow(Path folder, Path f) {
        Path rel = folder.relativize(f);
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            if (rel.getName(i).toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The file as a list of {@link Input}s (its ranges, each with its own start), or why it is not one. */
    private static Object classify(Path f, Duration maxAhead, Duration outOfOrderness, long splitSize) {
        try (Opened o = open(f.toString())) {
            return switch (o.kind()) {
                case OTHER -> o.why();
                case LOG -> {
                    List<FileRanges.Range> ranges = o.gzip() ? GzipRanges.cut(f, Files.size(f), splitSize) : FileRanges.cut(f, Files.size(f), splitSize);
                    if (ranges.size() == 1) {
                        yield List.of(logInput(f, o.in(), FileRanges.Range.WHOLE, maxAhead, outOfOrderness));
                    }
                    List<Input> inputs = new ArrayList<>(ranges.size());
                    for (FileRanges.Range r : ranges) {
                        try (InputStream in = FileRanges.open(f, r)) {
                            inputs.add(logInput(f, in, r, maxAhead, outOfOrderness));
                        }
                    }
                    yield inputs;
                }
                case CAPTURE -> List.of(new Input(f.toString(), Kind.CAPTURE, FileClock.start(packetTimestamps(o.in(), f), maxAhead, outOfOrderness)));
            };
        } catch (IOException | UncheckedIOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** A log file or one range of it, with the start its first records give and whether they are bindings. */
    private static Input logInput(Path f, InputStream in, FileRanges.Range range, Duration maxAhead, Duration outOfOrderness) throws IOException {
        LogSample first = logSample(new LineReader(in, 1 << 20, range), ReplayReader.logDecoder(f.toString(), range));
        return new Input(f.toString(), Kind.LOG, FileClock.start(first.times(), maxAhead, outOfOrderness), first.bindings(), range);
    }

    /** Opens one input: a whole file or stream as {@link #open(String)} does, or one range of a log. */
    static Opened open(Input input) throws IOException {
        FileRanges.Range r = input.range();
        return r.whole() ? open(input.path()) : new Opened(FileRanges.open(Path.of(input.path()), r), Kind.LOG, null, r.members() != null);
    }

    /**
     * Opens a file ("-" for standard input), inflating gzip, and tells from its first bytes what it is: a
     * capture by its magic number, a log when it starts with a Zeek TSV header or any of its first lines
     * starts with '{' (so a log whose first line was cut mid-write is still a log), else neither.
     */
    public static Opened open(String path) throws IOException {
        // A named pipe is read as a FileInputStream too: a channel's available() fails on it ("Illegal seek").
        InputStream raw = path.equals(STDIN) ? new FileInputStream(FileDescriptor.in)
                : Files.isRegularFile(Path.of(path)) ? Files.newInputStream(Path.of(path)) : new FileInputStream(path);
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        try {
            byte[] magic = peek(in, 4);
            boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
                magic = peek(in, 4);
            }
            if (CaptureFormat.isCaptureMagic(magic)) {
                return new Opened(in, Kind.CAPTURE, null, gzip);
            }
            String other = otherCompression(magic);
            if (other != null) {
                in.close();
                return new Opened(null, Kind.OTHER, "is compressed with " + other + "; only gzip is read (decompress it, or pipe it in: xzcat FILE | detect --input -)", gzip);
            }
            if (looksLikeLog(peekLines(in))) {
                return new Opened(in, Kind.LOG, null, gzip);
            }
            in.close();
            return new Opened(null, Kind.OTHER, "is neither a log (Zeek TSV or JSON lines: Zeek, Suricata EVE, flow records) nor a pcap/pcapng capture"
                    + (gzip ? " (after gzip decompression)" : ""), gzip);
        } catch (IOException e) {
            in.close();
            throw new IOException((path.equals(STDIN) ? "standard input" : path) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first lines, as far as {@link #looksLikeLog} needs them (until it says yes, or 8 lines, or 64 KiB): read as
     * they come, so a slow pipe is told apart once its first line is there, not once 64 KiB are.
     */
    private static byte[] peekLines(BufferedInputStream in) throws IOException {
        int max = 64 * 1024;
        in.mark(max);
        byte[] head = new byte[max];
        int n = 0;
        int lines = 0;
        while (n < max && lines < 9 && (n == 0 || !looksLikeLog(Arrays.copyOf(head, n)))) {
            int r = in.read(head, n, max - n);
            if (r < 0) {
                break;
            }
            for (int i = n; i < n + r; i++) {
                lines += head[i] == '\n' ? 1 : 0;
            }
            n += r;
        }
        in.reset();
        return Arrays.copyOf(head, n);
    }

    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
    }

    private static String otherCompression(byte[] m) {
        if (m.length >= 4 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X') {
            return "xz";
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return "bzip2";
        }
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        return null;
    }

    /**
     * Empty, a Zeek TSV header, or JSON lines: the first line starts with '{' (after a byte order mark and blanks), or,
     * for a log picked up mid-write whose first line is cut, every other complete line among the first few does.
     */
    static boolean looksLikeLog(byte[] head) {
        int i = head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf ? 3 : 0;
        if (i == head.length || startsWith(head, i, "#separator")) {
            return true;
        }
        int lines = 0;
        int objects = 0;
        while (i < head.length && lines < 8) {
            int end = i;
            while (end < head.length && head[end] != '\n') {
                if (head[end] == 0) {
                    return false; // binary data is no log, whatever it contains
                }
                end++;
            }
            if (end == head.length && lines > 0) {
                break; // an incomplete last line says nothing
            }
            int j = i;
            while (j < end && (head[j] == ' ' || head[j] == '\t' || head[j] == '\r')) {
                j++;
            }
            if (j < end) {
                boolean object = head[j] == '{';
                if (lines == 0 && object) {
                    return true;
                }
                lines++;
                objects += object ? 1 : 0;
            }
            i = end + 1;
        }
        return lines >= 2 && objects == lines - 1; // all but a cut first line
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (b.length - at < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private record LogSample(long[] times, boolean bindings) {}

    /**
     * The first {@link FileClock#SAMPLE} record times of a log or a range of it, from at most its first
     * {@link #SAMPLE_LINES} lines, and whether those lines hold address bindings.
     */
    private static LogSample logSample(LineReader lines, LineDecoder decoder) throws IOException {
        long[] found = new long[FileClock.SAMPLE];
        int n = 0;
        boolean bindings = false;
        LineReader.Line line;
        try {
            for (int i = 0; i < SAMPLE_LINES && n < found.length && (line = lines.next()) != null; i++) {
                if (line.overlong()) {
                    continue;
                }
                DecodedLine d = LineDecoder.decodeLine(decoder, "", 0, -1, -1, line.bytes());
                if (d != null && d.timestamp != Long.MIN_VALUE) {
                    found[n++] = d.timestamp;
                    bindings |= !d.bindings.isEmpty();
                }
            }
        } catch (EOFException | ZipException e) {
            // a gzip file cut short within its first lines: the sample is what came before; its reader reports the break
        }
        return new LogSample(Arrays.copyOf(found, n), bindings);
    }

    /** The first {@link FileClock#SAMPLE} packet times of a capture. */
    private static long[] packetTimestamps(InputStream in, Path f) throws IOException {
        long[] found = new long[FileClock.SAMPLE];
        int n = 0;
        Packet p = new Packet();
        try (CaptureReader reader = new CaptureReader(in, new CaptureStats(f.getFileName().toString()))) {
            while (n < found.length && reader.next(p)) {
                found[n++] = Math.floorDiv(p.timestampMicros, 1000);
            }
        } catch (RuntimeException e) {
            // a capture corrupt from its start: no sample, the reader will count what it can and cannot read
        }
        return Arrays.copyOf(found, n);
    }
}
