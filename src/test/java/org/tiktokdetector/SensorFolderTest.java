package org.tiktokdetector;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sensor's log folder as it really is: 5,000 rotated gzip files in dated folders and the current hour's plain ones, Zeek TSV and JSON
 * and Suricata EVE, log types with and without names. Every line is read once and counted where it belongs, and
 * the violations are the ones counted directly from what was written.
 */
class SensorFolderTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String TIKTOK = "api16-normal-c-useast1a.tiktokv.com";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private long judged;
    private long ignored;
    private long hits;
    private long violations;
    private int files;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
    void everyLineOfFiveThousandRotatedGzipFilesIsReadOnceAndCounted(@TempDir Path dir) throws Exception {
        for (int slot = 0; slot < 501; slot++) {
            hour(dir.resolve("logs"), slot, slot < 500); // rotated and compressed, and the current hour's plain logs
        }
        assertThat(files).isEqualTo(5010);

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("logs").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("5010 log files").doesNotContain("skipping");
        assertThat(run.malformed()).as(run.err()).isZero();
        assertThat(run.judged()).isEqualTo(judged);
        assertThat(run.ignored()).isEqualTo(ignored);
        assertThat(run.read()).isEqualTo(judged + ignored);
        assertThat(run.hits()).isEqualTo(hits);
        assertThat(run.late()).isZero();
        assertThat(run.finalViolations()).isEqualTo(violations);
        assertThat(run.err()).contains("zeek/dns", "zeek/conn", "zeek/x509", "zeek/weird", "suricata/flow", "flow-record");
    }

    /** One hour of one sensor: ten rotated logs; one device looks TikTok up six times in the hour's first ten minutes, across logs. */
    private void hour(Path root, int slot, boolean gz) throws IOException {
        long start = T0 + slot * 60 * MINUTE;
        String device = "10.20." + (slot / 200) + "." + (slot % 200 + 1);
        String folder = DAY.format(Instant.ofEpochMilli(start));
        String span = String.format("%02d:00:00-%02d:00:00", slot % 24, (slot + 1) % 24);
        Path f = root.resolve(folder);

        List<String> dns = new ArrayList<>();
        dns.add(tsvRow(start + MINUTE, device, TIKTOK, "A"));
        dns.add(tsvRow(start + 2 * MINUTE, device, TIKTOK, "AAAA"));
        dns.add(tsvRow(start + 20 * MINUTE, "10.30.0.1", "www.example.gov", "A"));
        write(f.resolve("dns." + span + ".log"), gz, zeekTsv("dns", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\tanswers\tTTLs",
                "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tvector[string]\tvector[interval]", dns));
        judged += 3;
        hits += 2;

        String ssl = secs(start + 3 * MINUTE) + "\tCs1\t" + device + "\t50000\t203.0.113.5\t443\tTLSv13\t" + TIKTOK + "\tT";
        String ssl2 = secs(start + 30 * MINUTE) + "\tCs2\t10.30.0.2\t50001\t198.51.100.7\t443\tTLSv13\t-\tT";
        write(f.resolve("ssl." + span + ".log"), gz, zeekTsv("ssl", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tserver_name\testablished",
                "time\tstring\taddr\tport\taddr\tport\tstring\tstring\tbool", List.of(ssl, ssl2)));
        judged += 1;
        ignored += 1; // a TLS connection without SNI
        hits += 1;

        write(f.resolve("conn." + span + ".log"), gz, zeekTsv("conn", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration",
                "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval",
                List.of(secs(start) + "\tCc1\t" + device + "\t1\t203.0.113.5\t443\ttcp\tssl\t1.5", secs(start + MINUTE) + "\tCc2\t10.30.0.1\t2\t192.0.2.1\t53\tudp\tdns\t-")));
        ignored += 2;

        write(f.resolve("x509." + span + ".log"), gz, zeekTsv("x509", "ts\tfingerprint\tcertificate.subject\tsan.dns",
                "time\tstring\tstring\tvector[string]", List.of(secs(start + 3 * MINUTE) + "\tab12\tCN=*.tiktokv.com\t*.tiktokv.com,tiktokv.com")));
        ignored += 1;

        write(f.resolve("weird." + span + ".log"), gz, zeekTsv("weird", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tname\tnotice\tpeer",
                "time\tstring\taddr\tport\taddr\tport\tstring\tbool\tstring", List.of(secs(start + 5 * MINUTE) + "\t-\t-\t-\t-\t-\tbad_TCP_checksum\tF\tzeek")));
        ignored += 1;

        write(f.resolve("files." + span + ".log"), gz, zeekTsv("files", "ts\tfuid\tuid\tsource\tmime_type\tseen_bytes",
                "time\tstring\tstring\tstring\tstring\tcount", List.of(secs(start + 6 * MINUTE) + "\tF1\tCs1\tSSL\tapplication/x-x509-user-cert\t1200")));
        ignored += 1;

        write(f.resolve("quic." + span + ".log"), gz, List.of("{\"_path\":\"quic\",\"ts\":" + secs(start + 4 * MINUTE)
                + ",\"uid\":\"Cq1\",\"id.orig_h\":\"" + device + "\",\"id.orig_p\":443,\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,"
                + "\"version\":\"1\",\"server_name\":\"" + TIKTOK + "\",\"client_protocol\":\"h3\",\"history\":\"ISishIH\"}"));
        judged += 1;
        hits += 1;

        write(f.resolve("stats." + span + ".log"), gz, List.of("{\"ts\":" + secs(start) + ",\"peer\":\"zeek\",\"mem\":120,\"pkts_proc\":1000,"
                + "\"bytes_recv\":99999,\"events_proc\":100,\"events_queued\":100}"));
        ignored += 1;

        write(f.resolve("eve." + span + ".json"), gz, List.of(
                "{\"timestamp\":\"" + Instant.ofEpochMilli(start + 7 * MINUTE) + "\",\"event_type\":\"dns\",\"src_ip\":\"" + device
                        + "\",\"src_port\":5353,\"dest_ip\":\"10.20.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":3,"
                        + "\"type\":\"request\",\"queries\":[{\"rrname\":\"" + TIKTOK + "\",\"rrtype\":\"A\"}]}}",
                "{\"timestamp\":\"" + Instant.ofEpochMilli(start + 8 * MINUTE) + "\",\"event_type\":\"flow\",\"src_ip\":\"" + device
                        + "\",\"src_port\":5353,\"dest_ip\":\"10.20.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"flow\":{\"pkts_toserver\":1}}"));
        judged += 1;
        ignored += 1;
        hits += 1;

        write(f.resolve("flows." + span + ".jsonl"), gz, List.of("{\"ts\":\"" + Instant.ofEpochMilli(start + 9 * MINUTE)
                + "\",\"kind\":\"dns\",\"client_ip\":\"" + device + "\",\"name\":\"" + TIKTOK + "\"}"));
        judged += 1;
        hits += 1;
        violations += 1; // 2 + 1 + 1 + 1 + 1 = 6 hits in the first ten minutes: one window over the threshold of 5
    }

    private static String tsvRow(long t, String client, String query, String qtype) {
        return secs(t) + "\tCd" + t + "\t" + client + "\t53000\t10.20.0.53\t53\tudp\t" + query + "\t" + qtype + "\t(empty)\t(empty)";
    }

    private static String secs(long millis) {
        return String.format(Locale.ROOT, "%d.%06d", millis / 1000, (millis % 1000) * 1000);
    }

    private static List<String> zeekTsv(String path, String fields, String types, List<String> rows) {
        List<String> lines = new ArrayList<>(List.of("#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                "#unset_field\t-", "#path\t" + path, "#open\t2026-05-01-00-00-00", "#fields\t" + fields, "#types\t" + types));
        lines.addAll(rows);
        lines.add("#close\t2026-05-01-01-00-00");
        return lines;
    }

    private void write(Path file, boolean gz, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (gz) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        files++;
    }
}
