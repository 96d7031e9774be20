package org.tiktokdetector;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data minimisation (README "What is kept"): a name that matches no rule leaves no trace in any output the job
 * writes (violations, hits, late hits, in every format, nor its summary), and neither does the address of a device
 * that had no hit; only the dead letters keep unusable input whole. The input mixes both on the same devices and in
 * the same seconds as the hits, and a line that is malformed.
 */
class MinimisationTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Names no rule matches, some close to the listed ones. */
    private static final List<String> PRIVATE = List.of("intranet.finance.gov.example", "mail.gov.example",
            "www.wikipedia.org", "notiktok.com", "tiktok.com.evil.example", "bytedance-watch.org");
    private static final String QUIET_DEVICE = "10.20.9.99";
    private static final long T0 = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();

    private static String record(long ts, String client, String name) {
        return "{\"ts\":\"" + Instant.ofEpochMilli(ts) + "\",\"sensor\":\"tap-1\",\"kind\":\"dns\",\"transport\":\"udp\",\"client_ip\":\""
                + client + "\",\"client_port\":40000,\"server_ip\":\"10.20.0.53\",\"server_port\":53,\"name\":\"" + name + "\",\"qtype\":\"A\"}";
    }

    @Test
    void namesThatMatchNoRuleAppearInNoOutputButTheDeadLetters(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long ts = T0 + i * 1000L;
            lines.add(record(ts, "10.20.1.15", i % 2 == 0 ? "api16-normal-c-useast1a.tiktokv.com" : "www.tiktok.com"));
            lines.add(record(ts + 1, "10.20.1.15", PRIVATE.get(i % PRIVATE.size())));
            lines.add(record(ts + 2, QUIET_DEVICE, PRIVATE.get((i + 1) % PRIVATE.size())));
        }
        long later = T0 + 3_600_000L;
        lines.add(record(later, "10.20.1.16", "www.tiktok.com"));
        lines.add(record(later + 1, QUIET_DEVICE, "mail.gov.example"));
        lines.add(record(T0 + 5000, "10.20.1.15", "www.tiktok.com")); // behind the hour already seen: late if event time has moved
        lines.add(record(T0 + 5001, QUIET_DEVICE, "intranet.finance.gov.example"));
        lines.add("{\"ts\":\"2026-11-24T09:00:07Z\",\"kind\":\"dns\",\"client_ip\":\"" + QUIET_DEVICE + "\",\"name\":\"mail.gov.example\""); // cut
        Path input = dir.resolve("in");
        Files.createDirectories(input);
        Files.write(input.resolve("flows.jsonl"), lines);

        for (String format : List.of("native", "ocsf", "ecs")) {
            Path out = dir.resolve(format);
            DetectRun run = DetectRun.of("detect", "--input", input.toString(), "--format", format, "--parallelism", "1",
                    "--threshold", "3", "--allowed-lateness", "0s", "--out", out.resolve("violations.jsonl").toString(),
                    "--hits", out.resolve("hits.jsonl").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.malformed()).isEqualTo(1);
            List<Path> outputs;
            try (Stream<Path> files = Files.list(out)) {
                outputs = files.sorted().toList();
            }
            // A replay's periodic watermark may or may not pass the late records' window before they are read, so the
            // late-hits file is checked when it is there (its records are hits, written by the same formatter).
            assertThat(outputs).extracting(p -> p.getFileName().toString())
                    .contains("violations.dead-letter.jsonl", "violations.jsonl", "hits.jsonl");
            for (Path f : outputs) {
                String text = Files.readString(f);
                if (f.getFileName().toString().endsWith("dead-letter.jsonl")) {
                    assertThat(text).as("the dead letter keeps its line whole").contains("mail.gov.example");
                    continue;
                }
                assertThat(text).as(format + " " + f.getFileName() + " is not empty").contains("tiktok");
                for (String name : PRIVATE) {
                    assertThat(text).as(format + " " + f.getFileName()).doesNotContain(name);
                }
                assertThat(text).as(format + " " + f.getFileName() + ": a device without hits").doesNotContain(QUIET_DEVICE);
            }
            for (String name : PRIVATE) {
                assertThat(run.out() + run.err()).as(format + " run's printed output").doesNotContain(name);
            }
        }
    }
}
