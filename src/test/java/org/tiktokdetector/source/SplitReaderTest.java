package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading one replayed file outside Flink: what a restored reader hands on, and how a split survives a checkpoint. */
class SplitReaderTest {
    private static final InputLimits LIMITS = new InputLimits(Duration.ofSeconds(30), Duration.ofDays(1), 1 << 20,
            org.tiktokdetector.decode.capture.TunnelPorts.DEFAULTS);

    private static List<String> read(InputFiles.Input in, long emitted) throws IOException {
        List<String> out = new ArrayList<>();
        try (SplitReader r = new SplitReader(new ReplaySource.Split(in, emitted), LIMITS)) {
            for (DecodedLine d; (d = r.next()) != null; ) {
                // the reason names the wall clock at the time of reading, which two reads do not share
                out.add(d.deadLetter != null ? "dead: " + d.deadLetter.reason.replaceAll("\\(\\d{4}-[^)]*Z\\)", "(now)")
                        : d.records.isEmpty() ? "ignored: " + d.type : FlowRecordJson.write(d.records.get(0)));
            }
        }
        return out;
    }

    private static InputFiles.Input only(Path file) throws IOException {
        return InputFiles.find(List.of(file.toString()), LIMITS.maxAhead(), LIMITS.outOfOrderness()).inputs().get(0);
    }

    @Test
    void aRestoredReaderHandsOnExactlyWhatFollowsWhatWasEmitted(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mixed.log.gz");
        List<String> lines = new ArrayList<>();
        long t0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
        for (int i = 0; i < 40; i++) {
            lines.add(switch (i % 4) {
                case 0 -> "{\"ts\":\"" + Instant.ofEpochMilli(t0 + i * 1000L) + "\",\"kind\":\"dns\",\"client_ip\":\"10.0.0." + i + "\",\"name\":\"n" + i + ".example\"}";
                case 1 -> "";
                case 2 -> "{\"event_type\":\"flow\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"src_ip\":\"10.0.0.1\"}";
                default -> i == 19 ? "{\"ts\":\"9999-01-01T00:00:00Z\",\"kind\":\"dns\",\"client_ip\":\"10.0.0.1\",\"name\":\"x.example\"}" : "not json " + i;
            });
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(log))) {
            out.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        }
        InputFiles.Input in = only(log);
        List<String> whole = read(in, 0);
        assertThat(whole).hasSize(30); // blank lines are no records
        assertThat(whole).anySatisfy(s -> assertThat(s).contains("dead: event time 9999-01-01"));
        for (int k : new int[] {1, 7, 15, 29, 30}) {
            assertThat(read(in, k)).as("restored after %d", k).isEqualTo(whole.subList(k, whole.size()));
        }
    }

    @Test
    void aCaptureRestoresLikeALog() throws IOException {
        InputFiles.Input in = only(Path.of("sample-data/captures/dns-udp-tcp.pcap"));
        List<String> whole = read(in, 0);
        assertThat(whole).hasSize(14);
        assertThat(read(in, 5)).isEqualTo(whole.subList(5, whole.size()));
    }

    @Test
    void splitsAndPendingSplitsSurviveTheirSerializers() throws IOException {
        ReplaySource.Split a = new ReplaySource.Split(new InputFiles.Input("/logs/a.log.gz", InputFiles.Kind.LOG, 1234L), 77);
        ReplaySource.Split b = new ReplaySource.Split(new InputFiles.Input(InputFiles.STDIN, null, Long.MIN_VALUE), 0);
        ReplaySource.Split c = new ReplaySource.Split(new InputFiles.Input("/logs/dns.log", InputFiles.Kind.LOG, 99L, false,
                new FileRanges.Range(64L << 20, 128L << 20, 312_345, 0)), 5);
        var s = ReplaySource.SPLITS;
        assertThat(s.deserialize(s.getVersion(), s.serialize(a))).isEqualTo(a);
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
        assertThat(c.splitId()).isNotEqualTo(new ReplaySource.Split(new InputFiles.Input("/logs/dns.log", InputFiles.Kind.LOG, 99L), 0).splitId());
        var p = ReplaySource.PENDING;
        assertThat(p.deserialize(p.getVersion(), p.serialize(List.of(a, b, c)))).containsExactly(a, b, c);
        var live = new LiveCaptureSource.Split("eth1");
        assertThat(LiveCaptureSource.SPLITS.deserialize(1, LiveCaptureSource.SPLITS.serialize(live))).isEqualTo(live);
        assertThat(LiveCaptureSource.PENDING.deserialize(1, LiveCaptureSource.PENDING.serialize(List.of(live)))).containsExactly(live);
    }
}
