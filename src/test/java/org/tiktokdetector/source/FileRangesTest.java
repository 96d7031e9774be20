package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A large log file read as byte ranges by several readers yields exactly what one reader of the whole file does. */
class FileRangesTest {
    private static final InputLimits LIMITS = new InputLimits(Duration.ofSeconds(30), Duration.ofDays(1), 1 << 20,
            org.tiktokdetector.decode.capture.TunnelPorts.DEFAULTS);

    /** Every line as "number: text" (the line end dropped, as LineReader does). */
    static List<String> lines(LineReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        for (LineReader.Line l; (l = reader.next()) != null; ) {
            out.add(l.number() + ": " + new String(l.bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> wholeLines(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return lines(new LineReader(in, 1 << 20));
        }
    }

    @Test
    void everyLineIsReadOnceByTheRangeItStartsIn(@TempDir Path dir) throws IOException {
        Random random = new Random(15);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                text.append('\n'); // a blank line
            } else if (kind == 1) {
                text.append("line ").append(i).append(" ends in CRLF\r\n");
            } else if (kind == 2) {
                text.append("line ").append(i).append(" is long ").append("x".repeat(200 + random.nextInt(300))).append('\n');
            } else {
                text.append("line ").append(i).append(' ').append("y".repeat(random.nextInt(40))).append('\n');
            }
        }
        text.append("the last line has no line end");
        for (String content : List.of(text.toString(), text + "\n")) {
            Path file = dir.resolve("f" + content.length() + ".log");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            long length = Files.size(file);
            List<String> whole = wholeLines(file);
            assertThat(whole).hasSize(121).last().asString().endsWith("the last line has no line end");
            for (long size : new long[] {1, 2, 3, 7, 64, 333, 4096, length - 1, length}) {
                List<FileRanges.Range> ranges = FileRanges.cut(file, length, size);
                assertThat(ranges).as("size %d", size).hasSize((int) Math.max(1, (length + size - 1) / size));
                List<String> joined = new ArrayList<>();
                int empty = 0;
                for (FileRanges.Range r : ranges) {
                    try (InputStream in = FileRanges.open(file, r)) {
                        List<String> part = lines(new LineReader(in, 1 << 20, r));
                        empty += part.isEmpty() ? 1 : 0;
                        joined.addAll(part);
                    }
                }
                assertThat(joined).as("size %d", size).isEqualTo(whole);
                if (size < 100) {
                    assertThat(empty).as("ranges with no line start, size %d", size).isPositive();
                }
            }
        }
    }

    /** What a reader hands on: each record as JSON (with its source and line) or the dead letter's reason. */
    static List<String> read(InputFiles.Input in, long emitted) throws IOException {
        List<String> out = new ArrayList<>();
        try (SplitReader r = new SplitReader(new ReplaySource.Split(in, emitted), LIMITS)) {
            for (DecodedLine d; (d = r.next()) != null; ) {
                out.add(d.deadLetter != null ? "dead " + d.deadLetter.line + ": " + d.deadLetter.reason
                        : d.records.isEmpty() ? "ignored: " + d.type : FlowRecordJson.write(d.records.get(0)));
            }
        }
        return out;
    }

    static List<InputFiles.Input> inputs(Path file, long splitSize) throws IOException {
        return InputFiles.find(List.of(file.toString()), LIMITS.maxAhead(), LIMITS.outOfOrderness(), splitSize).inputs();
    }

    /** Two Zeek TSV dns logs concatenated (the second with its columns in another order), a malformed row in each. */
    static Path zeekTsv(Path dir) throws IOException {
        long t0 = Instant.parse("2026-06-01T09:00:00Z").getEpochSecond();
        StringBuilder b = new StringBuilder();
        for (int log = 0; log < 2; log++) {
            b.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2026-06-01-09-00-00\n");
            b.append(log == 0 ? "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\n"
                    : "#fields\tquery\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n");
            b.append(log == 0 ? "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\n"
                    : "#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\n");
            for (int i = 0; i < 300; i++) {
                String ts = (t0 + log * 600 + i) + ".123456";
                String name = i % 10 == 0 ? "api16-normal-c-useast1a.tiktokv.com" : "www.n" + i + ".example";
                String client = "10.0." + log + "." + (i % 7);
                if (i == 150) {
                    b.append("not\ta\trow\n");
                } else if (log == 0) {
                    b.append(ts).append("\tC").append(i).append('\t').append(client).append("\t5353\t10.0.9.9\t53\tudp\t").append(name).append('\n');
                } else {
                    b.append(name).append('\t').append(ts).append("\tC").append(i).append('\t').append(client).append("\t5353\t10.0.9.9\t53\tudp\n");
                }
            }
            b.append("#close\t2026-06-01-10-00-00\n");
        }
        Path file = dir.resolve("dns.log");
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void zeekTsvRangesReadTheHeaderInForceWhereTheyStart(@TempDir Path dir) throws IOException {
        Path file = zeekTsv(dir);
        List<InputFiles.Input> one = inputs(file, FileRanges.DEFAULT_SIZE);
        assertThat(one).hasSize(1);
        List<String> whole = read(one.get(0), 0);
        assertThat(whole).hasSize(600).filteredOn(s -> s.startsWith("dead")).hasSize(2);
        assertThat(whole.get(0)).contains("\"line\":9"); // after the 8 lines of the header
        for (long size : new long[] {100, 1000, 4096}) {
            List<InputFiles.Input> ranges = inputs(file, size);
            assertThat(ranges).hasSize((int) ((Files.size(file) + size - 1) / size));
            List<String> joined = new ArrayList<>();
            for (InputFiles.Input r : ranges) {
                joined.addAll(read(r, 0));
            }
            assertThat(joined).as("size %d", size).isEqualTo(whole);
        }
    }

    @Test
    void aZeekTsvFileThatStartsWithAByteOrderMarkGivesEveryRangeItsHeader(@TempDir Path dir) throws IOException {
        Path file = zeekTsv(dir);
        byte[] text = Files.readAllBytes(file);
        byte[] marked = new byte[text.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(text, 0, marked, 3, text.length);
        Files.write(file, marked);
        List<String> whole = read(inputs(file, FileRanges.DEFAULT_SIZE).get(0), 0);
        assertThat(whole).hasSize(600).filteredOn(s -> s.startsWith("dead")).hasSize(2);
        for (long size : new long[] {100, 1000, 4096}) {
            List<String> joined = new ArrayList<>();
            for (InputFiles.Input r : inputs(file, size)) {
                joined.addAll(read(r, 0));
            }
            assertThat(joined).as("size %d", size).isEqualTo(whole);
        }
    }

    @Test
    void eachRangeHasItsOwnStartAndRestoresFromItsOwnCount(@TempDir Path dir) throws IOException {
        Path file = zeekTsv(dir);
        List<InputFiles.Input> ranges = inputs(file, 4096);
        long previous = Long.MIN_VALUE;
        for (InputFiles.Input r : ranges) {
            assertThat(r.start()).as("range %s", r.range()).isGreaterThanOrEqualTo(previous);
            previous = r.start();
            List<String> all = read(r, 0);
            for (int k : new int[] {1, all.size() / 2, all.size()}) {
                assertThat(read(r, k)).as("range %s restored after %d", r.range(), k).isEqualTo(all.subList(k, all.size()));
            }
        }
        assertThat(ranges.get(ranges.size() - 1).start()).as("the second log starts 10 minutes later")
                .isGreaterThan(ranges.get(0).start() + Duration.ofMinutes(9).toMillis());
    }
}
