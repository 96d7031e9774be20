package org.tiktokdetector.source;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on files cut into ranges (--split-size far below the files' sizes) against the same files read whole:
 * the same hits (with their source and line) and violations, and no range makes another's records late.
 */
class SplitFileJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    /** Every flow line is padded to this length, so ranges of a multiple of it start exactly at a line. */
    private static final int LINE = 256;

    /** A flow-record line of exactly {@link #LINE} bytes with its '\n'. */
    private static String flow(long t, String client, String name) {
        String head = "{\"ts\":\"" + Instant.ofEpochMilli(t) + "\",\"kind\":\"dns\",\"client_ip\":\"" + client + "\",\"name\":\"" + name + "\",\"pad\":\"";
        return head + "x".repeat(LINE - head.length() - 3) + "\"}\n";
    }

    private static DetectRun detect(Path dir, String name, String... more) throws Exception {
        List<String> argv = new ArrayList<>(List.of("detect", "--input", dir.resolve("in").toString(),
                "--out", dir.resolve(name + "/v.jsonl").toString(), "--hits", dir.resolve(name + "/hits.jsonl").toString()));
        argv.addAll(List.of(more));
        DetectRun run = DetectRun.of(argv.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        return run;
    }

    /** Dead letters without the time each was written. */
    private static List<String> deadLetters(Path file) throws IOException {
        return sortedLines(file).stream().map(l -> l.replaceFirst("\"rejected_at\":\"[^\"]*\",", "")).sorted().toList();
    }

    private static List<String> finals(Path file) throws IOException {
        return sortedLines(file).stream().filter(l -> l.contains("\"status\":\"final\"")).toList();
    }

    private static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().sorted().toList();
    }

    /** {@code n} flow lines from {@code t0}, a tenth TikTok, and a line that is no JSON after every 500th. */
    private static String flows(Random random, long t0, int n) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean tiktok = random.nextInt(10) == 0;
            json.append(flow(t0 + i * 1200L, "10.1.0." + random.nextInt(tiktok ? 8 : 200),
                    tiktok ? "api16-normal-c-useast1a.tiktokv.com" : "www.n" + random.nextInt(1000) + ".example"));
            if (i % 500 == 7) {
                json.append("not json at all\r\n");
            }
        }
        return json.toString();
    }

    @Test
    void rangesGiveTheSameHitsAndViolationsAsOneReader(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/flows.jsonl"), flows(new Random(15), T0, 3000), StandardCharsets.UTF_8);
        FileRangesTest.zeekTsv(dir.resolve("in"));
        sameAsOneReader(dir, 8);
    }

    /**
     * Gzip files of many members (cut at random bytes, so lines cross members; empty members between), read as ranges
     * of members: the same as read whole, also for a file whose last member is cut short (one dead letter, in both).
     */
    @Test
    void gzipMemberRangesGiveTheSameHitsViolationsAndDeadLettersAsOneReader(@TempDir Path dir) throws Exception {
        Random random = new Random(16);
        Files.createDirectories(dir.resolve("in"));
        Files.write(dir.resolve("in/flows.jsonl.gz"), GzipRangesTest.members(flows(random, T0, 3000).getBytes(StandardCharsets.UTF_8), random, false));
        Files.write(dir.resolve("in/dns.log.gz"), GzipRangesTest.members(Files.readAllBytes(FileRangesTest.zeekTsv(dir)), random, false));
        byte[] cut = GzipRangesTest.members(flows(random, T0 + 30 * MINUTE, 600).getBytes(StandardCharsets.UTF_8), random, false);
        byte[] last = GzipRangesTest.member(flows(random, T0 + 50 * MINUTE, 100).getBytes(StandardCharsets.UTF_8), 6, false);
        byte[] cutShort = Arrays.copyOf(cut, cut.length + last.length / 2); // the last member cut in its deflate data
        System.arraycopy(last, 0, cutShort, cut.length, last.length / 2);
        Files.write(dir.resolve("in/cut.jsonl.gz"), cutShort);
        long ranges = InputFiles.find(List.of(dir.resolve("in").toString()), Duration.ofSeconds(30), Duration.ofDays(1), 4096).inputs().size();
        assertThat(ranges).as("ranges of the 3 files").isGreaterThan(40);

        sameAsOneReader(dir, 6 + 2 + 2 + 1 + 1); // the lines that are no JSON, the 2 bad rows, and the cut-short member
        assertThat(Files.readString(dir.resolve("split/v.dead-letter.jsonl"))).contains("cut.jsonl.gz is cut short or corrupt in line");
    }

    /** Runs the job on dir/in read whole and in 4 KiB ranges: the same hits, final violations and dead letters. */
    private static void sameAsOneReader(Path dir, long malformed) throws Exception {
        DetectRun whole = detect(dir, "whole");
        DetectRun split = detect(dir, "split", "--split-size", "4k");

        assertThat(whole.hits()).isGreaterThan(300);
        assertThat(split.hits()).isEqualTo(whole.hits());
        assertThat(split.malformed()).isEqualTo(whole.malformed()).isEqualTo(malformed);
        assertThat(split.late()).isZero();
        assertThat(sortedLines(dir.resolve("split/hits.jsonl"))).isEqualTo(sortedLines(dir.resolve("whole/hits.jsonl")));
        // Final records only: an early record is made from the first hits to arrive, and ranges read in parallel
        // interleave differently from run to run (as several files always have).
        assertThat(finals(dir.resolve("split/v.jsonl"))).hasSize((int) whole.finalViolations())
                .isEqualTo(finals(dir.resolve("whole/v.jsonl")));
        assertThat(deadLetters(dir.resolve("split/v.dead-letter.jsonl"))).isEqualTo(deadLetters(dir.resolve("whole/v.dead-letter.jsonl")));
    }

    @Test
    void aRangeOfLaterRecordsMakesNoEarlierRangeLate(@TempDir Path dir) throws Exception {
        // A log whose second half is an hour earlier than its first (logs concatenated out of order): read whole, the
        // second half is late; read as ranges, each with its own start, the earlier ranges are handed out first.
        Random random = new Random(7);
        Map<String, Integer> perDeviceWindow = new HashMap<>();
        StringBuilder b = new StringBuilder();
        for (int half = 0; half < 2; half++) {
            long hour = T0 + (1 - half) * 60 * MINUTE;
            for (int i = 0; i < 8192; i++) { // 8 ranges of 1024 lines each half (readers set event time every 256 lines)
                long t = hour + i * 400L;
                String client = "10.2." + half + "." + random.nextInt(6);
                b.append(flow(t, client, "api16-normal-c-useast1a.tiktokv.com"));
                perDeviceWindow.merge(client + "@" + (t / (10 * MINUTE)), 1, Integer::sum);
            }
        }
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/dns.jsonl"), b, StandardCharsets.UTF_8);
        long windows = perDeviceWindow.values().stream().filter(n -> n >= 5).count();

        DetectRun whole = detect(dir, "whole");
        DetectRun split = detect(dir, "split", "--split-size", String.valueOf(1024 * LINE));

        assertThat(whole.late()).as("read whole, the earlier half comes late").isPositive();
        assertThat(split.late()).as(split.err()).isZero();
        assertThat(split.hits()).isEqualTo(2 * 8192);
        assertThat(split.finalViolations()).isEqualTo(windows);
    }
}
