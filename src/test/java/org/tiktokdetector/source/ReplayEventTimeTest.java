package org.tiktokdetector.source;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event time when many files are read by one source: files that overlap in time (the dns, ssl and flow logs of
 * one hour), read by two readers one file at a time in any order, must not make each other's records late, and
 * a record stamped far in the future must not either.
 */
class ReplayEventTimeTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    /** A flow-record line for a TikTok API name from a client. */
    private static String flow(long t, String client) {
        return "{\"ts\":\"" + Instant.ofEpochMilli(t) + "\",\"kind\":\"dns\",\"client_ip\":\"" + client
                + "\",\"name\":\"api16-normal-c-useast1a.tiktokv.com\"}";
    }

    @Test
    void filesOverlappingInTimeMakeNoRecordLate(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        Map<String, Integer> perDeviceWindow = new HashMap<>();
        // 8 hours x 3 logs of that hour, of very different lengths, gzip or not; each log has its own devices' hits.
        for (int hour = 0; hour < 8; hour++) {
            for (String log : List.of("dns", "ssl", "flows")) {
                List<String> lines = new ArrayList<>();
                int records = 20 + random.nextInt(400);
                for (int i = 0; i < records; i++) {
                    long t = T0 + hour * 60 * MINUTE + (long) i * 60 * MINUTE / records;
                    String client = "10." + hour + "." + log.length() + "." + random.nextInt(4);
                    lines.add(flow(t, client));
                    perDeviceWindow.merge(client + "@" + (t / (10 * MINUTE)), 1, Integer::sum);
                }
                write(dir.resolve(String.format("in/day/%02d/%s.log%s", hour, log, hour % 2 == 0 ? ".gz" : "")), lines);
            }
        }
        long windows = perDeviceWindow.values().stream().filter(n -> n >= 5).count();

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.late()).as(run.err()).isZero();
        assertThat(run.finalViolations()).as(run.err()).isEqualTo(windows);
        assertThat(run.earlyViolations()).isEqualTo(windows);
        assertThat(run.malformed()).isZero();
    }

    @Test
    void aRecordFromTheFarFutureIsADeadLetterAndMakesNothingLate(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(flow(Instant.parse("9999-01-01T00:00:00Z").toEpochMilli(), "10.0.0.9")); // on the very first line
        for (int i = 0; i < 30; i++) {
            lines.add(flow(T0 + i * MINUTE / 2, "10.0.0.1"));
            if (i == 10) {
                lines.add(flow(T0 + 40L * 24 * 60 * MINUTE, "10.0.0.9")); // 40 days ahead of its file, mid-way
            }
        }
        write(dir.resolve("in/a.jsonl"), lines);
        write(dir.resolve("in/b.jsonl"), List.of(flow(T0, "10.0.0.2"), flow(T0 + 1000, "10.0.0.2"), flow(T0 + 2000, "10.0.0.2"),
                flow(T0 + 3000, "10.0.0.2"), flow(T0 + 4000, "10.0.0.2")));

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.malformed()).isEqualTo(2);
        assertThat(run.late()).isZero();
        assertThat(run.finalViolations()).as("10.0.0.1 in two windows, 10.0.0.2 in one").isEqualTo(3);
        String deadLetters = Files.readString(dir.resolve("out/v.dead-letter.jsonl"));
        assertThat(deadLetters).contains("9999-01-01T00:00:00", "ahead of the wall clock", "ahead of this file's recent records");
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
