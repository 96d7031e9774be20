package org.tiktokdetector.source;

import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gzip log of several members read as ranges of whole members by several readers yields exactly the lines, with
 * the same numbers, that one reader of the whole decompressed stream ({@code zcat}) does: whatever the cut sizes,
 * members that end mid-line or are empty, bgzip's blocks, and bytes inside a member that look like a member's start.
 */
class GzipRangesTest {
    /** One gzip member of {@code data}, deflated at {@code level} (0: stored blocks, the data verbatim), with an optional bgzip BC field. */
    static byte[] member(byte[] data, int level, boolean bgzf) {
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            deflated.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) (bgzf ? 4 : 0), 0, 0, 0, 0, 0, (byte) 255});
        if (bgzf) { // XLEN 6: subfield 'B' 'C', length 2, the block's size - 1
            int size = 18 + deflated.size() + 8 - 1;
            out.writeBytes(new byte[] {6, 0, 'B', 'C', 2, 0, (byte) size, (byte) (size >> 8)});
        }
        out.writeBytes(deflated.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(data);
        le32(out, crc.getValue());
        le32(out, data.length);
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        out.writeBytes(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    /** Text with blank, CRLF, long lines, and a last line without a line end. */
    static String text(Random random, int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                b.append('\n');
            } else if (kind == 1) {
                b.append("line ").append(i).append(" ends in CRLF\r\n");
            } else if (kind == 2) {
                b.append("line ").append(i).append(" is long ").append("x".repeat(200 + random.nextInt(300))).append('\n');
            } else {
                b.append("line ").append(i).append(' ').append(Integer.toHexString(random.nextInt())).append('\n');
            }
        }
        return b.append("the last line has no line end").toString();
    }

    /**
     * The text as members cut at random bytes (so most end mid-line, some at a line end), with empty members between
     * some; every member deflated (level 6) or bgzip-style.
     */
    static byte[] members(byte[] text, Random random, boolean bgzf, int... cutAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(member(new byte[0], 6, bgzf)); // an empty first member
        for (int at = 0; at < text.length; ) {
            int n = Math.min(text.length - at, 1 + random.nextInt(400));
            for (int c : cutAt) {
                n = c > at && c < at + n ? c - at : n;
            }
            out.writeBytes(member(Arrays.copyOfRange(text, at, at + n), 6, bgzf));
            at += n;
            for (int empty = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; empty > 0; empty--) {
                out.writeBytes(member(new byte[0], 6, bgzf));
            }
        }
        return out.toByteArray();
    }

    /** The lines of the whole decompressed stream, as the whole file's reader gets it. */
    private static List<String> wholeLines(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return FileRangesTest.lines(new LineReader(in, 1 << 20));
        }
    }

    private static List<String> rangeLines(Path file, List<FileRanges.Range> ranges) throws IOException {
        List<String> joined = new ArrayList<>();
        for (FileRanges.Range r : ranges) {
            try (InputStream in = r.whole() ? GzipRanges.open(file, 0) : FileRanges.open(file, r)) {
                joined.addAll(FileRangesTest.lines(new LineReader(in, 1 << 20, r)));
            }
        }
        return joined;
    }

    /** Cuts the file at every size given and at sizes that put a cut at each byte near {@code near}; each cut must read the whole file's lines. */
    private static void everyCutReadsTheWholeFile(Path file, long... near) throws IOException {
        long length = Files.size(file);
        List<String> whole = wholeLines(file);
        List<Long> sizes = new ArrayList<>(List.of(1L, 2L, 3L, 7L, 64L, 333L, 1000L, 4096L, length - 1, length));
        for (long p : near) {
            for (long d = -12; d <= 12; d++) {
                sizes.add(p + d);
            }
        }
        for (long size : sizes) {
            List<FileRanges.Range> ranges = GzipRanges.cut(file, length, size);
            assertThat(rangeLines(file, ranges)).as("size %d, %d ranges", size, ranges.size()).isEqualTo(whole);
            if (size < length / 4) {
                assertThat(ranges).as("size %d", size).hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void everyLineOnceForManyCutSizesOfJoinedGzipFiles(@TempDir Path dir) throws IOException {
        Random random = new Random(15);
        byte[] text = text(random, 150).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("joined.log.gz");
        Files.write(file, members(text, random, false));
        assertThat(wholeLines(file)).hasSize(151).last().asString().endsWith("the last line has no line end");
        everyCutReadsTheWholeFile(file);
    }

    @Test
    void everyLineOnceForManyCutSizesOfBgzipBlocks(@TempDir Path dir) throws IOException {
        Random random = new Random(16);
        byte[] text = (text(random, 150) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("blocks.log.gz");
        Files.write(file, members(text, random, true));
        long length = Files.size(file);
        // The candidates are bgzip's own block chain: each is a block start, none comes from scanning.
        long[] chain = GzipRanges.candidates(file, length, 1);
        assertThat(chain.length).isGreaterThan(40);
        everyCutReadsTheWholeFile(file);
    }

    @Test
    void aRealBgzipFile(@TempDir Path dir) throws Exception {
        Random random = new Random(17);
        Path plain = dir.resolve("dns.log");
        Files.writeString(plain, text(random, 3000) + "\n" + text(random, 3000));
        Process bgzip = new ProcessBuilder("bgzip", "-f", plain.toString()).redirectErrorStream(true).start();
        assertThat(bgzip.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bgzip.exitValue()).as(new String(bgzip.getInputStream().readAllBytes())).isZero();
        Path file = dir.resolve("dns.log.gz");
        List<FileRanges.Range> ranges = GzipRanges.cut(file, Files.size(file), 4096);
        assertThat(ranges).hasSizeGreaterThan(3); // 64 KiB blocks
        assertThat(rangeLines(file, ranges)).isEqualTo(wholeLines(file)).hasSize(6002);
    }

    @Test
    void aSingleMemberStaysOneRange(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one.log.gz");
        Files.write(file, member(text(new Random(3), 2000).getBytes(StandardCharsets.UTF_8), 6, false));
        assertThat(GzipRanges.cut(file, Files.size(file), 1024)).containsExactly(FileRanges.Range.WHOLE);
    }

    /**
     * A stored (level 0) member holds, verbatim, a complete gzip member of other lines: its header inflates and its
     * trailer checks, so it is a candidate; a range that started there would read lines the file does not have.
     */
    @Test
    void aMemberStartInsideAMembersDataIsNoCut(@TempDir Path dir) throws IOException {
        byte[] inner = member("evil 1\nevil 2\n".repeat(20).getBytes(StandardCharsets.UTF_8), 6, false);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        stored.writeBytes("stored 1\nstored 2\n".repeat(10).getBytes(StandardCharsets.UTF_8));
        stored.writeBytes(inner);
        stored.writeBytes("\nstored 3\nstored 4\n".repeat(10).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(member("first 1\nfirst 2\n".repeat(10).getBytes(StandardCharsets.UTF_8), 6, false));
        byte[] storedMember = member(stored.toByteArray(), 0, false);
        int falseStart = file.size() + indexOf(storedMember, inner);
        file.writeBytes(storedMember);
        file.writeBytes(member("last 1\nlast 2\n".repeat(10).getBytes(StandardCharsets.UTF_8), 6, false));
        Path path = dir.resolve("false.log.gz");
        Files.write(path, file.toByteArray());

        assertThat(GzipRanges.candidates(path, Files.size(path), falseStart)).contains((long) falseStart);
        List<FileRanges.Range> ranges = GzipRanges.cut(path, Files.size(path), falseStart);
        assertThat(ranges).extracting(FileRanges.Range::from).doesNotContain((long) falseStart);
        List<String> whole = wholeLines(path);
        assertThat(whole).noneMatch(l -> l.contains("evil 1"));
        everyCutReadsTheWholeFile(path, falseStart);
    }

    /** Where the member whose decompressed bytes begin with {@code text} starts. */
    private static long startOf(Path file, String text) throws IOException {
        for (long p : GzipRanges.candidates(file, Files.size(file), 1)) {
            try (InputStream in = GzipRanges.open(file, p)) {
                if (new String(in.readNBytes(text.length()), StandardCharsets.UTF_8).equals(text)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no member starts with " + text);
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /** Flow-record lines from {@code first}, one a second, some of TikTok. */
    private static String flows(int first, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = first; i < first + n; i++) {
            b.append("{\"ts\":\"").append(java.time.Instant.ofEpochSecond(1_780_000_000L + i)).append("\",\"kind\":\"dns\",\"client_ip\":\"10.0.0.").append(i % 9)
                    .append("\",\"name\":\"").append(i % 7 == 0 ? "api16-normal-c-useast1a.tiktokv.com" : "www.n" + i + ".example").append("\"}\n");
        }
        return b.toString();
    }

    /**
     * A truncated last member: every range before it gives its lines, and the line it breaks in is one dead letter, the
     * same as for the whole file; also when that line starts several members before the break (in an earlier range).
     */
    @Test
    void aTruncatedLastMemberEndsAsTheWholeFileDoes(@TempDir Path dir) throws IOException {
        Random random = new Random(18);
        for (String broken : List.of(flows(1000, 100), "\"name\":\"" + "ab".repeat(3000))) {
            String text = flows(0, 300) + "{\"ts\":\"2026-05-28T20:40:00Z\",\"kind\":\"dns\",";
            byte[] full = members(text.getBytes(StandardCharsets.UTF_8), random, false, text.indexOf("\"kind\":\"dns\",", text.length() - 20));
            byte[] last = member(broken.getBytes(StandardCharsets.UTF_8), 6, false);
            Path file = dir.resolve("truncated-" + broken.length() + ".log.gz");
            byte[] bytes = Arrays.copyOf(full, full.length + last.length / 2);
            System.arraycopy(last, 0, bytes, full.length, last.length / 2);
            Files.write(file, bytes);

            List<InputFiles.Input> one = FileRangesTest.inputs(file, FileRanges.DEFAULT_SIZE);
            assertThat(one).hasSize(1);
            List<String> whole = FileRangesTest.read(one.get(0), 0);
            assertThat(whole).hasSizeGreaterThan(300).last().asString().contains("is cut short or corrupt in line");
            long lastLine = startOf(file, "\"kind\":\"dns\","); // a range that starts here starts in the line that breaks
            for (long size : new long[] {64, 1000, 4096, lastLine}) {
                List<InputFiles.Input> ranges = FileRangesTest.inputs(file, size);
                assertThat(ranges).hasSizeGreaterThan(1);
                assertThat(ranges.get(ranges.size() - 1).range().from()).isLessThanOrEqualTo(full.length);
                List<String> joined = new ArrayList<>();
                for (InputFiles.Input r : ranges) {
                    joined.addAll(FileRangesTest.read(r, 0));
                }
                assertThat(joined).as("size %d", size).containsExactlyElementsOf(whole);
            }
        }
    }

    /**
     * Two Zeek TSV logs joined, cut into members at random bytes (headers too): each range reads the header in force.
     * A member that starts inside a row with "#separator" (a query name) starts no header.
     */
    @Test
    void zeekTsvRangesReadTheHeaderInForce(@TempDir Path dir) throws IOException {
        Path plain = FileRangesTest.zeekTsv(dir);
        String tsv = Files.readString(plain).replace("\twww.n51.example\n", "\t#separator\n");
        Random random = new Random(19);
        Path file = dir.resolve("dns.log.gz");
        Files.write(file, members(tsv.getBytes(StandardCharsets.UTF_8), random, false, tsv.indexOf("#separator\n")));
        Files.delete(plain);
        List<InputFiles.Input> one = FileRangesTest.inputs(file, FileRanges.DEFAULT_SIZE);
        assertThat(one).hasSize(1);
        List<String> whole = FileRangesTest.read(one.get(0), 0);
        assertThat(whole).hasSize(600).filteredOn(s -> s.startsWith("dead")).hasSize(2);
        long inRow = startOf(file, "#separator\n"); // a member that starts inside a row
        for (long size : new long[] {100, 1000, 4096, inRow}) {
            List<InputFiles.Input> ranges = FileRangesTest.inputs(file, size);
            assertThat(ranges).hasSizeGreaterThan(2);
            List<String> joined = new ArrayList<>();
            for (InputFiles.Input r : ranges) {
                assertThat(r.range().members()).isNotNull();
                List<String> all = FileRangesTest.read(r, 0);
                joined.addAll(all);
                for (int k : new int[] {1, all.size() / 2, all.size()}) {
                    if (k <= all.size()) {
                        assertThat(FileRangesTest.read(r, k)).as("range %s restored after %d", r.range(), k).isEqualTo(all.subList(k, all.size()));
                    }
                }
            }
            assertThat(joined).as("size %d", size).isEqualTo(whole);
        }
    }

    @Test
    void aGzipRangeSurvivesTheSplitSerializerWhichStillReadsVersionsOneAndTwo() throws IOException {
        FileRanges.Range range = new FileRanges.Range(1 << 20, 3 << 20, 4242, 77, new FileRanges.Members(99_999_999L, true, 12));
        ReplaySource.Split gz = new ReplaySource.Split(new InputFiles.Input("/logs/dns.log.gz", InputFiles.Kind.LOG, 5L, false, range), 9);
        var s = ReplaySource.SPLITS;
        assertThat(s.getVersion()).isEqualTo(3);
        assertThat(s.deserialize(3, s.serialize(gz))).isEqualTo(gz);
        assertThat(ReplaySource.PENDING.deserialize(3, ReplaySource.PENDING.serialize(List.of(gz, gz)))).containsExactly(gz, gz);

        DataOutputSerializer v2 = new DataOutputSerializer(64);
        v2.writeUTF("/logs/dns.log");
        v2.writeByte(InputFiles.Kind.LOG.ordinal());
        v2.writeLong(5);
        v2.writeLong(9);
        for (long v : new long[] {64L << 20, 128L << 20, 312_345, 0}) {
            v2.writeLong(v);
        }
        assertThat(s.deserialize(2, v2.getCopyOfBuffer())).isEqualTo(new ReplaySource.Split(new InputFiles.Input("/logs/dns.log",
                InputFiles.Kind.LOG, 5L, false, new FileRanges.Range(64L << 20, 128L << 20, 312_345, 0)), 9));
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeUTF("/logs/dns.log.gz");
        v1.writeByte(InputFiles.Kind.LOG.ordinal());
        v1.writeLong(5);
        v1.writeLong(9);
        assertThat(s.deserialize(1, v1.getCopyOfBuffer())).isEqualTo(new ReplaySource.Split(new InputFiles.Input("/logs/dns.log.gz",
                InputFiles.Kind.LOG, 5L), 9));
    }
}
